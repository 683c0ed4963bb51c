// desk's own reader-writer of git's index, checked against the system git: after desk rewrites
// entries, git must read the file, agree on every entry, compute the same tree and see a clean
// working tree, in index versions 2, 3 and 4, with and without the cache-tree extension.
#include <sys/stat.h>

#include "core/store/gitindex.hpp"
#include "sandbox.hpp"

using namespace desk;
using namespace desk::testing;

namespace {

std::string slurp(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::ostringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

void spit(const std::string& path, const std::string& bytes) { std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes; }

git_oid hash_blob(const std::string& content) {
  git_oid oid;
  REQUIRE(git_odb_hash(&oid, content.data(), content.size(), GIT_OBJECT_BLOB) == 0);
  return oid;
}

gitindex::StatData stat_file(const std::string& path) {
  struct stat st;
  REQUIRE(::lstat(path.c_str(), &st) == 0);
  return gitindex::StatData::of(st);
}

// A repository with a few files in nested directories, committed (so the index has a cache tree).
void populate(const Sandbox& sb) {
  fs::create_directories(sb.dir);
  sb.git("init -q -b main .");
  for (const char* p : {"a.txt", "tickets/0a/one.toml", "tickets/0a/two.toml", "tickets/zz/three.toml", "z/deep/er/file"})
    sb.write(p, std::string("content of ") + p + "\n");
  sb.git("add -A");
  sb.git("commit -q -m base");
}

// Changes one file and adds another the way desk does (write, hash-object -w, then the index).
void change_with_desk(const Sandbox& sb) {
  std::string gitdir = sb.dir + "/.git/";
  std::string why;
  auto f = gitindex::File::parse(slurp(gitdir + "index"), &why);
  INFO(why);
  REQUIRE(f);
  sb.write("tickets/0a/two.toml", "changed\n");
  sb.write("tickets/1b/new.toml", "a new ticket\n");
  sb.git("hash-object -w tickets/0a/two.toml tickets/1b/new.toml");
  f->upsert("tickets/0a/two.toml", hash_blob("changed\n"), stat_file(sb.dir + "/tickets/0a/two.toml"));
  f->upsert("tickets/1b/new.toml", hash_blob("a new ticket\n"), stat_file(sb.dir + "/tickets/1b/new.toml"));
  std::remove((sb.dir + "/a.txt").c_str());
  f->remove("a.txt");
  spit(gitdir + "index", f->serialize());
}

// What git itself computes for the same change, in a second clone-free way: a fresh index.
std::string expected_tree(const Sandbox& sb) {
  return sb.sh("GIT_INDEX_FILE=.git/fresh git add -A >/dev/null && GIT_INDEX_FILE=.git/fresh git write-tree && rm .git/fresh");
}

}  // namespace

TEST_CASE("git reads desk's rewrite of a version-2 index with a cache tree and agrees on the tree", "[gitindex]") {
  Sandbox sb;
  populate(sb);
  REQUIRE(slurp(sb.dir + "/.git/index").find("TREE") != std::string::npos);
  change_with_desk(sb);
  CHECK(sb.git("fsck --no-dangling --connectivity-only 2>&1; git ls-files -s --debug >/dev/null && echo ok") == "ok\n");
  CHECK(sb.git("status --porcelain") == "D  a.txt\nM  tickets/0a/two.toml\nA  tickets/1b/new.toml\n");
  CHECK(sb.git("diff-files --quiet && echo clean") == "clean\n");
  CHECK(sb.git("ls-files") == "tickets/0a/one.toml\ntickets/0a/two.toml\ntickets/1b/new.toml\ntickets/zz/three.toml\nz/deep/er/file\n");
  CHECK(sb.git("write-tree") == expected_tree(sb));
}

TEST_CASE("the cache tree keeps untouched directories and forgets the changed ones", "[gitindex]") {
  Sandbox sb;
  populate(sb);
  auto has = [&](const std::string& node) { return slurp(sb.dir + "/.git/index").find(node) != std::string::npos; };
  REQUIRE(has(std::string("z\0001 1\n", 6)));
  REQUIRE(has(std::string("tickets\0003 2\n", 12)));
  change_with_desk(sb);
  CHECK(has(std::string("z\0001 1\n", 6)));             // untouched: still valid
  CHECK(has(std::string("tickets\000-1 2\n", 13)));     // changed: invalid, its subtrees kept
  CHECK_FALSE(has(std::string("tickets\0003 2\n", 12)));
  sb.git("commit -q -m after");
  CHECK(sb.git("status --porcelain") == "");
  CHECK(sb.git("rev-parse HEAD:tickets/1b/new.toml") == sb.sh("git hash-object tickets/1b/new.toml"));
}

TEST_CASE("version 4 (path compression) and version 3 (extended flags) round-trip", "[gitindex]") {
  for (const char* setup : {"update-index --index-version 4", "add -N intent.txt"}) {
    Sandbox sb;
    populate(sb);
    sb.write("intent.txt", "intent to add\n");
    sb.git(setup);
    change_with_desk(sb);
    INFO(setup);
    CHECK(sb.git("ls-files -s tickets/0a/two.toml | cut -c8-47") == sb.sh("git hash-object tickets/0a/two.toml"));
    CHECK(sb.git("diff-files --quiet -- tickets && echo clean") == "clean\n");
    CHECK(sb.git("status --porcelain -- tickets a.txt") == "D  a.txt\nM  tickets/0a/two.toml\nA  tickets/1b/new.toml\n");
    if (std::string(setup).find("-N") != std::string::npos) CHECK(sb.git("status --porcelain intent.txt") == " A intent.txt\n");
    if (std::string(setup).find("version 4") != std::string::npos) CHECK(sb.sh("od -An -tx1 -j4 -N4 .git/index") == " 00 00 00 04\n");
  }
}

TEST_CASE("an index desk cannot rewrite faithfully is refused with a reason", "[gitindex]") {
  Sandbox sb;
  populate(sb);
  std::string why;
  std::string bytes = slurp(sb.dir + "/.git/index");
  std::string damaged = bytes;
  damaged[20] ^= 1;
  CHECK_FALSE(gitindex::File::parse(damaged, &why));
  CHECK(why.find("checksum") != std::string::npos);
  CHECK_FALSE(gitindex::File::parse(bytes.substr(0, 20), &why));
  sb.git("update-index --split-index");
  CHECK_FALSE(gitindex::File::parse(slurp(sb.dir + "/.git/index"), &why));
  INFO(why);
  CHECK(why.find("split index") != std::string::npos);
}

TEST_CASE("lookups see stage-0 entries and unresolved conflicts", "[gitindex]") {
  Sandbox sb;
  populate(sb);
  sb.git("checkout -q -b other");
  sb.write("tickets/0a/one.toml", "theirs\n");
  sb.git("commit -q -am theirs");
  sb.git("checkout -q main");
  sb.write("tickets/0a/one.toml", "ours\n");
  sb.git("commit -q -am ours");
  sb.git("merge -q other");  // conflicts
  std::string why;
  auto f = gitindex::File::parse(slurp(sb.dir + "/.git/index"), &why);
  REQUIRE(f);
  auto one = f->find("tickets/0a/one.toml");
  CHECK(one.conflicted);
  CHECK_FALSE(one.staged);
  auto three = f->find("tickets/zz/three.toml");
  CHECK(three.staged);
  CHECK_FALSE(three.conflicted);
  CHECK(git::oid_hex(three.id) + "\n" == sb.git("rev-parse HEAD:tickets/zz/three.toml"));
  CHECK_FALSE(f->find("tickets/0a/none.toml").staged);
  // Resolving it through desk leaves one stage-0 entry.
  sb.write("tickets/0a/one.toml", "resolved\n");
  sb.git("hash-object -w tickets/0a/one.toml");
  f->upsert("tickets/0a/one.toml", hash_blob("resolved\n"), stat_file(sb.dir + "/tickets/0a/one.toml"));
  spit(sb.dir + "/.git/index", f->serialize());
  CHECK(sb.git("ls-files -u") == "");
  CHECK(sb.git("diff-files --quiet -- tickets/0a/one.toml && echo clean") == "clean\n");
}
