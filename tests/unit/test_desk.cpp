// The commit engine in real, throwaway git repositories, checked with the system git.
#include <stdlib.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "catch.hpp"
#include "core/model/config.hpp"
#include "core/store/desk.hpp"
#include "core/model/embedded.hpp"
#include "core/util/error.hpp"
#include "core/store/git.hpp"
#include "core/model/id.hpp"
#include "core/util/text.hpp"
#include "core/model/workflow.hpp"
#include "sandbox.hpp"

using namespace desk;
using namespace desk::testing;
namespace fs = std::filesystem;

namespace {

const Identity carl{"Carl Committer", "carl@example.com"};

const Config& cfg() {
  static const Config c = parse_config(default_config_text(), ".desk/config.toml");
  return c;
}

// A ticket with a chosen id, as desk would write it.
std::string ticket_text(const std::string& id, const std::string& title = "VPN drops") {
  Context ctx{t0, alice.display(), seeded_random(9)};
  NewTicketArgs a;
  a.title = title;
  Ticket t = create_ticket(cfg(), ctx, a, nullptr, [](const std::string&) { return false; }).ticket;
  t.id = id;
  return emit_ticket(t);
}

// Commits one ticket file with the usual trailers and returns the result.
CommitResult put_ticket(const Desk& d, const std::string& id, const std::string& title = "VPN drops") {
  return d.commit(alice, alice, t0, [&](const Snapshot&) {
    Mutation m;
    m.files.push_back({ticket_path(id), ticket_text(id, title)});
    m.subject = "new " + id.substr(0, 6) + ": " + title;
    m.trailers = {{"Desk-Ticket", id}, {"Desk-Action", "create"}};
    return m;
  });
}

template <typename F>
Error error_of(F&& f) {
  try {
    f();
  } catch (const Error& e) {
    return e;
  }
  FAIL("no desk::Error thrown");
  return Error(ErrorKind::invalid, "");
}

std::vector<std::string> lines(const std::string& s) {
  std::vector<std::string> out;
  std::istringstream in(s);
  for (std::string l; std::getline(in, l);)
    if (!l.empty()) out.push_back(l);
  return out;
}

const std::string id_a = "7kq2x9ab3d";
const std::string id_b = "7kq2y0aaaa";
const std::string id_c = "m3n4p5q6r7";

}  // namespace

// ---------------------------------------------------------------------------------------------
// init and open

TEST_CASE("init creates the desk in one commit with config, templates, macros and .gitattributes", "[desk][init]") {
  Sandbox s;
  CommitResult r = Desk::init(s.dir, alice, carl, t0);
  CHECK(r.commit.size() == 40);
  CHECK(r.warnings.empty());
  CHECK(s.head() == r.commit);
  CHECK(s.commits() == 1);
  CHECK(trim(s.sh("git symbolic-ref HEAD")) == "refs/heads/main");
  std::vector<std::string> expected = {".desk/config.toml", ".gitattributes"};
  for (const auto& f : embedded_templates()) expected.push_back(".desk/templates/" + std::string(f.name));
  for (const auto& f : embedded_macros()) expected.push_back(".desk/macros/" + std::string(f.name));
  std::sort(expected.begin(), expected.end());
  CHECK(lines(s.sh("git ls-tree -r --name-only HEAD")) == expected);
  CHECK(s.sh("git show HEAD:.desk/config.toml") == default_config_text());
  CHECK_THAT(s.sh("git show HEAD:.gitattributes"), Catch::Contains("tickets/** merge=desk\n"));
  CHECK(s.sh("git log -1 --format=%an%n%ae%n%cn%n%ce%n%at") == "Alice Agent\nalice@example.com\nCarl Committer\ncarl@example.com\n" +
                                                                    std::to_string(t0.time_since_epoch().count()) + "\n");
  CHECK(s.sh("git log -1 --format=%s") == "init desk\n");
  CHECK(s.sh("git log -1 --format='%(trailers:key=Desk-Action,valueonly)'") == "init\n\n");
  CHECK(s.sh("git status --porcelain") == "");
  CHECK(s.sh("git fsck --no-dangling && echo ok") == "ok\n");
  CHECK(s.read(".desk/config.toml") == default_config_text());  // the working tree has it too
}

TEST_CASE("init in an existing repository keeps its history and appends to its .gitattributes", "[desk][init]") {
  Sandbox s;
  fs::create_directories(s.dir);
  s.sh("git init -q -b trunk");
  s.write(".gitattributes", "*.png binary");
  s.write("README.md", "hello\n");
  s.git("add . && git -c user.name=Sys -c user.email=sys@example.com commit -q -m first");
  s.write("README.md", "hello, edited\n");  // the user's unstaged work
  Desk::init(s.dir, alice, alice, t0);
  CHECK(s.commits() == 2);
  CHECK(trim(s.sh("git symbolic-ref HEAD")) == "refs/heads/trunk");
  std::string attrs = s.sh("git show HEAD:.gitattributes");
  CHECK_THAT(attrs, Catch::StartsWith("*.png binary\n"));  // the user's line kept, a newline added
  CHECK_THAT(attrs, Catch::Contains("\ntickets/** merge=desk\n"));
  CHECK_THAT(attrs, Catch::EndsWith("\n"));
  CHECK(s.sh("git show HEAD:README.md") == "hello\n");
  CHECK(s.read("README.md") == "hello, edited\n");
  CHECK(s.sh("git status --porcelain") == " M README.md\n");
}

TEST_CASE("a second init is refused and changes nothing", "[desk][init]") {
  Sandbox s;
  Desk::init(s.dir, alice, alice, t0);
  std::string head = s.head();
  Error e = error_of([&] { Desk::init(s.dir, alice, alice, t0); });
  CHECK(e.kind() == ErrorKind::state);
  CHECK_THAT(std::string(e.what()), Catch::Contains("already has a desk"));
  CHECK(s.head() == head);
}

TEST_CASE("init is refused when an uncommitted .desk/config.toml is in the way", "[desk][init]") {
  Sandbox s;
  s.write(".desk/config.toml", "# mine\n");
  Error e = error_of([&] { Desk::init(s.dir, alice, alice, t0); });
  CHECK(e.kind() == ErrorKind::state);
  CHECK(s.read(".desk/config.toml") == "# mine\n");
}

TEST_CASE("open finds the desk from a subdirectory and refuses what is not a desk", "[desk][open]") {
  Sandbox s;
  SECTION("outside any repository") {
    fs::create_directories(s.dir);
    Error e = error_of([&] { Desk::open(s.dir); });
    CHECK(e.kind() == ErrorKind::not_a_desk);
    CHECK_THAT(std::string(e.what()), Catch::Contains("is not inside a git repository"));
  }
  SECTION("a repository without a desk") {
    fs::create_directories(s.dir);
    s.sh("git init -q");
    Error e = error_of([&] { Desk::open(s.dir); });
    CHECK(e.kind() == ErrorKind::not_a_desk);
    CHECK_THAT(e.hint(), Catch::Contains("desk init"));
  }
  SECTION("a subdirectory of a desk") {
    s.init();
    fs::create_directories(s.dir + "/some/where");
    Desk d = Desk::open(s.dir + "/some/where");
    CHECK(d.root() == fs::canonical(s.dir).string() + "/");
    CHECK(d.config().tiers.size() == 5);
  }
}

// ---------------------------------------------------------------------------------------------
// commit

TEST_CASE("commit makes exactly one commit touching only the given file, with subject, body and trailers", "[desk][commit]") {
  Sandbox s;
  Desk d = s.init();
  std::string before = s.head();
  std::string text = ticket_text(id_a);
  CommitResult r = d.commit(alice, carl, t0 + std::chrono::minutes(5), [&](const Snapshot& snap) {
    CHECK(snap.commit());
    Mutation m;
    m.files.push_back({ticket_path(id_a), text});
    m.subject = "new 7kq2x9: VPN drops";
    m.body = "  Since Monday.\n\n";
    m.trailers = {{"Desk-Ticket", id_a}, {"Desk-Action", "create"}};
    return m;
  });
  REQUIRE(r.commit.size() == 40);
  CHECK(r.warnings.empty());
  CHECK(s.head() == r.commit);
  CHECK(s.commits() == 2);
  CHECK(trim(s.sh("git rev-parse HEAD^")) == before);
  CHECK(s.sh("git diff --name-only HEAD^ HEAD") == "tickets/7k/7kq2x9ab3d.toml\n");
  CHECK(s.sh("git log -1 --format=%B") == "new 7kq2x9: VPN drops\n\nSince Monday.\n\nDesk-Ticket: 7kq2x9ab3d\nDesk-Action: create\n\n");
  CHECK(s.sh("git log -1 --format=%an/%cn/%ct") == "Alice Agent/Carl Committer/" + std::to_string((t0 + std::chrono::minutes(5)).time_since_epoch().count()) + "\n");
  CHECK(s.sh("git show HEAD:tickets/7k/7kq2x9ab3d.toml") == text);
  // Working tree and index match the new HEAD.
  CHECK(s.read("tickets/7k/7kq2x9ab3d.toml") == text);
  CHECK(s.sh("git status --porcelain") == "");
  CHECK(s.sh("git diff --cached --name-only") == "");
  CHECK(s.sh("git fsck --no-dangling && echo ok") == "ok\n");
}

TEST_CASE("commit leaves the user's other staged and unstaged work alone", "[desk][commit]") {
  Sandbox s;
  Desk d = s.init();
  s.write(".desk/config.toml", std::string(default_config_text()) + "# my local tweak\n");  // unstaged
  s.write("notes.txt", "staged notes\n");
  s.sh("git add notes.txt");                                                               // staged
  s.write("scratch.txt", "untracked\n");                                                   // untracked
  put_ticket(d, id_a);
  CHECK(s.sh("git show --name-only --format= HEAD") == "tickets/7k/7kq2x9ab3d.toml\n");
  CHECK(s.sh("git status --porcelain") == " M .desk/config.toml\nA  notes.txt\n?? scratch.txt\n");
  CHECK_THAT(s.read(".desk/config.toml"), Catch::EndsWith("# my local tweak\n"));
  CHECK(s.sh("git diff --cached --name-only") == "notes.txt\n");
}

TEST_CASE("commit writes nothing when the mutation changes nothing", "[desk][commit]") {
  Sandbox s;
  Desk d = s.init();
  put_ticket(d, id_a);
  std::string head = s.head();
  SECTION("same content as HEAD") {
    CommitResult r = put_ticket(d, id_a);
    CHECK(r.commit.empty());
  }
  SECTION("no files at all") {
    CommitResult r = d.commit(alice, alice, t0, [](const Snapshot&) {
      Mutation m;
      m.subject = "nothing";
      return m;
    });
    CHECK(r.commit.empty());
  }
  SECTION("deleting a file that does not exist") {
    CommitResult r = d.commit(alice, alice, t0, [](const Snapshot&) {
      Mutation m;
      m.files.push_back({"tickets/zz/zzzzzzzzzz.toml", std::nullopt});
      m.subject = "delete nothing";
      return m;
    });
    CHECK(r.commit.empty());
  }
  CHECK(s.head() == head);
  CHECK(s.sh("git status --porcelain") == "");
}

TEST_CASE("commit deletes a file from HEAD, the index and the working tree", "[desk][commit]") {
  Sandbox s;
  Desk d = s.init();
  put_ticket(d, id_a);
  put_ticket(d, id_c);
  CommitResult r = d.commit(alice, alice, t0, [](const Snapshot&) {
    Mutation m;
    m.files.push_back({ticket_path(id_a), std::nullopt});
    m.subject = "delete";
    m.trailers = {{"Desk-Action", "delete"}};
    return m;
  });
  CHECK_FALSE(r.commit.empty());
  CHECK(s.sh("git show --name-status --format= HEAD") == "D\ttickets/7k/7kq2x9ab3d.toml\n");
  CHECK_FALSE(fs::exists(s.dir + "/" + ticket_path(id_a)));
  CHECK(fs::exists(s.dir + "/" + ticket_path(id_c)));
  CHECK(s.sh("git status --porcelain") == "");
}

// Commits on HEAD's branch the way a writer that never takes git's index lock does (`git
// update-ref`, a push to this branch): objects and the ref, neither index nor working tree.
void commit_behind_desk(const Sandbox& s, const std::string& path, const std::string& content, const std::string& subject) {
  s.write(".git/behind.txt", content);
  s.sh("export GIT_INDEX_FILE=.git/behind-index && git read-tree HEAD && b=$(git hash-object -w .git/behind.txt) && "
       "git update-index --add --cacheinfo 100644,$b," + path + " && t=$(git write-tree) && "
       "c=$(git -c user.name=Sys -c user.email=sys@example.com commit-tree $t -p HEAD -m '" + subject + "') && "
       "git update-ref HEAD $c && rm .git/behind-index .git/behind.txt");
}

TEST_CASE("commit retries when another writer moves the branch, and both commits land", "[desk][commit][cas]") {
  Sandbox s;
  Desk d = s.init();
  int calls = 0;
  std::vector<bool> saw_other;
  CommitResult r = d.commit(alice, alice, t0, [&](const Snapshot& snap) {
    ++calls;
    saw_other.push_back(snap.read("other.txt").has_value());
    if (calls == 1) commit_behind_desk(s, "other.txt", "from someone else\n", "other writer");
    Mutation m;
    m.files.push_back({ticket_path(id_a), ticket_text(id_a)});
    m.subject = "new 7kq2x9: VPN drops";
    m.trailers = {{"Desk-Ticket", id_a}, {"Desk-Action", "create"}};
    return m;
  });
  CHECK(calls == 2);
  CHECK(saw_other == std::vector<bool>{false, true});  // the retry rebuilt from the new HEAD
  CHECK(s.head() == r.commit);
  CHECK(s.sh("git log --format=%s") == "new 7kq2x9: VPN drops\nother writer\ninit desk\n");
  CHECK(lines(s.sh("git ls-tree -r --name-only HEAD -- other.txt tickets")) ==
        std::vector<std::string>{"other.txt", "tickets/7k/7kq2x9ab3d.toml"});
  CHECK(s.sh("git status --porcelain -- tickets .desk") == "");
}

TEST_CASE("a retry puts back the working tree and index a lost swap had already changed", "[desk][commit][cas]") {
  // desk writes the working tree and index before it moves the branch; when the swap fails, what
  // it wrote goes back before it rebuilds, so a retry that changes other files leaves no trace.
  Sandbox s;
  Desk d = s.init();
  int calls = 0;
  d.commit(alice, alice, t0, [&](const Snapshot&) {
    Mutation m;
    if (++calls == 1) {
      commit_behind_desk(s, "other.txt", "from someone else\n", "other writer");
      m.files.push_back({ticket_path(id_a), ticket_text(id_a)});
    } else {
      m.files.push_back({ticket_path(id_b), ticket_text(id_b)});
    }
    m.subject = "new";
    return m;
  });
  CHECK(calls == 2);
  CHECK(lines(s.sh("git ls-tree -r --name-only HEAD -- tickets")) == std::vector<std::string>{ticket_path(id_b)});
  CHECK(!fs::exists(s.dir + "/" + ticket_path(id_a)));
  CHECK(s.sh("git ls-files -- tickets") == ticket_path(id_b) + "\n");
  CHECK(s.sh("git status --porcelain -- tickets .desk") == "");
}

TEST_CASE("a user's git commit cannot run while desk builds its change: git's index lock is desk's", "[desk][commit][lock]") {
  Sandbox s;
  Desk d = s.init();
  std::string out;
  d.commit(alice, alice, t0, [&](const Snapshot&) {
    s.write("notes.txt", "mine\n");
    out = s.git("add notes.txt");
    Mutation m;
    m.files.push_back({ticket_path(id_a), ticket_text(id_a)});
    m.subject = "new";
    return m;
  });
  CHECK_THAT(out, Catch::Matchers::Contains("index.lock"));
  CHECK(s.sh("git status --porcelain") == "?? notes.txt\n");
  CHECK(s.git("add notes.txt && git -c user.name=Sys -c user.email=sys@example.com commit -q -m notes && git show --stat --format= HEAD") ==
        " notes.txt | 1 +\n 1 file changed, 1 insertion(+)\n");
  CHECK(s.sh("git ls-tree -r --name-only HEAD -- tickets") == "tickets/7k/7kq2x9ab3d.toml\n");
}

TEST_CASE("a branch moved behind desk's back on the same ticket is refused, not overwritten", "[desk][commit][cas]") {
  // A writer that skips git's index lock (update-ref) changed the ticket desk is changing: the
  // retry sees a working tree and index that no longer match HEAD and refuses; nothing is lost.
  Sandbox s;
  Desk d = s.init();
  put_ticket(d, id_a);
  int calls = 0;
  Context ctx{t0, alice.display(), seeded_random(5)};
  std::string behind;
  auto attempt = [&] {
    d.commit(alice, alice, t0, [&](const Snapshot& snap) {
      if (++calls == 1) {
        Ticket other = comment(snap.ticket(id_a), Context{t0, "Bo <bo@example.com>", seeded_random(6)}, "first!", false).ticket;
        commit_behind_desk(s, ticket_path(id_a), emit_ticket(other), "comment by bo");
        behind = s.head();
      }
      Change c = comment(snap.ticket(id_a), ctx, "second", false);
      Mutation m;
      m.files.push_back({ticket_path(id_a), emit_ticket(c.ticket)});
      m.subject = c.subject;
      return m;
    });
  };
  CHECK_THROWS_AS(attempt(), Error);
  CHECK(calls == 2);
  CHECK(s.head() == behind);
  Ticket t = d.head().ticket(id_a);
  REQUIRE(t.history.size() == 2);
  CHECK(t.history[1].text == "first!");
  CHECK(s.sh("ls .git/index.lock .git/desk-journal 2>&1 | grep -c 'No such'") == "2\n");
}

TEST_CASE("two threads committing at once both land every commit", "[desk][commit][cas]") {
  Sandbox s;
  s.init();
  constexpr int per_thread = 8;
  std::atomic<int> failures{0};
  auto writer = [&](uint64_t seed) {
    try {
      Desk d = Desk::open(s.dir);
      auto rng = seeded_random(seed);
      for (int i = 0; i < per_thread; ++i) put_ticket(d, make_id(rng, ticket_id_length));
    } catch (...) {
      ++failures;
    }
  };
  std::thread a(writer, 1), b(writer, 2);
  a.join();
  b.join();
  CHECK(failures == 0);
  CHECK(s.commits() == 1 + 2 * per_thread);
  CHECK(lines(s.sh("git ls-tree -r --name-only HEAD tickets")).size() == 2 * per_thread);
  CHECK(s.sh("git status --porcelain") == "");
}

TEST_CASE("commit refuses to overwrite a ticket file with uncommitted changes and keeps them", "[desk][commit][dirty]") {
  Sandbox s;
  Desk d = s.init();
  put_ticket(d, id_a);
  put_ticket(d, id_c);
  const std::string path = ticket_path(id_a);
  const std::string mine = ticket_text(id_a, "my hand edit");
  std::string expected_status;
  SECTION("modified in the working tree") {
    s.write(path, mine);
    expected_status = " M " + path + "\n";
  }
  SECTION("modified and staged") {
    s.write(path, mine);
    s.sh("git add " + path);
    expected_status = "M  " + path + "\n";
  }
  SECTION("staged, with the working tree put back") {
    std::string original = s.read(path);
    s.write(path, mine);
    s.sh("git add " + path);
    s.write(path, original);
    expected_status = "MM " + path + "\n";
  }
  SECTION("deleted in the working tree") {
    fs::remove(s.dir + "/" + path);
    expected_status = " D " + path + "\n";
  }
  SECTION("deletion staged") {
    s.sh("git rm -q --cached " + path);
    expected_status = "D  " + path + "\n?? " + path + "\n";
  }
  std::string head = s.head();
  std::string on_disk = fs::exists(s.dir + "/" + path) ? s.read(path) : "(none)";
  Error e = error_of([&] { put_ticket(d, id_a, "desk's change"); });
  CHECK(e.kind() == ErrorKind::dirty);
  CHECK(std::string(e.what()) == path + " has uncommitted changes; desk will not overwrite them");
  CHECK_THAT(e.hint(), Catch::Contains("git checkout HEAD -- " + path));
  CHECK(s.head() == head);
  CHECK(s.sh("git status --porcelain -uall") == expected_status);
  CHECK((fs::exists(s.dir + "/" + path) ? s.read(path) : "(none)") == on_disk);
  CHECK(d.is_dirty(d.head(), path));
  // Another ticket is not blocked.
  CHECK_FALSE(put_ticket(d, id_c, "other ticket changes").commit.empty());
  CHECK_FALSE(d.is_dirty(d.head(), ticket_path(id_c)));
}

TEST_CASE("an untracked file where desk would create one counts as uncommitted work", "[desk][commit][dirty]") {
  Sandbox s;
  Desk d = s.init();
  s.write(ticket_path(id_a), "mine\n");
  Error e = error_of([&] { put_ticket(d, id_a); });
  CHECK(e.kind() == ErrorKind::dirty);
  CHECK(s.read(ticket_path(id_a)) == "mine\n");
}

TEST_CASE("commit refuses an identity git cannot record", "[desk][commit]") {
  Sandbox s;
  Desk d = s.init();
  Error e = error_of([&] { d.commit(Identity{"Bad <Name>", "x@example.com"}, alice, t0, [](const Snapshot&) { return Mutation{}; }); });
  CHECK(e.kind() == ErrorKind::identity);
}

// ---------------------------------------------------------------------------------------------
// identity

TEST_CASE("identity comes from the overrides first, then the repository's git config", "[desk][identity]") {
  Sandbox s;
  Desk d = s.init();
  SECTION("no identity anywhere is an error with a hint") {
    Error e = error_of([&] { d.identity({}); });
    CHECK(e.kind() == ErrorKind::identity);
    CHECK_THAT(std::string(e.what()), Catch::Contains("no git identity"));
    CHECK_THAT(e.hint(), Catch::Contains("git config --global user.name"));
  }
  SECTION("git config") {
    s.sh("git config user.name 'Cfg Name' && git config user.email cfg@example.com");
    auto [author, committer] = d.identity({});
    CHECK(author.display() == "Cfg Name <cfg@example.com>");
    CHECK(committer.display() == "Cfg Name <cfg@example.com>");
    IdentityOverrides o;
    o.author_name = "Env Name";
    o.committer_email = "ci@example.com";
    auto [a2, c2] = d.identity(o);
    CHECK(a2.display() == "Env Name <cfg@example.com>");
    CHECK(c2.display() == "Env Name <ci@example.com>");
  }
  SECTION("overrides alone") {
    IdentityOverrides o;
    o.author_name = "Env Name";
    o.author_email = "env@example.com";
    CHECK(d.identity(o).first.display() == "Env Name <env@example.com>");
    o.author_email = " ";
    CHECK(error_of([&] { d.identity(o); }).kind() == ErrorKind::identity);
  }
}

// ---------------------------------------------------------------------------------------------
// resolve

TEST_CASE("resolve finds a ticket by full id or unique prefix", "[desk][resolve]") {
  Sandbox s;
  Desk d = s.init();
  put_ticket(d, id_a);
  put_ticket(d, id_b);
  put_ticket(d, id_c);
  auto [prefix, id] = GENERATE_REF(table<std::string, std::string>({
      {id_a, id_a},
      {id_b, id_b},
      {"7kq2x", id_a},
      {"7kq2y", id_b},
      {"m", id_c},
      {"m3n4", id_c},
      {"M3N4", id_c},      // typed in capitals
      {" m3n4\n", id_c},   // pasted with white space
  }));
  CAPTURE(prefix);
  CHECK(d.resolve(prefix) == id);
}

TEST_CASE("an ambiguous prefix is an error listing the candidates", "[desk][resolve]") {
  Sandbox s;
  Desk d = s.init();
  put_ticket(d, id_a);
  put_ticket(d, id_b);
  put_ticket(d, id_c);
  auto prefix = GENERATE(std::string("7kq2"), std::string("7"), std::string("7k"));
  Error e = error_of([&] { d.resolve(prefix); });
  CHECK(e.kind() == ErrorKind::ambiguous);
  CHECK(std::string(e.what()) == "ticket '" + prefix + "' is ambiguous: 7kq2x9ab3d, 7kq2y0aaaa");
  CHECK_FALSE(e.hint().empty());
}

TEST_CASE("an ambiguous prefix with many candidates lists ten and counts the rest", "[desk][resolve]") {
  Sandbox s;
  Desk d = s.init();
  d.commit(alice, alice, t0, [](const Snapshot&) {
    Mutation m;
    for (char c : std::string("0123456789ab")) {
      std::string id = std::string("7k0000000") + c;
      m.files.push_back({ticket_path(id), ticket_text(id)});
    }
    m.subject = "many";
    return m;
  });
  Error e = error_of([&] { d.resolve("7k"); });
  CHECK(e.kind() == ErrorKind::ambiguous);
  CHECK_THAT(std::string(e.what()), Catch::EndsWith("7k00000008, 7k00000009 and 2 more"));
}

TEST_CASE("a prefix that matches nothing is not found", "[desk][resolve]") {
  Sandbox s;
  Desk d = s.init();
  put_ticket(d, id_a);
  auto prefix = GENERATE(std::string("zzzz"), std::string("7kq3"), std::string("0"), std::string("7kq2x9ab3e"));
  Error e = error_of([&] { d.resolve(prefix); });
  CHECK(e.kind() == ErrorKind::not_found);
  CHECK(std::string(e.what()) == "no ticket matches '" + prefix + "'");
}

TEST_CASE("a malformed prefix is not found, and never read as a path", "[desk][resolve]") {
  Sandbox s;
  Desk d = s.init();
  put_ticket(d, id_a);
  auto prefix = GENERATE(std::string("../7k"), std::string("7k/7kq2"), std::string("7kq2.toml"), std::string(""),
                         std::string("7kq2x9ab3d0"), std::string("7kqi"));
  CAPTURE(prefix);
  Error e = error_of([&] { d.resolve(prefix); });
  CHECK(e.kind() == ErrorKind::not_found);
  CHECK(std::string(e.what()) == "'" + prefix + "' is not a ticket id");
  CHECK_THAT(e.hint(), Catch::Contains("except i, l, o, u"));
}

// ---------------------------------------------------------------------------------------------
// reading

TEST_CASE("a snapshot lists ticket ids sorted and reports unreadable tickets as problems", "[desk][snapshot]") {
  Sandbox s;
  Desk d = s.init();
  put_ticket(d, id_c);
  put_ticket(d, id_a);
  d.commit(alice, alice, t0, [](const Snapshot&) {
    Mutation m;
    m.files.push_back({ticket_path(id_b), "id = \"7kq2y0aaaa\"\ntitle = \"broken\n"});
    m.files.push_back({ticket_path("7kq2zzzzzz"), ticket_text(id_c)});  // a file whose id is another's
    m.files.push_back({"tickets/7k/notes.txt", "not a ticket"});
    m.subject = "bad files";
    return m;
  });
  Snapshot snap = d.head();
  CHECK(snap.ticket_ids() == std::vector<std::string>{id_a, id_b, "7kq2zzzzzz", id_c});
  CHECK(snap.ids_with_prefix("7kq2") == std::vector<std::string>{id_a, id_b, "7kq2zzzzzz"});
  CHECK(snap.ids_with_prefix("m").size() == 1);
  auto [tickets, problems] = snap.all_tickets();
  REQUIRE(tickets.size() == 2);
  CHECK(tickets[0].id == id_a);
  CHECK(tickets[1].id == id_c);
  REQUIRE(problems.size() == 2);
  CHECK(problems[0].path == ticket_path(id_b));
  CHECK_THAT(problems[0].message, Catch::StartsWith(ticket_path(id_b) + ":2:"));
  CHECK(problems[1].path == ticket_path("7kq2zzzzzz"));
  CHECK_THAT(problems[1].message, Catch::Contains("does not match its name"));
  CHECK(error_of([&] { snap.ticket("zzzzzzzzzz"); }).kind() == ErrorKind::not_found);
  CHECK(error_of([&] { snap.ticket(id_b); }).kind() == ErrorKind::invalid);
  Error renamed = error_of([&] { snap.ticket("7kq2zzzzzz"); });  // never trust the file's id over its name
  CHECK(renamed.kind() == ErrorKind::invalid);
  CHECK(std::string(renamed.what()) == "tickets/7k/7kq2zzzzzz.toml: the file's id 'm3n4p5q6r7' does not match its name");
}

TEST_CASE("reads come from HEAD, not from the working tree", "[desk][snapshot]") {
  Sandbox s;
  Desk d = s.init();
  put_ticket(d, id_a, "committed title");
  s.write(ticket_path(id_a), ticket_text(id_a, "uncommitted title"));
  CHECK(d.head().ticket(id_a).title == "committed title");
}

TEST_CASE("templates are read from the desk, sorted, and looked up by name", "[desk][templates]") {
  Sandbox s;
  Desk d = s.init();
  auto ts = d.templates();
  REQUIRE(ts.size() == embedded_templates().size());
  for (size_t i = 1; i < ts.size(); ++i) CHECK(ts[i - 1].name < ts[i].name);
  Template pr = d.template_named("password-reset");
  CHECK(pr.name == "password-reset");
  CHECK_FALSE(pr.checklist.empty());
  auto name = GENERATE(std::string("nope"), std::string("../config"), std::string(""), std::string("Password-Reset"));
  Error e = error_of([&] { d.template_named(name); });
  CHECK(e.kind() == ErrorKind::not_found);
  CHECK(std::string(e.what()) == "no template '" + name + "'");
  CHECK_THAT(e.hint(), Catch::Contains("password-reset"));
}

// ---------------------------------------------------------------------------------------------
// log

TEST_CASE("log returns desk commits newest first with their trailers, filtered by ticket", "[desk][log]") {
  Sandbox s;
  Desk d = s.init();
  put_ticket(d, id_a, "first");
  d.commit(carl, carl, t0 + std::chrono::hours(1), [](const Snapshot&) {
    Mutation m;
    m.files.push_back({ticket_path(id_c), ticket_text(id_c, "second")});
    m.subject = "new m3n4p5: second";
    m.body = "why it matters\n\nsecond paragraph";
    m.trailers = {{"Desk-Ticket", id_c}, {"Desk-Action", "create"}, {"Desk-Entry", "abcdefghjk"}};
    return m;
  });
  s.write("other.txt", "x");
  s.git("add other.txt && git -c user.name=Sys -c user.email=sys@example.com commit -q -m 'not a desk commit'");
  put_ticket(d, id_a, "first, renamed");

  auto all = d.log(std::nullopt);
  REQUIRE(all.size() == 4);
  CHECK(all[0].subject == "new 7kq2x9: first, renamed");
  CHECK(all[0].ticket == id_a);
  CHECK(all[0].action == "create");
  CHECK(all[0].commit == s.head());
  CHECK(all[1].subject == "new m3n4p5: second");
  CHECK(all[1].body == "why it matters\n\nsecond paragraph");
  CHECK(all[1].author_name == "Carl Committer");
  CHECK(all[1].author_email == "carl@example.com");
  CHECK(all[1].at == t0 + std::chrono::hours(1));
  CHECK(all[2].ticket == id_a);
  CHECK(all[2].body.empty());
  CHECK(all[3].action == "init");
  CHECK(all[3].ticket.empty());
  CHECK(all[3].body == "Tiers L0-L4, priorities P1-P5, the shipped templates and macros.");

  auto only_a = d.log(id_a);
  REQUIRE(only_a.size() == 2);
  CHECK(only_a[0].subject == "new 7kq2x9: first, renamed");
  CHECK(only_a[1].subject == "new 7kq2x9: first");
  CHECK(d.log(id_c).size() == 1);
  CHECK(d.log(std::string("zzzzzzzzzz")).empty());
  CHECK(d.log(std::nullopt, 2).size() == 2);
}

TEST_CASE("all_tickets with a status filter returns the wanted tickets and skips the others", "[desk][read]") {
  Sandbox s;
  Desk d = s.init();
  put_ticket(d, id_a);
  put_ticket(d, id_b, "Printer");
  put_ticket(d, id_c, "Mail");
  // Close id_b in canonical form, and rewrite id_c by hand with the description first, so its
  // status cannot be peeked and the file is parsed.
  d.commit(alice, alice, t0, [&](const Snapshot&) {
    Mutation m;
    std::string b = ticket_text(id_b, "Printer");
    b.replace(b.find("status = \"new\""), 14, "status = \"closed\"");
    m.files.push_back({ticket_path(id_b), b});
    m.files.push_back({ticket_path(id_c), "description = \"\"\"\nstatus = \"new\"\n\"\"\"\n" + [] {
                         std::string c = ticket_text(id_c, "Mail");
                         c.replace(c.find("status = \"new\""), 14, "status = \"closed\"");
                         return c;
                       }()});
    m.subject = "close two";
    return m;
  });
  Snapshot snap = d.head();
  auto [all, problems] = snap.all_tickets();
  CHECK(all.size() == 3);
  CHECK(problems.empty());
  auto active = [](std::string_view st) { return is_active_status(st); };
  auto [open, open_problems] = snap.all_tickets(active);
  REQUIRE(open.size() == 1);
  CHECK(open[0].id == id_a);
  CHECK(open_problems.empty());
  auto closed = snap.all_tickets([](std::string_view st) { return st == "closed"; }).first;
  std::vector<std::string> ids;
  for (const auto& t : closed) ids.push_back(t.id);
  std::sort(ids.begin(), ids.end());
  std::vector<std::string> want{id_b, id_c};
  std::sort(want.begin(), want.end());
  CHECK(ids == want);
}
