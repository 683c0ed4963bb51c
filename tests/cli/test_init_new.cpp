// desk init and desk new.
#include <filesystem>
#include <string>

#include "catch.hpp"
#include "harness.hpp"

using desk::test::Harness;
using Catch::Contains;
using Catch::StartsWith;

namespace {
std::string path_of(const std::string& id) { return "tickets/" + id.substr(0, 2) + "/" + id + ".toml"; }
}  // namespace

// ---------------------------------------------------------------------------------------------
// init

TEST_CASE("init creates a desk in one commit and says where", "[cli][init]") {
  Harness h;
  auto r = h.run({"init", h.dir});
  CHECK(r.code == 0);
  CHECK(r.out.empty());
  std::string head = h.sh("git rev-parse --short=7 HEAD");
  head.pop_back();
  CHECK(r.err == "created a desk in " + h.dir + " (commit " + head + ")\n");
  CHECK(h.sh("git log --format=%s") == "init desk\n");
  CHECK(h.sh("git log -1 --format=%an/%ae/%at") == "Alice Agent/alice@example.com/1795424400\n");
  CHECK(h.sh("git ls-tree --name-only HEAD") == ".desk\n.gitattributes\n");
  CHECK(h.sh("git ls-tree --name-only HEAD .desk/templates/ | wc -l") == "7\n");
  CHECK(h.sh("git ls-tree --name-only HEAD .desk/macros/") ==
        ".desk/macros/ask-for-logs.toml\n.desk/macros/known-issue.toml\n.desk/macros/password-reset-done.toml\n.desk/macros/waiting-on-vendor.toml\n");
  CHECK(h.sh("git status --porcelain") == "");
  CHECK(h.sh("git fsck --no-dangling 2>&1 && echo ok") == "ok\n");
}

TEST_CASE("init --json prints the path, branch, commit and files written, and still reports on stderr", "[cli][init]") {
  Harness h;
  auto r = h.run({"init", h.dir, "--json"});
  REQUIRE(r.code == 0);
  std::string head = h.sh("git rev-parse HEAD");
  head.pop_back();
  CHECK(h.json(r.out, "d['desk_format']") == "2");
  CHECK(h.json(r.out, "d['path']") == h.dir);
  CHECK(h.json(r.out, "d['branch']") == "main");
  CHECK(h.json(r.out, "d['commit']") == head);
  CHECK(h.json(r.out, "d['action']") == "init");
  std::string tree = h.sh("git ls-tree -r --name-only HEAD | LC_ALL=C sort | tr '\\n' ' '");
  CHECK(h.json(r.out, "' '.join(sorted(d['files'])) + ' '") == tree);
  CHECK(h.json(r.out, "len(d['files'])") == "13");
  CHECK_THAT(r.err, StartsWith("created a desk in " + h.dir));
}

TEST_CASE("init without DIR uses the current directory, and a relative DIR is relative to it", "[cli][init]") {
  Harness h;
  SECTION("no DIR") {
    std::filesystem::create_directories(h.dir);
    h.cwd = h.dir;
    CHECK(h.run({"init"}).code == 0);
  }
  SECTION("relative DIR") {
    h.cwd = h.root();
    CHECK(h.run({"init", "desk"}).code == 0);
  }
  SECTION("-C and a relative DIR") {
    h.cwd = "/";
    CHECK(h.run({"-C", h.root(), "init", "desk"}).code == 0);
  }
  CHECK(h.sh("git show HEAD:.gitattributes | grep -cxF 'tickets/** merge=desk'") == "1\n");
}

TEST_CASE("a second init is refused with exit 1 and changes nothing", "[cli][init]") {
  Harness h;
  h.init();
  std::string head = h.sh("git rev-parse HEAD");
  auto r = h.run({"init", h.dir});
  CHECK(r.code == 1);
  CHECK_THAT(r.err, StartsWith("desk: error: '" + h.dir + "' already has a desk (.desk/config.toml exists)\n"));
  CHECK_THAT(r.err, Contains("hint: "));
  CHECK(h.sh("git rev-parse HEAD") == head);
}

TEST_CASE("init without a git identity creates nothing", "[cli][init]") {
  Harness h;
  h.author_name.reset();
  auto r = h.run({"init", h.dir});
  CHECK(r.code == 1);
  CHECK_THAT(r.err, StartsWith("desk: error: no git identity"));
  CHECK_FALSE(std::filesystem::exists(h.dir));
}

// ---------------------------------------------------------------------------------------------
// new

TEST_CASE("new prints only the id on stdout, reports the commit on stderr, and commits one file", "[cli][new]") {
  Harness h;
  h.init();
  auto r = h.run({"new", "VPN drops every hour", "-m", "Since Monday"});
  REQUIRE(r.code == 0);
  REQUIRE(r.out.size() == 11);
  std::string id = r.out.substr(0, 10);
  CHECK(r.out.back() == '\n');
  std::string head = h.sh("git rev-parse --short=7 HEAD");
  head.pop_back();
  CHECK(r.err == "[main " + head + "] new " + id.substr(0, 6) + ": VPN drops every hour\n");
  CHECK(h.sh("git show --name-only --format= HEAD") == path_of(id) + "\n");
  CHECK(h.sh("git log -1 --format=%B") == "new " + id.substr(0, 6) + ": VPN drops every hour\n\nDesk-Ticket: " + id +
                                                "\nDesk-Action: create\nDesk-Entry: " +
                                                h.json(h.run({"show", id, "--json"}).out, "d['history'][0]['id']") + "\n\n");
  CHECK(h.sh("git status --porcelain") == "");
  std::string file = h.sh("git show HEAD:" + path_of(id));
  CHECK_THAT(file, Contains("title = \"VPN drops every hour\"\n"));
  CHECK_THAT(file, Contains("description = \"Since Monday\"\n"));
  CHECK_THAT(file, Contains("requester = \"Alice Agent <alice@example.com>\"\n"));
  CHECK(h.read(path_of(id)) == file);
}

TEST_CASE("new --json prints the change as JSON", "[cli][new]") {
  Harness h;
  h.init();
  auto r = h.run({"new", "Printer jams", "--json", "-p", "P2", "--tag", "printer", "--tag", "floor-3"});
  REQUIRE(r.code == 0);
  CHECK(h.json(r.out, "d['desk_format']") == "2");
  CHECK(h.json(r.out, "d['action']") == "create");
  CHECK(h.json(r.out, "d['commit']") == h.sh("git rev-parse HEAD").substr(0, 40));
  CHECK(h.json(r.out, "d['ticket']['title']") == "Printer jams");
  CHECK(h.json(r.out, "d['ticket']['priority']") == "P2");
  CHECK(h.json(r.out, "d['ticket']['tags']") == "[\"printer\", \"floor-3\"]");
  CHECK(h.json(r.out, "d['ticket']['status']") == "new");
  CHECK(h.json(r.out, "len(d['ticket']['history'])") == "1");
}

TEST_CASE("new takes every classification option", "[cli][new]") {
  Harness h;
  h.init();
  std::string id = h.new_ticket("Share access", {"--type", "service-request", "--tier", "L2", "--impact", "high", "--urgency", "low",
                                                 "--category", "files", "--requester", "Carol <carol@example.com>", "--assign", "bo"});
  std::string j = h.run({"show", id, "--json"}).out;
  CHECK(h.json(j, "[d['type'], d['tier'], d['impact'], d['urgency'], d['priority'], d['category'], d['requester'], d['assignee']]") ==
        "[\"service-request\", \"L2\", \"high\", \"low\", \"P3\", \"files\", {\"name\": \"Carol\", \"email\": \"carol@example.com\"}, "
        "{\"name\": \"bo\", \"email\": null}]");
}

TEST_CASE("new --template pre-fills the ticket from the desk's template", "[cli][new]") {
  Harness h;
  h.init();
  std::string id = h.new_ticket("Cannot sign in", {"--template", "password-reset", "-m", "Since the holiday"});
  std::string j = h.run({"show", id, "--json"}).out;
  CHECK(h.json(j, "d['template']") == "password-reset");
  CHECK(h.json(j, "d['type']") == "service-request");
  CHECK(h.json(j, "len(d['checklist']) > 0 and not any(c['done'] for c in d['checklist'])") == "true");
  CHECK(h.json(j, "d['description'].endswith('\\n\\nSince the holiday')") == "true");
}

TEST_CASE("new reads the description from -m paragraphs, -F FILE and -F - (stdin)", "[cli][new]") {
  Harness h;
  h.init();
  std::string expected;
  std::vector<std::string> args = {"new", "VPN drops"};
  SECTION("-m twice makes two paragraphs") {
    args.insert(args.end(), {"-m", "first", "-m", "second"});
    expected = "first\\n\\nsecond";
  }
  SECTION("-F FILE, relative to the current directory") {
    h.write("note.txt", "from a file\r\nline two\r\n");
    args.insert(args.end(), {"-F", "note.txt"});
    expected = "from a file\\nline two";
  }
  SECTION("-F - reads standard input") {
    h.stdin_text = "from stdin\n\n";
    args.insert(args.end(), {"-F", "-"});
    expected = "from stdin";
  }
  auto r = h.run(args);
  REQUIRE(r.code == 0);
  std::string id = r.out.substr(0, 10);
  CHECK(h.json(h.run({"show", id, "--json"}).out, "json.dumps(d['description'])") == "\"" + expected + "\"");
}

TEST_CASE("new errors and their exit codes", "[cli][new]") {
  Harness h;
  h.init();
  std::string head = h.sh("git rev-parse HEAD");
  auto [args, code, message] = GENERATE(table<std::vector<std::string>, int, std::string>({
      {{"new", "x", "-m", "a", "-F", "f"}, 2, "desk: error: -m and -F cannot be used together\n"},
      {{"new", "x", "-F", "missing.txt"}, 2, "desk: error: cannot read 'missing.txt'\n"},
      {{"new", "x", "--template", "nope"}, 3, "desk: error: no template 'nope'\n"},
      {{"new", "x", "--template", "../config"}, 3, "desk: error: no template '../config'\n"},
      {{"new", "x", "-p", "P0"}, 2, "desk: error: unknown priority 'P0'\nhint: use one of: P1, P2, P3, P4, P5\n"},
      {{"new", "x", "--tier", "L0"}, 1, "desk: error: tier L0 does not take tickets\n"},
      {{"new", "x", "--tier", "L4"}, 1, "desk: error: a ticket cannot start at vendor tier L4\n"},
      {{"new", "x", "--type", "bug"}, 2, "desk: error: unknown type 'bug'\n"},
      {{"new", " "}, 1, "desk: error: the title is empty\n"},
      {{"new", "a\nb"}, 1, "desk: error: the title has a line break\n"},
      {{"new", "red \x1b[31m alert"}, 1, "desk: error: the title contains control characters\n"},
      {{"new", "x", "--tag", "bad\ttag"}, 1, "desk: error: invalid tag 'bad\ttag'\n"},
  }));
  CAPTURE(args);
  auto r = h.run(args);
  CHECK(r.code == code);
  CHECK(r.out.empty());
  CHECK_THAT(r.err, StartsWith(message));
  CHECK(h.sh("git rev-parse HEAD") == head);
}

TEST_CASE("a description with invalid UTF-8 never makes a ticket no command can read", "[cli][new]") {
  // `desk new x -F latin1.txt` exits 0, but the committed file does not parse ("Encountered
  // invalid utf-8 sequence"): show fails with exit 1, list skips it with a warning.
  Harness h;
  h.init();
  h.write("latin1.txt", "caf\xe9 cr\xe8me\n");
  auto r = h.run({"new", "Latin-1 upload", "-F", "latin1.txt"});
  if (r.code != 0) {
    CHECK(r.code == 1);  // refusing the text is fine too
    return;
  }
  std::string id = r.out.substr(0, 10);
  auto show = h.run({"show", id});
  CHECK(show.code == 0);
  CHECK(show.err.empty());
}
