#include "core/store/git.hpp"

#include <fmt/format.h>

#include <mutex>

#include "core/util/error.hpp"

namespace desk::git {

void init_library() {
  static std::once_flag once;
  std::call_once(once, [] {
    git_libgit2_init();
    // libgit2 caches trees only up to 4 KB by default; a large desk's tickets/ tree (1,024
    // fan-out directories, 40 KB) was inflated again for every path looked up under it, which
    // made 20,000 lookups take seconds. Trees up to 1 MB stay cached (the cache's total bound,
    // 256 MB, is libgit2's own).
    git_libgit2_opts(GIT_OPT_SET_CACHE_OBJECT_LIMIT, GIT_OBJECT_TREE, static_cast<size_t>(1) << 20);
    // libgit2 hashes every object it reads to check its id; git itself does not (fsck does).
    // The hashing was a quarter of `desk show` on a desk whose HEAD is a 2 MB import commit,
    // and it is paid again for every ticket a whole-desk read inflates. zlib's own checksum
    // still catches a damaged object.
    git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0);
  });
}

void check(int rc, std::string_view what) {
  if (rc >= 0) return;
  const git_error* e = git_error_last();
  throw Error(ErrorKind::git, fmt::format("{}: {}", what, e && e->message ? e->message : "unknown libgit2 error"));
}

std::string blob_content(git_repository* repo, const git_oid& id) {
  git_blob* raw = nullptr;
  check(git_blob_lookup(&raw, repo, &id), "cannot read blob");
  BlobPtr blob(raw);
  return std::string(static_cast<const char*>(git_blob_rawcontent(raw)), static_cast<size_t>(git_blob_rawsize(raw)));
}

size_t blob_size(git_repository* repo, const git_oid& id) {
  git_odb* odb = nullptr;
  check(git_repository_odb(&odb, repo), "cannot open the object database");
  size_t len = 0;
  git_object_t type = GIT_OBJECT_INVALID;
  int rc = git_odb_read_header(&len, &type, odb, &id);
  git_odb_free(odb);
  check(rc, "cannot read blob");
  return len;
}

TreeEntryPtr tree_entry(git_tree* tree, std::string_view path) {
  git_tree_entry* raw = nullptr;
  std::string p(path);
  if (git_tree_entry_bypath(&raw, tree, p.c_str()) != 0) {
    git_error_clear();
    return nullptr;
  }
  return TreeEntryPtr(raw);
}

std::string oid_hex(const git_oid& id) {
  char buf[GIT_OID_HEXSZ + 1];
  git_oid_tostr(buf, sizeof buf, &id);
  return buf;
}

std::optional<git_oid> head_commit(git_repository* repo) {
  git_oid oid;
  int rc = git_reference_name_to_id(&oid, repo, "HEAD");
  if (rc == GIT_ENOTFOUND || rc == GIT_EUNBORNBRANCH) {
    git_error_clear();
    return std::nullopt;
  }
  check(rc, "cannot read HEAD");
  return oid;
}

}  // namespace desk::git
