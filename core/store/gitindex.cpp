#include "core/store/gitindex.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <cstring>
#include <stdexcept>

namespace desk::gitindex {

namespace {

constexpr size_t kHeader = 12, kTrailer = 20, kFixed = 62;

uint32_t be32(const char* p) {
  auto u = reinterpret_cast<const unsigned char*>(p);
  return (uint32_t(u[0]) << 24) | (uint32_t(u[1]) << 16) | (uint32_t(u[2]) << 8) | uint32_t(u[3]);
}
uint16_t be16(const char* p) {
  auto u = reinterpret_cast<const unsigned char*>(p);
  return static_cast<uint16_t>((u[0] << 8) | u[1]);
}
void put32(std::string& out, uint32_t v) {
  char b[4] = {char(v >> 24), char(v >> 16), char(v >> 8), char(v)};
  out.append(b, 4);
}
void put16(std::string& out, uint16_t v) {
  char b[2] = {char(v >> 8), char(v)};
  out.append(b, 2);
}

// The offset varint of index v4 (the same as a pack's ofs-delta).
bool get_varint(const char*& p, const char* end, size_t& out) {
  if (p >= end) return false;
  auto c = static_cast<unsigned char>(*p++);
  size_t v = c & 127;
  while (c & 128) {
    if (p >= end || v > (SIZE_MAX >> 8)) return false;
    c = static_cast<unsigned char>(*p++);
    v = ((v + 1) << 7) | (c & 127);
  }
  out = v;
  return true;
}
void put_varint(std::string& out, size_t v) {
  unsigned char buf[16];
  size_t pos = sizeof buf - 1;
  buf[pos] = v & 127;
  while (v >>= 7) buf[--pos] = static_cast<unsigned char>(128 | (--v & 127));
  out.append(reinterpret_cast<const char*>(buf + pos), sizeof buf - pos);
}

// The cache-tree extension ("TREE"): one node per directory, in pre-order.
struct TreeNode {
  std::string_view name;
  long entries = -1;
  long subtrees = 0;
  std::string_view oid;
  std::vector<TreeNode> children;
};

bool parse_number(const char*& p, const char* end, char stop, long& out) {
  const char* start = p;
  while (p < end && *p != stop) ++p;
  if (p >= end || p == start || p - start > 12) return false;
  std::string s(start, p);
  char* e = nullptr;
  out = std::strtol(s.c_str(), &e, 10);
  if (*e) return false;
  ++p;
  return true;
}

bool parse_tree(const char*& p, const char* end, TreeNode& node, int depth) {
  if (depth > 4096) return false;
  const char* nul = static_cast<const char*>(std::memchr(p, 0, static_cast<size_t>(end - p)));
  if (!nul) return false;
  node.name = std::string_view(p, static_cast<size_t>(nul - p));
  p = nul + 1;
  if (!parse_number(p, end, ' ', node.entries) || !parse_number(p, end, '\n', node.subtrees)) return false;
  if (node.subtrees < 0) return false;
  if (node.entries >= 0) {
    if (end - p < 20) return false;
    node.oid = std::string_view(p, 20);
    p += 20;
  }
  node.children.resize(static_cast<size_t>(std::min<long>(node.subtrees, end - p)));
  if (static_cast<long>(node.children.size()) != node.subtrees) return false;
  for (auto& c : node.children)
    if (!parse_tree(p, end, c, depth + 1)) return false;
  return true;
}

void invalidate(TreeNode& root, std::string_view path) {
  TreeNode* node = &root;
  node->entries = -1;
  for (;;) {
    auto slash = path.find('/');
    if (slash == std::string_view::npos) return;
    std::string_view dir = path.substr(0, slash);
    path.remove_prefix(slash + 1);
    auto it = std::find_if(node->children.begin(), node->children.end(), [&](const TreeNode& c) { return c.name == dir; });
    if (it == node->children.end()) return;
    node = &*it;
    node->entries = -1;
  }
}

void write_tree(std::string& out, const TreeNode& node) {
  out.append(node.name);
  out.push_back('\0');
  out += std::to_string(node.entries);
  out.push_back(' ');
  out += std::to_string(node.children.size());
  out.push_back('\n');
  if (node.entries >= 0) out.append(node.oid);
  for (const auto& c : node.children) write_tree(out, c);
}

}  // namespace

void sha1(const void* data, size_t size, unsigned char out[20]) {
  unsigned int len = 0;
  if (EVP_Digest(data, size, out, &len, EVP_sha1(), nullptr) != 1 || len != 20) throw std::runtime_error("SHA-1 failed");
}

StatData StatData::of(const struct stat& st) {
  StatData d;
  d.ctime_s = static_cast<uint32_t>(st.st_ctim.tv_sec);
  d.ctime_ns = static_cast<uint32_t>(st.st_ctim.tv_nsec);
  d.mtime_s = static_cast<uint32_t>(st.st_mtim.tv_sec);
  d.mtime_ns = static_cast<uint32_t>(st.st_mtim.tv_nsec);
  d.dev = static_cast<uint32_t>(st.st_dev);
  d.ino = static_cast<uint32_t>(st.st_ino);
  d.mode = S_ISLNK(st.st_mode) ? 0120000 : ((st.st_mode & 0100) ? 0100755 : 0100644);
  d.uid = static_cast<uint32_t>(st.st_uid);
  d.gid = static_cast<uint32_t>(st.st_gid);
  d.size = static_cast<uint32_t>(st.st_size);
  return d;
}

int File::Entry::stage() const { return (be16(fixed.data() + 60) >> 12) & 3; }

std::unique_ptr<File> File::empty() { return std::unique_ptr<File>(new File()); }

std::unique_ptr<File> File::parse(std::string bytes, std::string* why) {
  auto fail = [&](const char* reason) {
    if (why) *why = reason;
    return std::unique_ptr<File>();
  };
  if (bytes.size() < kHeader + kTrailer) return fail("too short to be an index");
  if (std::memcmp(bytes.data(), "DIRC", 4) != 0) return fail("not a git index");
  unsigned char sum[20];
  sha1(bytes.data(), bytes.size() - kTrailer, sum);
  if (std::memcmp(sum, bytes.data() + bytes.size() - kTrailer, kTrailer) != 0) return fail("its checksum does not match");
  std::unique_ptr<File> f(new File());
  f->data_ = std::move(bytes);
  const char* base = f->data_.data();
  const char* end = base + f->data_.size() - kTrailer;
  f->version_ = be32(base + 4);
  if (f->version_ < 2 || f->version_ > 4) return fail("an index version this desk does not know");
  uint32_t count = be32(base + 8);
  if (count > (f->data_.size() / kFixed)) return fail("a damaged entry count");
  f->entries_.reserve(count);
  const char* p = base + kHeader;
  std::string prev;
  for (uint32_t i = 0; i < count; ++i) {
    if (end - p < static_cast<long>(kFixed)) return fail("a truncated entry");
    uint16_t flags = be16(p + 60);
    size_t fixed = kFixed;
    if (flags & 0x4000) {
      if (f->version_ < 3) return fail("extended flags in a version-2 index");
      fixed += 2;
    }
    if (end - p < static_cast<long>(fixed)) return fail("a truncated entry");
    std::string_view fixed_bytes(p, fixed);
    const char* q = p + fixed;
    std::string_view path;
    if (f->version_ == 4) {
      size_t strip = 0;
      if (!get_varint(q, end, strip) || strip > prev.size()) return fail("a damaged path");
      const char* nul = static_cast<const char*>(std::memchr(q, 0, static_cast<size_t>(end - q)));
      if (!nul) return fail("a damaged path");
      prev.resize(prev.size() - strip);
      prev.append(q, static_cast<size_t>(nul - q));
      path = f->own(prev);
      p = nul + 1;
    } else {
      const char* nul = static_cast<const char*>(std::memchr(q, 0, static_cast<size_t>(end - q)));
      if (!nul) return fail("a damaged path");
      path = std::string_view(q, static_cast<size_t>(nul - q));
      size_t len = fixed + path.size();
      size_t padded = (len + 8) & ~size_t(7);
      if (static_cast<size_t>(end - p) < padded) return fail("a truncated entry");
      p += padded;
    }
    if (path.empty()) return fail("an entry without a path (a split index)");
    if (path.back() == '/') return fail("a sparse-directory entry (a sparse index)");
    f->entries_.push_back({fixed_bytes, path});
  }
  while (end - p >= 8) {
    std::string sig(p, 4);
    uint32_t size = be32(p + 4);
    if (static_cast<size_t>(end - p - 8) < size) return fail("a truncated extension");
    if (sig[0] < 'A' || sig[0] > 'Z') return fail("an extension desk cannot keep (split index or sparse index)");
    f->extensions_.push_back({sig, std::string_view(p + 8, size)});
    p += 8 + size;
  }
  if (p != end) return fail("bytes after its last extension");
  return f;
}

std::string_view File::own(std::string s) {
  owned_.push_back(std::move(s));
  return owned_.back();
}

size_t File::lower_bound(std::string_view path) const {
  auto it = std::lower_bound(entries_.begin(), entries_.end(), path, [](const Entry& e, std::string_view p) { return e.path < p; });
  return static_cast<size_t>(it - entries_.begin());
}

File::Lookup File::find(std::string_view path) const {
  Lookup out;
  for (size_t i = lower_bound(path); i < entries_.size() && entries_[i].path == path; ++i) {
    if (entries_[i].stage() == 0) {
      out.staged = true;
      std::memcpy(out.id.id, entries_[i].fixed.data() + 40, 20);
    } else {
      out.conflicted = true;
    }
  }
  return out;
}

void File::upsert(std::string_view path, const git_oid& id, const StatData& st) {
  std::string fixed;
  fixed.reserve(kFixed);
  for (uint32_t v : {st.ctime_s, st.ctime_ns, st.mtime_s, st.mtime_ns, st.dev, st.ino, st.mode, st.uid, st.gid, st.size}) put32(fixed, v);
  fixed.append(reinterpret_cast<const char*>(id.id), 20);
  put16(fixed, static_cast<uint16_t>(std::min<size_t>(path.size(), 0xFFF)));
  Entry e{own(std::move(fixed)), own(std::string(path))};
  size_t first = lower_bound(path), last = first;
  while (last < entries_.size() && entries_[last].path == path) ++last;
  if (first == last) {
    entries_.insert(entries_.begin() + static_cast<long>(first), e);
  } else {
    entries_[first] = e;
    entries_.erase(entries_.begin() + static_cast<long>(first) + 1, entries_.begin() + static_cast<long>(last));
  }
  changed_.emplace_back(path);
}

void File::remove(std::string_view path) {
  size_t first = lower_bound(path), last = first;
  while (last < entries_.size() && entries_[last].path == path) ++last;
  entries_.erase(entries_.begin() + static_cast<long>(first), entries_.begin() + static_cast<long>(last));
  changed_.emplace_back(path);
}

std::string File::serialize() const {
  std::string out;
  out.reserve(data_.size() + 256 + changed_.size() * 128);
  out.append("DIRC", 4);
  put32(out, version_);
  put32(out, static_cast<uint32_t>(entries_.size()));
  std::string_view prev;
  for (const auto& e : entries_) {
    out.append(e.fixed);
    if (version_ == 4) {
      size_t common = 0;
      while (common < prev.size() && common < e.path.size() && prev[common] == e.path[common]) ++common;
      put_varint(out, prev.size() - common);
      out.append(e.path.substr(common));
      out.push_back('\0');
      prev = e.path;
    } else {
      size_t len = e.fixed.size() + e.path.size();
      out.append(e.path);
      out.append(((len + 8) & ~size_t(7)) - len, '\0');
    }
  }
  for (const auto& x : extensions_) {
    std::string body;
    if (x.sig == "TREE") {
      if (changed_.empty()) {
        body = std::string(x.body);
      } else {
        TreeNode root;
        const char* p = x.body.data();
        if (!parse_tree(p, x.body.data() + x.body.size(), root, 0) || p != x.body.data() + x.body.size()) continue;
        for (const auto& path : changed_) invalidate(root, path);
        write_tree(body, root);
      }
    } else if (x.sig == "REUC" || x.sig == "UNTR") {
      body = std::string(x.body);
    } else {
      continue;  // EOIE, IEOT, FSMN and unknown optional extensions: dropped
    }
    out.append(x.sig);
    put32(out, static_cast<uint32_t>(body.size()));
    out.append(body);
  }
  unsigned char sum[20];
  sha1(out.data(), out.size(), sum);
  out.append(reinterpret_cast<const char*>(sum), 20);
  return out;
}

}  // namespace desk::gitindex
