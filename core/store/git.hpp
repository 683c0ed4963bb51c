#pragma once
// RAII owners for libgit2 objects and the one place libgit2 errors become desk Errors.
#include <git2.h>

#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace desk::git {

/// Initializes libgit2 once per process; safe to call repeatedly.
void init_library();

/// Throws Error(git) with libgit2's last message when rc < 0.
void check(int rc, std::string_view what);

/// The commit HEAD points to, or nullopt on an unborn branch.
std::optional<git_oid> head_commit(git_repository* repo);

template <typename T, void (*Free)(T*)>
struct Deleter {
  void operator()(T* p) const { Free(p); }
};

using RepoPtr = std::unique_ptr<git_repository, Deleter<git_repository, git_repository_free>>;
using CommitPtr = std::unique_ptr<git_commit, Deleter<git_commit, git_commit_free>>;
using TreePtr = std::unique_ptr<git_tree, Deleter<git_tree, git_tree_free>>;
using BlobPtr = std::unique_ptr<git_blob, Deleter<git_blob, git_blob_free>>;
using RefPtr = std::unique_ptr<git_reference, Deleter<git_reference, git_reference_free>>;
using IndexPtr = std::unique_ptr<git_index, Deleter<git_index, git_index_free>>;
using SigPtr = std::unique_ptr<git_signature, Deleter<git_signature, git_signature_free>>;
using ConfigPtr = std::unique_ptr<git_config, Deleter<git_config, git_config_free>>;
using WalkPtr = std::unique_ptr<git_revwalk, Deleter<git_revwalk, git_revwalk_free>>;
using TreeEntryPtr = std::unique_ptr<git_tree_entry, Deleter<git_tree_entry, git_tree_entry_free>>;
using ObjectPtr = std::unique_ptr<git_object, Deleter<git_object, git_object_free>>;

/// The content of a blob as a string.
std::string blob_content(git_repository* repo, const git_oid& id);

/// The size of a blob from its object header, without inflating its content.
size_t blob_size(git_repository* repo, const git_oid& id);

/// The entry at a slash-separated path inside a tree, or null.
TreeEntryPtr tree_entry(git_tree* tree, std::string_view path);

/// The oid as 40 hex characters.
std::string oid_hex(const git_oid& id);

}  // namespace desk::git
