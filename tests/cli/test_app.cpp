// Global behaviour of `desk`: help, version, unknown commands, exit codes, -C, DESK_NOW, identity.
#include <filesystem>
#include <string>

#include "catch.hpp"
#include "harness.hpp"

using desk::test::Harness;
using Catch::Contains;
using Catch::StartsWith;

TEST_CASE("desk --help prints the commands and exit codes on stdout and exits 0", "[cli][app]") {
  Harness h;
  auto r = h.run({"--help"});
  CHECK(r.code == 0);
  CHECK(r.err.empty());
  CHECK_THAT(r.out, StartsWith("desk: a tiered help desk"));
  for (const char* cmd : {"init", "new", "show", "list", "triage", "assign", "comment", "escalate", "deescalate", "wait", "resume",
                          "resolve", "close", "reopen", "check", "edit", "log", "templates"})
    CHECK_THAT(r.out, Contains(std::string("\n  ") + cmd + " "));
  CHECK_THAT(r.out, Contains("Exit codes: 0 success, 1 error, 2 usage error, 3 not found"));
}

TEST_CASE("every command's --help exits 0 and names its options", "[cli][app]") {
  Harness h;
  auto [cmd, option] = GENERATE(table<std::string, std::string>({
      {"init", "DIR"},
      {"new", "--template"},
      {"show", "--json"},
      {"list", "--status"},
      {"triage", "--impact"},
      {"assign", "--unassign"},
      {"comment", "--internal"},
      {"escalate", "--vendor"},
      {"deescalate", "--to"},
      {"wait", "--on"},
      {"resume", "--message"},
      {"resolve", "--file"},
      {"close", "--csat"},
      {"reopen", "--message"},
      {"check", "--undo"},
      {"edit", "ID"},
      {"log", "--limit"},
      {"templates", "--json"},
  }));
  CAPTURE(cmd);
  auto r = h.run({cmd, "--help"});
  CHECK(r.code == 0);
  CHECK_THAT(r.out, Contains(option));
  CHECK(r.err.empty());
}

TEST_CASE("desk --version prints the version", "[cli][app]") {
  Harness h;
  auto r = h.run({"--version"});
  CHECK(r.code == 0);
  CHECK_THAT(r.out, StartsWith("desk 0."));
}

TEST_CASE("desk without a command prints help on stderr and exits 2", "[cli][app]") {
  Harness h;
  auto r = h.run({});
  CHECK(r.code == 2);
  CHECK(r.out.empty());
  CHECK_THAT(r.err, Contains("Usage: desk"));
}

TEST_CASE("an unknown command exits 2 and suggests the close ones", "[cli][app]") {
  Harness h;
  auto [word, hint] = GENERATE(table<std::string, std::string>({
      {"lst", "hint: did you mean: list, log?\n"},
      {"escalte", "hint: did you mean: escalate?\n"},
      {"temp", "hint: did you mean: templates, team?\n"},
      {"frobnicate", "hint: see `desk --help` for the commands\n"},
  }));
  CAPTURE(word);
  auto r = h.run({word, "x"});
  CHECK(r.code == 2);
  CHECK(r.out.empty());
  CHECK(r.err == "desk: error: '" + word + "' is not a desk command\n" + hint);
}

TEST_CASE("an unknown command is found after global options", "[cli][app]") {
  Harness h;
  auto r = h.run({"-C", h.root(), "--color", "never", "-q", "shwo"});
  CHECK(r.code == 2);
  CHECK_THAT(r.err, Contains("'shwo' is not a desk command"));
  CHECK_THAT(r.err, Contains("did you mean: show?"));
}

TEST_CASE("an unknown option or a missing argument is a usage error naming the command's help", "[cli][app]") {
  Harness h;
  h.init();
  auto [args, message] = GENERATE(table<std::vector<std::string>, std::string>({
      {{"list", "--bogus"}, "--bogus"},
      {{"show"}, "ID is required"},
      {{"new"}, "TITLE is required"},
      {{"wait", "abcd"}, "--on is required"},
      {{"close", "abcd", "--csat", "five"}, "five"},
      {{"--color", "sometimes", "list"}, "sometimes"},
  }));
  CAPTURE(args);
  auto r = h.run(args);
  CHECK(r.code == 2);
  CHECK_THAT(r.err, StartsWith("desk: error: "));
  CHECK_THAT(r.err, Contains(message));
  // A bad global option fails before the command is parsed: the hint then names desk's help.
  CHECK_THAT(r.err, Contains(args[0] == "--color" ? std::string("hint: see `desk") : "hint: see `desk " + args[0] + " --help`"));
}

TEST_CASE("a usage error in a subcommand of a subcommand names its own help", "[cli][app]") {
  Harness h;
  h.init();
  auto r = h.run({"kb", "search"});
  CHECK(r.code == 2);
  CHECK_THAT(r.err, Contains("TEXT is required"));
  CHECK_THAT(r.err, Contains("hint: see `desk kb search --help`"));
}

TEST_CASE("the short -n means --limit everywhere, where there is no limit it points to --dry-run", "[cli][app]") {
  Harness h;
  h.init();
  h.new_ticket("VPN drops");
  std::string head = h.sh("git rev-parse HEAD");
  for (auto args : {std::vector<std::string>{"sweep", "-n"}, std::vector<std::string>{"import", "-n", "x.csv"}}) {
    CAPTURE(args);
    auto r = h.run(args);
    CHECK(r.code == 2);
    CHECK(r.err == "desk: error: -n is --limit in desk; this command has no limit\nhint: for a dry run, say --dry-run\n");
    CHECK(h.sh("git rev-parse HEAD") == head);
  }
  CHECK(h.run({"list", "-n", "1"}).code == 0);
  CHECK(h.run({"log", "-n", "1"}).code == 0);
  CHECK(h.run({"sweep", "--dry-run"}).code == 0);
}

TEST_CASE("a malformed DESK_NOW is a usage error and nothing is written", "[cli][app]") {
  Harness h;
  h.init();
  std::string head = h.sh("git rev-parse HEAD");
  auto bad = GENERATE(std::string("yesterday"), std::string("2026-11-23 09:00"), std::string("2026-13-01T00:00:00Z"),
                      std::string("2026-11-23T09:00:00"));
  CAPTURE(bad);
  h.now = bad;
  auto r = h.run({"new", "VPN drops"});
  CHECK(r.code == 2);
  CHECK(r.out.empty());
  CHECK(r.err == "desk: error: DESK_NOW='" + bad +
                     "' is not an RFC 3339 time\nhint: use a time such as 2026-11-22T09:00:00Z or 2026-11-22T10:00:00+01:00\n");
  CHECK(h.sh("git rev-parse HEAD") == head);
}

TEST_CASE("DESK_NOW pins the time of the commit and of the ticket", "[cli][app]") {
  Harness h;
  h.now = "2026-11-23T10:15:00+01:00";
  h.init();
  std::string id = h.new_ticket("VPN drops");
  CHECK(h.sh("git log -1 --format=%at") == "1795425300\n");  // 2026-11-23T09:15:00Z
  CHECK_THAT(h.read("tickets/" + id.substr(0, 2) + "/" + id + ".toml"), Contains("created = 2026-11-23T09:15:00Z\n"));
}

TEST_CASE("the -C DIR option runs as if started in DIR, relative to the current directory", "[cli][app]") {
  Harness h;
  h.init();
  std::string id = h.new_ticket("VPN drops");
  h.cwd = h.root();
  SECTION("absolute") {
    auto r = h.run({"-C", h.dir, "show", id});
    CHECK(r.code == 0);
    CHECK_THAT(r.out, Contains("VPN drops"));
  }
  SECTION("relative") {
    auto r = h.run({"-C", "desk", "list"});
    CHECK(r.code == 0);
    CHECK_THAT(r.out, Contains(id.substr(0, 4)));
  }
  SECTION("a subdirectory of the desk") {
    std::filesystem::create_directories(h.dir + "/kb/deep");
    auto r = h.run({"-C", "desk/kb/deep", "show", id.substr(0, 5)});
    CHECK(r.code == 0);
  }
  SECTION("without -C, outside the desk, nothing is found") {
    auto r = h.run({"list"});
    CHECK(r.code == 1);
    CHECK_THAT(r.err, StartsWith("desk: error: not a desk: "));
    CHECK_THAT(r.err, Contains("hint: create one with `desk init`, or pass -C DIR"));
  }
  SECTION("a directory that does not exist") {
    auto r = h.run({"-C", "nowhere", "list"});
    CHECK(r.code == 2);
    CHECK(r.err == "desk: error: cannot change to 'nowhere': no such directory\n");
  }
}

TEST_CASE("a repository without a desk is not a desk", "[cli][app]") {
  Harness h;
  std::filesystem::create_directories(h.dir);
  h.sh("git init -q");
  auto r = h.run({"list"});
  CHECK(r.code == 1);
  CHECK_THAT(r.err, Contains("not a desk: "));
  CHECK_THAT(r.err, Contains("has no committed .desk/config.toml"));
}

TEST_CASE("a change without a git identity is refused with a hint and commits nothing", "[cli][app]") {
  Harness h;
  h.init();
  std::string head = h.sh("git rev-parse HEAD");
  h.author_name.reset();
  h.author_email.reset();
  auto r = h.run({"new", "VPN drops"});
  CHECK(r.code == 1);
  CHECK(r.out.empty());
  CHECK_THAT(r.err, StartsWith("desk: error: no git identity"));
  CHECK_THAT(r.err, Contains("hint: run `git config --global user.name"));
  CHECK(h.sh("git rev-parse HEAD") == head);

  SECTION("the repository's git config is enough") {
    h.sh("git config user.name 'Repo User' && git config user.email repo@example.com");
    auto ok = h.run({"new", "VPN drops"});
    CHECK(ok.code == 0);
    CHECK(h.sh("git log -1 --format=%an/%ae") == "Repo User/repo@example.com\n");
  }
}

TEST_CASE("the -q option silences status messages but not data or errors", "[cli][app]") {
  Harness h;
  h.init();
  auto r = h.run({"-q", "new", "VPN drops"});
  CHECK(r.code == 0);
  CHECK(r.err.empty());
  CHECK(r.out.size() == 11);
  auto bad = h.run({"-q", "show", "zzzz"});
  CHECK(bad.code == 3);
  CHECK_FALSE(bad.err.empty());
}

TEST_CASE("colour only when asked for, or on a terminal", "[cli][app]") {
  Harness h;
  h.init();
  std::string id = h.new_ticket("VPN drops");
  CHECK(h.run({"show", id}).out.find('\x1b') == std::string::npos);
  CHECK(h.run({"--color", "never", "list"}).out.find('\x1b') == std::string::npos);
  CHECK(h.run({"--color", "always", "show", id}).out.find("\x1b[") != std::string::npos);
  CHECK(h.run({"--color", "always", "show", id, "--json"}).out.find('\x1b') == std::string::npos);
}
