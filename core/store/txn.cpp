#include "core/store/txn.hpp"

#include <fmt/format.h>
#include <sys/file.h>

#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "core/util/error.hpp"
#include "core/util/text.hpp"

namespace fs = std::filesystem;

namespace desk::txn {

std::optional<std::string> slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void writeout(int fd, bool durable) {
  if (durable) ::sync_file_range(fd, 0, 0, SYNC_FILE_RANGE_WAIT_BEFORE | SYNC_FILE_RANGE_WRITE | SYNC_FILE_RANGE_WAIT_AFTER);
}

void writeout(const std::string& path, bool durable) {
  if (!durable) return;
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return;
  writeout(fd, true);
  ::close(fd);
}

void barrier(const std::string& dir, bool durable) {
  if (!durable) return;
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) throw Error(ErrorKind::io, fmt::format("cannot open {}: {}", dir, std::strerror(errno)));
  int rc = ::fsync(fd);
  int err = errno;
  ::close(fd);
  if (rc != 0) throw Error(ErrorKind::io, fmt::format("cannot sync {} to disk: {}", dir, std::strerror(err)));
}

void write_all(int fd, const std::string& bytes, const std::string& what) {
  size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) throw Error(ErrorKind::io, fmt::format("cannot write {}: {}", what, std::strerror(errno)));
    done += static_cast<size_t>(n);
  }
}

void write_file_atomic(const std::string& path, const std::string& content, bool durable) {
  fs::create_directories(fs::path(path).parent_path());
  std::string tmp = path + ".desk-tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  if (fd < 0) throw Error(ErrorKind::io, fmt::format("cannot write {}: {}", tmp, std::strerror(errno)));
  try {
    write_all(fd, content, tmp);
    writeout(fd, durable);
  } catch (...) {
    ::close(fd);
    ::unlink(tmp.c_str());
    throw;
  }
  ::close(fd);
  fs::rename(tmp, path);
}

mode_t current_umask() {
  static const mode_t mask = [] {
    mode_t m = ::umask(022);
    ::umask(m);
    return m;
  }();
  return mask;
}

std::string seconds_ago(const std::string& path) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) return "a moment";
  auto age = std::time(nullptr) - st.st_mtime;
  return age <= 1 ? "a second" : fmt::format("{} seconds", age);
}

std::string journal_text(const Journal& j) {
  std::string s = "desk-journal 1\n";
  s += fmt::format("lock {} {}\n", static_cast<unsigned long long>(j.lock_dev), static_cast<unsigned long long>(j.lock_ino));
  if (j.complete) {
    s += "old " + (j.old_commit ? git::oid_hex(*j.old_commit) : std::string("-")) + "\n";
    s += "new " + git::oid_hex(j.new_commit) + "\n";
    s += "subject " + j.subject + "\n";
    s += "ref " + j.ref + "\n";
    for (const auto& f : j.files) s += "file " + f + "\n";
  }
  return s;
}

std::optional<Journal> parse_journal(const std::string& text) {
  Journal j;
  auto lines = split(text, '\n');
  if (lines.empty() || lines[0] != "desk-journal 1") return std::nullopt;
  bool have_new = false;
  for (size_t i = 1; i < lines.size(); ++i) {
    const std::string& l = lines[i];
    auto sp = l.find(' ');
    if (sp == std::string::npos) continue;
    std::string key = l.substr(0, sp), val = l.substr(sp + 1);
    if (key == "lock") {
      unsigned long long dev = 0, ino = 0;
      if (std::sscanf(val.c_str(), "%llu %llu", &dev, &ino) != 2) return std::nullopt;
      j.lock_dev = static_cast<dev_t>(dev);
      j.lock_ino = static_cast<ino_t>(ino);
    } else if (key == "old" && val != "-") {
      git_oid o;
      if (git_oid_fromstr(&o, val.c_str()) != 0) return std::nullopt;
      j.old_commit = o;
    } else if (key == "new") {
      if (git_oid_fromstr(&j.new_commit, val.c_str()) != 0) return std::nullopt;
      have_new = true;
    } else if (key == "ref") {
      j.ref = val;
    } else if (key == "subject") {
      j.subject = val;
    } else if (key == "file") {
      j.files.push_back(val);
    }
  }
  j.complete = have_new;
  return j;
}

void write_journal(const std::string& path, const Journal& j, bool durable) {
  std::string tmp = path + ".tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) throw Error(ErrorKind::io, fmt::format("cannot write {}: {}", tmp, std::strerror(errno)));
  try {
    write_all(fd, journal_text(j), tmp);
    if (durable && ::fsync(fd) != 0) throw Error(ErrorKind::io, fmt::format("cannot sync {}: {}", tmp, std::strerror(errno)));
  } catch (...) {
    ::close(fd);
    throw;
  }
  ::close(fd);
  if (::rename(tmp.c_str(), path.c_str()) != 0) throw Error(ErrorKind::io, fmt::format("cannot write {}: {}", path, std::strerror(errno)));
}

}  // namespace desk::txn
