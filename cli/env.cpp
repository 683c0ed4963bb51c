#include "cli/env.hpp"

#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <stdexcept>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>

#include "core/util/text.hpp"

namespace desk::cli {

namespace {

std::optional<std::string> get(const char* name) {
  const char* v = std::getenv(name);
  if (!v) return std::nullopt;
  return std::string(v);
}

std::optional<std::string> get_nonempty(const char* name) {
  auto v = get(name);
  if (v && v->empty()) return std::nullopt;
  return v;
}

int run_editor(const std::string& editor, const std::string& file) {
  std::fflush(nullptr);
  pid_t pid = fork();
  if (pid < 0) return 127;
  if (pid == 0) {
    // As git does: the editor setting is shell text, the file a separate argument.
    std::string script = editor + " \"$@\"";
    execl("/bin/sh", "sh", "-c", script.c_str(), editor.c_str(), file.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

// Whether the first word of a shell command names a program that exists (a path, or in PATH):
// a pager that is not installed must not swallow the output (sh would print "not found").
bool program_exists(const std::string& command) {
  size_t b = command.find_first_not_of(" \t");
  if (b == std::string::npos) return false;
  std::string prog = command.substr(b, command.find_first_of(" \t", b) - b);
  if (prog.find('/') != std::string::npos) return ::access(prog.c_str(), X_OK) == 0;
  if (prog.find_first_of("'\"$`\\=") != std::string::npos) return true;  // shell syntax: let sh decide
  const char* path = std::getenv("PATH");
  for (const auto& dir : split(path ? path : "/usr/bin:/bin", ':'))
    if (::access((dir + "/" + prog).c_str(), X_OK) == 0) return true;
  return false;
}

bool run_pager(const std::string& pager, const std::string& text) {
  if (pager.empty() || pager == "cat" || !program_exists(pager)) return false;
  if (!std::getenv("LESS")) setenv("LESS", "FRX", 0);
  std::fflush(nullptr);
  FILE* p = popen(pager.c_str(), "w");
  if (!p) return false;
  std::fwrite(text.data(), 1, text.size(), p);
  return pclose(p) != -1;
}

std::string slurp_fd(int fd) {
  std::string s;
  lseek(fd, 0, SEEK_SET);
  char buf[4096];
  ssize_t n;
  while ((n = read(fd, buf, sizeof buf)) > 0) s.append(buf, static_cast<size_t>(n));
  close(fd);
  return s;
}

// In a forked child: runs argv (looked up in PATH) in dir; never returns.
[[noreturn]] void exec_in(const std::string& dir, const std::vector<std::string>& argv) {
  if (chdir(dir.c_str()) != 0) _exit(127);
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  execvp(args[0], args.data());
  _exit(127);
}

Env::ProcessResult run_process(const std::vector<std::string>& argv, const std::string& dir,
                               const std::vector<std::pair<std::string, std::string>>& extra_env) {
  Env::ProcessResult r;
  char out_tmpl[] = "/tmp/desk-out-XXXXXX";
  char err_tmpl[] = "/tmp/desk-err-XXXXXX";
  int out_fd = mkstemp(out_tmpl), err_fd = mkstemp(err_tmpl);
  unlink(out_tmpl);
  unlink(err_tmpl);
  std::fflush(nullptr);
  pid_t pid = fork();
  if (pid < 0) {
    r.code = 127;
    r.err = "cannot fork";
    return r;
  }
  if (pid == 0) {
    int devnull = open("/dev/null", O_RDONLY);
    dup2(devnull, 0);
    dup2(out_fd, 1);
    dup2(err_fd, 2);
    for (const auto& [k, v] : extra_env) setenv(k.c_str(), v.c_str(), 1);
    exec_in(dir, argv);
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
  }
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : 128;
  r.out = slurp_fd(out_fd);
  r.err = slurp_fd(err_fd);
  return r;
}

int temp_fd(const char* what) {
  char tmpl[] = "/tmp/desk-XXXXXX";
  int fd = mkstemp(tmpl);
  if (fd < 0) throw std::runtime_error(std::string("cannot create a temporary file for ") + what);
  unlink(tmpl);
  return fd;
}


}  // namespace

Env::ProcessResult run_system_shell(const std::string& command, const std::vector<std::string>& args, const std::string& input,
                                    std::chrono::seconds timeout) {
  Env::ProcessResult r;
  int in_fd = temp_fd("a program's input"), out_fd = temp_fd("a program's output"), err_fd = temp_fd("a program's errors");
  for (size_t done = 0; done < input.size();) {
    ssize_t n = write(in_fd, input.data() + done, input.size() - done);
    if (n <= 0) throw std::runtime_error("cannot write a temporary file");
    done += static_cast<size_t>(n);
  }
  lseek(in_fd, 0, SEEK_SET);
  std::fflush(nullptr);
  pid_t pid = fork();
  if (pid < 0) {
    close(in_fd);
    r.code = 127;
    r.err = "cannot fork";
    return r;
  }
  if (pid == 0) {
    dup2(in_fd, 0);
    dup2(out_fd, 1);
    dup2(err_fd, 2);
    setpgid(0, 0);  // its own group, so a timeout stops what it started too
    std::string script = command + " \"$@\"";
    std::vector<char*> argv = {const_cast<char*>("sh"), const_cast<char*>("-c"), script.data(), const_cast<char*>(command.c_str())};
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    execv("/bin/sh", argv.data());
    _exit(127);
  }
  close(in_fd);
  auto deadline = std::chrono::steady_clock::now() + timeout;
  int status = 0;
  bool killed = false;
  for (;;) {
    pid_t w = waitpid(pid, &status, WNOHANG);
    if (w == pid) break;
    if (w < 0 && errno != EINTR) break;
    if (!killed && std::chrono::steady_clock::now() > deadline) {
      kill(-pid, SIGKILL);
      kill(pid, SIGKILL);
      killed = true;
    }
    usleep(10000);
  }
  r.code = killed ? 124 : WIFEXITED(status) ? WEXITSTATUS(status) : 128;
  r.out = slurp_fd(out_fd);
  r.err = slurp_fd(err_fd);
  return r;
}

namespace {

// Double fork: the grandchild is adopted by init, so desk neither waits for it nor leaves a zombie.
void spawn_background(const std::vector<std::string>& argv, const std::string& dir) {
  pid_t pid = fork();
  if (pid < 0) return;
  if (pid == 0) {
    if (fork() != 0) _exit(0);
    setsid();
    int devnull = open("/dev/null", O_RDWR);
    if (devnull >= 0) {
      dup2(devnull, 0);
      dup2(devnull, 1);
      dup2(devnull, 2);
    }
    exec_in(dir, argv);
  }
  int status = 0;
  waitpid(pid, &status, 0);
}

}  // namespace

Env::ProcessResult run_system_process(const std::vector<std::string>& argv, const std::string& dir,
                                      const std::vector<std::pair<std::string, std::string>>& env) {
  return run_process(argv, dir, env);
}

Env env_from_process(std::istream& in, std::ostream& out, std::ostream& err) {
  Env env;
  std::error_code ec;
  env.cwd = std::filesystem::current_path(ec).string();
  env.desk_now = get_nonempty("DESK_NOW");
  env.json_format = get_nonempty("DESK_JSON_FORMAT");
  env.identity.author_name = get("GIT_AUTHOR_NAME");
  env.identity.author_email = get("GIT_AUTHOR_EMAIL");
  env.identity.committer_name = get("GIT_COMMITTER_NAME");
  env.identity.committer_email = get("GIT_COMMITTER_EMAIL");
  env.editor = get_nonempty("DESK_EDITOR");
  if (!env.editor) env.editor = get_nonempty("VISUAL");
  if (!env.editor) env.editor = get_nonempty("EDITOR");
  env.pager = get("DESK_PAGER");
  if (!env.pager) env.pager = get("PAGER");
  env.no_color = get_nonempty("NO_COLOR").has_value();
  env.no_index = get_nonempty("DESK_INDEX").value_or("") == "off";
  env.test_crash = get_nonempty("DESK_TEST_CRASH").value_or("");
  env.sendmail = get_nonempty("DESK_SENDMAIL");
  env.stdin_tty = isatty(0);
  env.stdout_tty = isatty(1);
  env.stderr_tty = isatty(2);
  struct winsize ws {};
  if (env.stdout_tty && ioctl(1, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) env.columns = ws.ws_col;
  else if (auto c = get_nonempty("COLUMNS")) env.columns = std::max(20, std::atoi(c->c_str()));
  if (env.stdout_tty && ws.ws_row > 0) env.lines = ws.ws_row;
  else if (auto l = get_nonempty("LINES")) env.lines = std::max(0, std::atoi(l->c_str()));
  auto term = get("TERM");
  if (term && *term == "dumb") env.no_color = true;
  env.rng = os_random();
  env.in = &in;
  env.out = &out;
  env.err = &err;
  env.run_editor = run_editor;
  env.run_pager = run_pager;
  env.clock = [] { return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()); };
  env.exe = std::filesystem::read_symlink("/proc/self/exe", ec).string();
  env.run_process = run_process;
  env.spawn_background = spawn_background;
  env.run_shell = run_system_shell;
  return env;
}

}  // namespace desk::cli
