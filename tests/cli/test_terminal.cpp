// Behaviour that depends on a terminal: the editor for texts, colour, NO_COLOR, the pager, widths.
#include <fstream>
#include <functional>
#include <sstream>
#include <string>

#include "catch.hpp"
#include "cli/render.hpp"
#include "cli/session.hpp"
#include "core/util/text.hpp"
#include "harness.hpp"

using desk::test::Harness;
using Catch::Contains;
using Catch::StartsWith;
using Catch::EndsWith;

namespace {

// A scripted editor that keeps what desk put in the file in `shown` and leaves `write(shown)`.
std::function<int(const std::string&)> editor_writing(std::string& shown, std::function<std::string(const std::string&)> write) {
  return [&shown, write](const std::string& file) {
    std::ifstream in(file);
    std::ostringstream ss;
    ss << in.rdbuf();
    shown = ss.str();
    std::ofstream(file, std::ios::trunc) << write(shown);
    return 0;
  };
}

}  // namespace

TEST_CASE("new without --requester on a terminal warns that the agent is recorded as the requester", "[cli][terminal]") {
  Harness h;
  h.init();
  h.terminal = true;
  auto mine = h.run({"new", "Printer jams", "-m", "x", "--no-suggest"});
  CHECK(mine.code == 0);
  CHECK_THAT(mine.err, Contains("are recorded as the requester"));
  CHECK_THAT(mine.err, Contains("--requester WHO"));
  auto theirs = h.run({"new", "Printer jams", "-m", "x", "--no-suggest", "--requester", "Lee <lee@example.com>"});
  CHECK(theirs.code == 0);
  CHECK_THAT(theirs.err, !Contains("recorded as the requester"));
  h.terminal = false;  // a script: nothing said
  auto script = h.run({"new", "Printer jams", "-m", "x"});
  CHECK(script.code == 0);
  CHECK_THAT(script.err, !Contains("recorded as the requester"));
}

TEST_CASE("on a terminal without -m or -F the text comes from the editor, without '#' lines", "[cli][terminal]") {
  Harness h;
  h.init();
  std::string id = h.new_ticket("VPN drops");
  h.terminal = true;
  h.editor = "scripted-editor";
  std::string initial;
  h.edit = editor_writing(initial, [](const std::string&) { return "Reinstalled the client.\n# a comment line\nStill drops.\n"; });
  auto r = h.run({"escalate", id});
  CHECK(r.code == 0);
  CHECK_THAT(initial, Contains("# Write the hand-off note above."));
  CHECK_THAT(initial, Contains("# What was tried, and why does it go up?"));
  CHECK(h.sh("git log -1 --format=%b | head -2") == "Reinstalled the client.\nStill drops.\n");
  CHECK(h.sh("ls .git | grep -c DESK_ || true") == "0\n");  // the text file is cleaned up
}

TEST_CASE("the editor shows the ticket below the text: fields, SLA, the last public message, who reads it", "[cli][terminal]") {
  Harness h;
  h.init();
  std::string id = h.new_ticket("VPN drops", {"-m", "Since Monday the VPN drops every hour.", "--requester", "Ana <ana@example.com>", "-p", "P2"});
  REQUIRE(h.run({"comment", id, "-m", "Which client version do you run?"}).code == 0);
  REQUIRE(h.run({"comment", id, "-i", "-m", "Internal: probably the MTU again"}).code == 0);
  h.terminal = true;
  h.editor = "scripted-editor";
  std::string initial;
  h.edit = editor_writing(initial, [](const std::string& shown) { return "Please update to 5.2.\n" + shown; });
  SECTION("a public reply") {
    auto r = h.run({"comment", id.substr(0, 6)});
    REQUIRE(r.code == 0);
    CHECK_THAT(initial, Contains("# Ticket " + id + ": VPN drops\n"));
    CHECK_THAT(initial, Contains("#   open, L1, P2, unassigned\n") || Contains("#   new, L1, P2, unassigned\n"));
    CHECK_THAT(initial, Contains("#   requester Ana <ana@example.com>\n"));
    CHECK_THAT(initial, Contains("#   SLA: first response met\n"));
    CHECK_THAT(initial, Contains("#   SLA: resolution due "));
    // The last public message is the reply, not the newer internal note.
    CHECK_THAT(initial, Contains("#   > Which client version do you run?\n"));
    CHECK_THAT(initial, !Contains("MTU"));
    CHECK_THAT(initial, Contains("# This is a PUBLIC reply: Ana <ana@example.com> reads it."));
    // Only the text above the comment lines lands.
    CHECK(h.sh("git log -1 --format=%b | head -1") == "Please update to 5.2.\n");
  }
  SECTION("an internal note") {
    REQUIRE(h.run({"comment", id, "-i"}).code == 0);
    CHECK_THAT(initial, Contains("# Only the team reads this; the customer does not."));
    CHECK_THAT(initial, !Contains("PUBLIC"));
  }
  SECTION("a resolution") {
    REQUIRE(h.run({"resolve", id}).code == 0);
    CHECK_THAT(initial, Contains("# What fixed it?"));
    CHECK_THAT(initial, Contains("# The customer reads the resolution"));
  }
  SECTION("a new ticket's description stands in for a reply, and several tickets get no context") {
    std::string other = h.new_ticket("Printer jams", {"-m", "Tray 2 jams on A3."});
    REQUIRE(h.run({"escalate", other}).code == 0);
    CHECK_THAT(initial, Contains("# The description:\n#   > Tray 2 jams on A3.\n"));
    REQUIRE(h.run({"comment", id, other, "-i"}).code == 0);
    CHECK_THAT(initial, !Contains("# Ticket "));
  }
  SECTION("an unknown ticket is refused before the editor opens") {
    initial.clear();
    auto r = h.run({"comment", "zzzzzz"});
    CHECK(r.code == 3);
    CHECK(initial.empty());
  }
}

TEST_CASE("an empty text from the editor aborts, and a failing editor is an error", "[cli][terminal]") {
  Harness h;
  h.init();
  std::string id = h.new_ticket("VPN drops");
  std::string head = h.sh("git rev-parse HEAD");
  h.terminal = true;
  h.editor = "scripted-editor";
  SECTION("only comments left") {
    h.edit = [](const std::string& file) {
      std::ofstream(file, std::ios::app) << "# nothing\n";
      return 0;
    };
    auto r = h.run({"comment", id});
    CHECK(r.code == 2);
    CHECK_THAT(r.err, StartsWith("desk: error: the comment text is required"));
  }
  SECTION("the editor fails") {
    h.edit = [](const std::string&) { return 1; };
    auto r = h.run({"resolve", id});
    CHECK(r.code == 1);
    CHECK_THAT(r.err, StartsWith("desk: error: the editor 'scripted-editor' exited with status 1\nhint: the text was not used\n"));
  }
  CHECK(h.sh("git rev-parse HEAD") == head);
}

TEST_CASE("without a terminal no editor is started for a missing text", "[cli][terminal]") {
  Harness h;
  h.init();
  std::string id = h.new_ticket("VPN drops");
  h.editor = "scripted-editor";
  bool ran = false;
  h.edit = [&](const std::string&) {
    ran = true;
    return 0;
  };
  auto r = h.run({"comment", id});
  CHECK(r.code == 2);
  CHECK_FALSE(ran);
}

TEST_CASE("colour on a terminal, none with NO_COLOR or --color never", "[cli][terminal]") {
  Harness h;
  h.init();
  std::string id = h.new_ticket("VPN drops");
  h.terminal = true;
  CHECK(h.run({"list"}).out.find("\x1b[") != std::string::npos);
  CHECK(h.run({"show", id}).out.find("\x1b[") != std::string::npos);
  CHECK(h.run({"--color", "never", "show", id}).out.find('\x1b') == std::string::npos);
  h.no_color = true;
  CHECK(h.run({"list"}).out.find('\x1b') == std::string::npos);
  CHECK(h.run({"show", id}).out.find('\x1b') == std::string::npos);
  CHECK(h.run({"--color", "always", "show", id}).out.find("\x1b[") != std::string::npos);
  CHECK(h.run({"show", id, "--json"}).out.find('\x1b') == std::string::npos);
}

TEST_CASE("on a terminal, output goes through the pager unless --no-pager", "[cli][terminal]") {
  Harness h;
  h.init();
  std::string id = h.new_ticket("VPN drops");
  h.terminal = true;
  h.no_color = true;
  h.pager_available = true;
  auto r = h.run({"show", id});
  CHECK(r.code == 0);
  CHECK(r.out.empty());
  CHECK_THAT(h.paged, StartsWith(id));
  CHECK(h.paged_with == "less -FRX");
  h.pager = "most";
  h.run({"log"});
  CHECK(h.paged_with == "most");
  auto direct = h.run({"--no-pager", "show", id});
  CHECK(h.paged.empty());
  CHECK_THAT(direct.out, StartsWith(id));
  auto json = h.run({"show", id, "--json"});
  CHECK_THAT(json.out, StartsWith("{"));  // JSON is data for scripts, never paged
  h.terminal = false;
  auto piped = h.run({"show", id});
  CHECK(h.paged.empty());
  CHECK_THAT(piped.out, StartsWith(id));
}

TEST_CASE("through less, a long table repeats its header at the top of every page", "[cli][terminal]") {
  Harness h;
  h.init();
  for (int i = 0; i < 9; ++i) h.new_ticket("Printer " + std::to_string(i));
  h.terminal = true;
  h.no_color = true;
  h.pager_available = true;
  h.lines = 5;  // a page of less: 4 rows of text above its prompt
  REQUIRE(h.run({"list"}).code == 0);
  std::vector<std::string> lines = desk::split(h.paged, '\n');
  if (!lines.empty() && lines.back().empty()) lines.pop_back();
  REQUIRE(lines.size() == 12);  // 9 rows, and the header on each of the 3 pages
  for (size_t i = 0; i < lines.size(); ++i) {
    bool header = lines[i].rfind("ID ", 0) == 0;
    CHECK(header == (i % 4 == 0));
  }
  SECTION("a table of one page, or a pager that is not less, is left as it is") {
    h.lines = 30;
    REQUIRE(h.run({"list"}).code == 0);
    CHECK(desk::split(h.paged, '\n').size() == 10);  // the header and 9 rows
    h.lines = 5;
    h.pager = "more";
    REQUIRE(h.run({"list"}).code == 0);
    CHECK(h.paged_with == "more");
    CHECK(desk::split(h.paged, '\n').size() == 10);
  }
}

TEST_CASE("header_every_page: a header per page, nothing for one page or unknown rows", "[cli][table]") {
  using desk::cli::header_every_page;
  CHECK(header_every_page("H\na\nb\nc\nd\n", 4) == "H\na\nb\nH\nc\nd\n");
  CHECK(header_every_page("H\na\nb\nc\n", 4) == "H\na\nb\nH\nc\n\n");  // the last page filled
  CHECK(header_every_page("H\na\nb\n", 4) == "H\na\nb\n");
  CHECK(header_every_page("H\na\nb\nc\nd\n", 0) == "H\na\nb\nc\nd\n");
  CHECK(header_every_page("H\na\nb\nc\nd", 4) == "H\na\nb\nH\nc\nd\n");  // no final newline
}

TEST_CASE("on a terminal, list cuts long titles to the terminal's width", "[cli][terminal]") {
  Harness h;
  h.init();
  h.new_ticket(std::string(150, 'x'));
  h.terminal = true;
  h.no_color = true;
  h.columns = 60;
  std::string narrow = h.run({"list"}).out;
  std::istringstream in(narrow);
  for (std::string line; std::getline(in, line);) {
    CAPTURE(line);
    CHECK(desk::display_width(line) <= 60);
  }
  CHECK_THAT(narrow, Contains("\xe2\x80\xa6"));
  h.terminal = false;
  CHECK_THAT(h.run({"list"}).out, Contains(std::string(150, 'x')));  // piped: never cut
}

TEST_CASE("a stale index.lock: desk waits for it, then refuses naming the file and how to remove it", "[cli][terminal]") {
  Harness h;
  h.init();
  std::string id = h.new_ticket("VPN drops");
  std::string head = h.sh("git rev-parse HEAD");
  h.write(".git/index.lock", "");
  auto r = h.run({"comment", id, "-m", "hello"});
  CHECK(r.code == 1);
  CHECK_THAT(r.err, Contains("git's index is locked: "));
  CHECK_THAT(r.err, Contains(".git/index.lock has been there for"));
  CHECK_THAT(r.err, Contains("remove it with `rm "));
  CHECK(h.sh("git rev-parse HEAD") == head);  // nothing changed
  CHECK(h.sh("test -e .git/index.lock && echo kept") == "kept\n");  // not desk's to remove
  h.sh("rm -f .git/index.lock");
  CHECK(h.run({"comment", id, "-m", "hello"}).code == 0);
  CHECK(h.sh("git status --porcelain") == "");
}

TEST_CASE("a table fits the width: caps first, then columns go by keep, the flex column keeps its min", "[cli][table]") {
  using desk::cli::Column;
  using desk::cli::TableLayout;
  std::vector<Column> cols = {{"ID"}, {"WHO", 50, 6}, {"AGE", 30}, {"TITLE", 100, 0, true, 20}};
  std::vector<std::vector<std::string>> rows = {{"ab12", "Alexandra", "3d", std::string(40, 't')}};
  auto lines = [](const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string l; std::getline(in, l);) out.push_back(l);
    return out;
  };
  // Wide: everything whole.
  auto wide = lines(table(cols, rows, TableLayout{120}));
  CHECK(wide[1] == "ab12  Alexandra  3d   " + std::string(40, 't'));
  // 38 columns: WHO capped to 6 is not enough (the title would get 19 < 20), so AGE goes.
  auto narrow = lines(table(cols, rows, TableLayout{38}));
  CHECK(narrow[0] == "ID    WHO     TITLE");
  CHECK(narrow[1] == "ab12  Alexa\xe2\x80\xa6  " + std::string(23, 't') + "\xe2\x80\xa6");
  for (const auto& l : narrow) CHECK(desk::display_width(l) <= 38);
  // At 40 the title gets 21 with AGE shown.
  CHECK(lines(table(cols, rows, TableLayout{40}))[1] == "ab12  Alexa\xe2\x80\xa6  3d   " + std::string(20, 't') + "\xe2\x80\xa6");
  // Chopped by a pager: laid out for 38, the title left whole.
  auto chopped = lines(table(cols, rows, TableLayout{38, false, true}));
  CHECK(chopped[1] == "ab12  Alexa\xe2\x80\xa6  " + std::string(40, 't'));
  // Piped: no width, no cuts, no caps.
  CHECK(lines(table(cols, rows, TableLayout{0}))[1] == wide[1]);
  // Wide characters count two columns when padding.
  auto cjk = lines(table({{"A"}, {"B"}}, {{"\xe5\xb1\xb1\xe7\x94\xb0", "x"}, {"ab", "y"}}, TableLayout{0}));
  CHECK(cjk[1] == "\xe5\xb1\xb1\xe7\x94\xb0  x");
  CHECK(cjk[2] == "ab    y");
}

TEST_CASE("wrap breaks at words within the width, keeps the indent and the text's own breaks", "[cli][table]") {
  using desk::cli::wrap;
  CHECK(wrap("aaa bbb ccc ddd", 14, 2) == "  aaa bbb ccc\n  ddd\n");
  CHECK(wrap("aaa bbb\n\nccc", 14, 2) == "  aaa bbb\n\n  ccc\n");
  CHECK(wrap("aaa bbb ccc ddd", 0, 2) == "  aaa bbb ccc ddd\n");  // no width: indent only
  // A word longer than the room is broken; wide characters take two columns.
  CHECK(wrap(std::string(30, 'x'), 14, 2) == "  " + std::string(12, 'x') + "\n  " + std::string(12, 'x') + "\n  " + std::string(6, 'x') + "\n");
  std::string cjk = "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e\xe6\x97\xa5";  // seven wide characters
  for (const auto& line : {wrap(cjk, 12, 0)}) CHECK(line == "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e\n\xe6\x97\xa5\n");
}
