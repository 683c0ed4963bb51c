// desk show and desk list.
#include <sstream>
#include <string>
#include <vector>

#include "catch.hpp"
#include "core/util/text.hpp"
#include "harness.hpp"

using desk::test::Harness;
using Catch::Contains;
using Catch::StartsWith;

namespace {

std::string path_of(const std::string& id) { return "tickets/" + id.substr(0, 2) + "/" + id + ".toml"; }

// Replaces the top-level `key = ...` line of a ticket file, or adds one after the status line.
std::string set_key(const std::string& text, const std::string& key, const std::string& toml_value) {
  std::string line = key + " = " + toml_value + "\n";
  auto at = text.rfind("\n" + key + " = ", text.find("\n["));  // before the first table
  if (at != std::string::npos) {
    auto end = text.find('\n', at + 1);
    return text.substr(0, at + 1) + line + text.substr(end + 1);
  }
  auto status_end = text.find('\n', text.find("\nstatus = ") + 1);
  return text.substr(0, status_end + 1) + line + text.substr(status_end + 1);
}

// Commits a hand-written change to a ticket file with the system git, as another clone's push would.
void commit_by_hand(Harness& h, const std::string& id, const std::string& text) {
  h.write(path_of(id), text);
  h.sh("git -c user.name=Hand -c user.email=hand@example.com commit -q -a -m 'by hand'");
}

// A second ticket whose id shares the first four characters with `id`.
std::string twin_of(Harness& h, const std::string& id) {
  std::string twin = id.substr(0, 4) + (id[4] == 'z' ? "yyyyyy" : "zzzzzz");
  std::string text = h.read(path_of(id));
  text.replace(text.find("id = \"" + id + "\""), 6 + id.size() + 1, "id = \"" + twin + "\"");
  h.write(path_of(twin), text);
  h.sh("git add tickets && git -c user.name=Hand -c user.email=hand@example.com commit -q -m twin");
  return twin;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// show

TEST_CASE("show prints the ticket, its checklist and its history for humans", "[cli][show]") {
  Harness h;
  h.init();
  std::string id = h.new_ticket("Cannot sign in", {"--template", "password-reset", "-m", "Since Monday"});
  REQUIRE(h.run({"comment", id, "-m", "Could you try again?"}).code == 0);
  REQUIRE(h.run({"check", id, "1"}).code == 0);
  auto r = h.run({"show", id.substr(0, 4)});
  CHECK(r.code == 0);
  CHECK(r.err.empty());
  CHECK_THAT(r.out, StartsWith(id + "  Cannot sign in\n"));
  CHECK_THAT(r.out, Contains("\nstatus     open\n"));
  CHECK_THAT(r.out, Contains("\ntier       L1 (Service desk)\n"));
  CHECK_THAT(r.out, Contains("\npriority   P4 (Low)\n"));
  CHECK_THAT(r.out, Contains("\ntemplate   password-reset\n"));
  CHECK_THAT(r.out, Contains("\ncreated    2026-11-23 09:00 UTC\n"));
  CHECK_THAT(r.out, Contains("Since Monday"));
  CHECK_THAT(r.out, Contains("Checklist (1/5 done)\n  [x] 1. "));
  CHECK_THAT(r.out, Contains("\n  [ ] 2. "));
  CHECK_THAT(r.out, Contains("History\n  2026-11-23 09:00  Alice Agent  created at L1\n"));
  CHECK_THAT(r.out, Contains("  2026-11-23 09:00  Alice Agent  public reply\n      Could you try again?\n"));
  CHECK_THAT(r.out, Contains("  2026-11-23 09:00  Alice Agent  checked step 1\n"));
  // P4's resolution target as configured (40h), not as days (1d16h); the wall-clock wait keeps its days.
  CHECK_THAT(r.out, Contains("(in 4d8h)  0s of 40h\n"));
  CHECK_THAT(r.out, !Contains("1d16h"));
}

TEST_CASE("show --last and --reverse pick and order the history, a note and a reply read differently", "[cli][show]") {
  Harness h;
  h.init();
  std::string id = h.new_ticket("VPN drops");
  REQUIRE(h.run({"comment", id, "-m", "one"}).code == 0);
  REQUIRE(h.run({"comment", id, "--internal", "-m", "two"}).code == 0);
  REQUIRE(h.run({"comment", id, "-m", "three"}).code == 0);
  auto r = h.run({"show", id, "--last", "2"});
  REQUIRE(r.code == 0);
  CHECK_THAT(r.out, Contains("History (the last 2 of 4; --last 0 shows all)\n"
                             "  2026-11-23 09:00  Alice Agent  internal note\n      two\n"
                             "  2026-11-23 09:00  Alice Agent  public reply\n      three\n"));
  CHECK(r.out.find("one") == std::string::npos);
  r = h.run({"show", id, "--last", "2", "--reverse"});
  CHECK_THAT(r.out, Contains("public reply\n      three\n  2026-11-23 09:00  Alice Agent  internal note\n      two\n"));
  r = h.run({"show", id, "--last", "0"});
  CHECK_THAT(r.out, Contains("History\n  2026-11-23 09:00  Alice Agent  created at L1\n"));
  // On a colour terminal the note is bold magenta, the reply cyan.
  h.terminal = true;
  r = h.run({"show", id, "--no-suggest"});
  CHECK_THAT(r.out, Contains("\x1b[1;35minternal note\x1b[0m"));
  CHECK_THAT(r.out, Contains("\x1b[36mpublic reply\x1b[0m"));
}

TEST_CASE("show on a terminal wraps texts at their indent, piped, lines stay whole", "[cli][show]") {
  Harness h;
  h.init();
  std::string words;
  for (int i = 0; i < 30; ++i) words += "word" + std::to_string(i) + " ";
  std::string id = h.new_ticket("Long", {"-m", words});
  REQUIRE(h.run({"comment", id, "-m", words}).code == 0);
  h.terminal = true;
  h.no_color = true;
  h.columns = 50;
  auto r = h.run({"show", id, "--no-suggest"});
  REQUIRE(r.code == 0);
  std::istringstream in(r.out);
  int description = 0, reply = 0;
  for (std::string line; std::getline(in, line);) {
    CAPTURE(line);
    if (line.find("word") != std::string::npos) CHECK(desk::display_width(line) <= 50);  // the texts; the SLA table is a table
    if (line.rfind("  word", 0) == 0) ++description;
    if (line.rfind("      word", 0) == 0) ++reply;
  }
  CHECK(description >= 5);  // 210 columns of words in 48
  CHECK(reply >= 5);
  h.terminal = false;
  CHECK_THAT(h.run({"show", id}).out, Contains("  " + words.substr(0, words.size() - 1) + "\n"));
}

TEST_CASE("show --json has desk_format first and the ticket file's field names", "[cli][show]") {
  Harness h;
  h.init();
  std::string id = h.new_ticket("VPN drops", {"-m", "line one\nline \"two\"", "--tag", "vpn"});
  auto r = h.run({"show", id, "--json"});
  REQUIRE(r.code == 0);
  CHECK(r.err.empty());
  CHECK_THAT(r.out, StartsWith("{\n  \"desk_format\": 2,\n"));
  CHECK(h.json(r.out, "list(d.keys())[:4]") == "[\"desk_format\", \"format\", \"id\", \"title\"]");
  CHECK(h.json(r.out, "d['id']") == id);
  CHECK(h.json(r.out, "d['description']") == "line one\nline \"two\"");
  CHECK(h.json(r.out, "d['tags']") == "[\"vpn\"]");
  CHECK(h.json(r.out, "d['created']") == "2026-11-23T09:00:00Z");
  CHECK(h.json(r.out, "[e['action'] for e in d['history']]") == "[\"create\"]");
  CHECK(h.json(r.out, "d['history'][0]['by']") == R"({"name": "Alice Agent", "email": "alice@example.com"})");
  CHECK(h.json(r.out, "d['assignee']") == "null");
  CHECK(h.json(r.out, "d['checklist']") == "[]");
  auto v1 = h.run({"show", id, "--json", "--json-format", "1"});
  REQUIRE(v1.code == 0);
  CHECK(h.json(v1.out, "[d['desk_format'], d['history'][0]['by'], 'assignee' in d]") == R"([1, "Alice Agent <alice@example.com>", false])");
}

TEST_CASE("show errors: not found exits 3, ambiguous exits 1 listing the candidates", "[cli][show]") {
  Harness h;
  h.init();
  std::string id = h.new_ticket("VPN drops");
  SECTION("not found") {
    auto r = h.run({"show", "zzzz"});
    CHECK(r.code == 3);
    CHECK(r.out.empty());
    CHECK(r.err == "desk: error: no ticket matches 'zzzz'\nhint: list tickets with `desk list --all`\n");
  }
  SECTION("ambiguous") {
    std::string twin = twin_of(h, id);
    auto r = h.run({"show", id.substr(0, 4)});
    CHECK(r.code == 1);
    std::string a = std::min(id, twin), b = std::max(id, twin);
    CHECK(r.err == "desk: error: ticket '" + id.substr(0, 4) + "' is ambiguous: " + a + ", " + b +
                       "\nhint: type more characters of the id\n");
    CHECK(h.run({"show", id.substr(0, 5)}).code == 0);
  }
}

TEST_CASE("show of a malformed id is not found and reads nothing outside the desk", "[cli][show]") {
  Harness h;
  h.init();
  auto arg = GENERATE(std::string("../../etc/passwd"), std::string("7k/x"), std::string("ab.toml"));
  auto r = h.run({"show", arg});
  CHECK(r.code == 3);
  CHECK(r.out.empty());
  CHECK_THAT(r.err, StartsWith("desk: error: '" + arg + "' is not a ticket id\n"));
}

TEST_CASE("show of a ticket whose file is broken says where, and other tickets still work", "[cli][show]") {
  Harness h;
  h.init();
  std::string bad = h.new_ticket("Will break");
  std::string good = h.new_ticket("Stays fine");
  commit_by_hand(h, bad, set_key(h.read(path_of(bad)), "status", "\"sideways\""));
  auto r = h.run({"show", bad});
  CHECK(r.code == 1);
  CHECK_THAT(r.err, StartsWith("desk: error: " + path_of(bad) + ":5:10: unknown status 'sideways'"));
  CHECK_THAT(r.err, Contains("hint: "));
  CHECK(h.run({"show", good}).code == 0);
  auto l = h.run({"list"});
  CHECK(l.code == 0);
  CHECK_THAT(l.err, Contains("desk: warning: " + path_of(bad) + ":5:10: unknown status 'sideways'"));
  CHECK_THAT(l.out, Contains("Stays fine"));
  auto j = h.run({"list", "--json"});
  CHECK(h.json(j.out, "[t['title'] for t in d['tickets']]") == "[\"Stays fine\"]");
  CHECK(h.json(j.out, "d['problems'][0]['path']") == path_of(bad));
}

TEST_CASE("terminal control sequences in ticket text are stripped from show, list and log", "[cli][show][hostile]") {
  Harness h;
  h.init();
  std::string id = h.new_ticket("Harmless");
  auto [key, value] = GENERATE(table<std::string, std::string>({
      {"title", "\"Evil \\u001b]0;pwned\\u0007 \\u001b[31mred\""},
      {"description", "\"\\u001b[2J\\u001b[Hcleared\""},
      {"assignee", "\"bo\\u001b[8m\""},
      {"requester", "\"Mallory \\u009b31m <m@example.com>\""},
      {"category", "\"net\\u001b[5m\""},
      {"tags", "[\"vpn\\u001b[1m\"]"},
  }));
  CAPTURE(key);
  commit_by_hand(h, id, set_key(h.read(path_of(id)), key, value));
  for (const auto& args : std::vector<std::vector<std::string>>{{"show", id}, {"list", "--all"}, {"log"}}) {
    CAPTURE(args);
    auto r = h.run(args);
    CHECK(r.code == 0);
    CHECK(r.out.find('\x1b') == std::string::npos);
    CHECK(r.out.find('\x07') == std::string::npos);
    CHECK(r.out.find("\xc2\x9b") == std::string::npos);
    CHECK(r.err.find('\x1b') == std::string::npos);
  }
}

TEST_CASE("terminal control sequences in classification fields are stripped too", "[cli][show][hostile]") {
  // show prints tier, priority, impact, urgency, type and waiting_on, and list prints tier,
  // priority and waiting_on, without strip_controls; a pushed ticket file can carry escapes there.
  Harness h;
  h.init();
  std::string id = h.new_ticket("Harmless");
  auto [key, value] = GENERATE(table<std::string, std::string>({
      {"tier", "\"L1\\u001b[2J\""},
      {"priority", "\"P3\\u001b]0;pwned\\u0007\""},
      {"impact", "\"high\\u001b[8m\""},
      {"urgency", "\"low\\u001b[8m\""},
      {"type", "\"incident\\u001b[31m\""},
      {"waiting_on", "\"customer\\u001b[2J\""},
  }));
  CAPTURE(key);
  std::string text = set_key(h.read(path_of(id)), key, value);
  if (key == "waiting_on") text = set_key(text, "status", "\"pending\"");
  commit_by_hand(h, id, text);
  for (const auto& args : std::vector<std::vector<std::string>>{{"show", id}, {"list", "--all"}}) {
    CAPTURE(args);
    auto r = h.run(args);
    CHECK(r.code == 0);
    CHECK(r.out.find('\x1b') == std::string::npos);
    CHECK(r.out.find('\x07') == std::string::npos);
  }
}

// ---------------------------------------------------------------------------------------------
// list

namespace {

struct Queue {
  std::string vpn, printer, closed, pending, l2;
};

// Five tickets in different states.
// Five tickets in different states, created a minute apart (so ties sort by age).
Queue make_queue(Harness& h) {
  Queue q;
  h.now = "2026-11-23T09:00:00Z";
  q.vpn = h.new_ticket("VPN drops", {"-p", "P2", "--tag", "vpn", "--tag", "network", "-m", "Since the Monday update"});
  h.now = "2026-11-23T09:01:00Z";
  q.printer = h.new_ticket("Printer jams", {"-p", "P4", "--type", "question", "--assign", "bo"});
  h.now = "2026-11-23T09:02:00Z";
  q.closed = h.new_ticket("Old request", {"-p", "P1"});
  REQUIRE(h.run({"resolve", q.closed, "-m", "done"}).code == 0);
  REQUIRE(h.run({"close", q.closed}).code == 0);
  h.now = "2026-11-23T09:03:00Z";
  q.pending = h.new_ticket("Waiting for logs", {"-p", "P3", "--requester", "Carol <carol@example.com>"});
  REQUIRE(h.run({"wait", q.pending, "--on", "customer"}).code == 0);
  h.now = "2026-11-23T09:04:00Z";
  q.l2 = h.new_ticket("Database slow", {"-p", "P1", "--tier", "L2", "--tag", "network"});
  h.now = "2026-11-23T10:00:00Z";
  return q;
}

std::string titles(Harness& h, std::vector<std::string> args) {
  args.insert(args.begin(), "list");
  args.push_back("--json");
  auto r = h.run(args);
  REQUIRE(r.code == 0);
  return h.json(r.out, "[t['title'] for t in d['tickets']]");
}

}  // namespace

TEST_CASE("list shows open work as a table, most urgent first", "[cli][list]") {
  Harness h;
  h.init();
  Queue q = make_queue(h);
  auto r = h.run({"list"});
  CHECK(r.code == 0);
  CHECK(r.err.empty());
  std::istringstream in(r.out);
  std::vector<std::string> rows;
  for (std::string l; std::getline(in, l);) rows.push_back(l);
  REQUIRE(rows.size() == 5);
  CHECK_THAT(rows[0], StartsWith("ID "));
  CHECK_THAT(rows[0], Contains("TITLE"));
  CHECK_THAT(rows[1], StartsWith(q.l2.substr(0, 4)));
  CHECK_THAT(rows[1], Contains("Database slow"));
  CHECK_THAT(rows[2], Contains("VPN drops"));
  CHECK_THAT(rows[3], Contains("pend/cust"));
  CHECK_THAT(rows[4], Contains(" bo "));
  CHECK(r.out.find("Old request") == std::string::npos);
}

TEST_CASE("list filters", "[cli][list]") {
  Harness h;
  h.init();
  make_queue(h);
  auto [args, expected] = GENERATE(table<std::vector<std::string>, std::string>({
      {std::vector<std::string>{}, R"(["Database slow", "VPN drops", "Waiting for logs", "Printer jams"])"},
      {{"--all"}, R"(["Old request", "Database slow", "VPN drops", "Waiting for logs", "Printer jams"])"},
      {{"--status", "closed"}, R"(["Old request"])"},
      {{"--status", "pending,new"}, R"(["Database slow", "VPN drops", "Waiting for logs", "Printer jams"])"},
      {{"-s", "pending"}, R"(["Waiting for logs"])"},
      {{"--tier", "L2"}, R"(["Database slow"])"},
      {{"-p", "P1", "--all"}, R"(["Old request", "Database slow"])"},
      {{"--assignee", "bo"}, R"(["Printer jams"])"},
      {{"--assignee", "none"}, R"(["Database slow", "VPN drops", "Waiting for logs"])"},
      {{"--requester", "Carol <carol@example.com>"}, R"(["Waiting for logs"])"},
      {{"--tag", "network"}, R"(["Database slow", "VPN drops"])"},
      {{"--tag", "network", "--tag", "vpn"}, R"(["VPN drops"])"},
      {{"--type", "question"}, R"(["Printer jams"])"},
      {{"--text", "MONDAY"}, R"(["VPN drops"])"},
      {{"--text", "nothing like this"}, R"([])"},
      {{"--sort", "title"}, R"(["Database slow", "Printer jams", "VPN drops", "Waiting for logs"])"},
      {{"--sort", "-priority"}, R"(["Printer jams", "Waiting for logs", "VPN drops", "Database slow"])"},
      {{"--sort", "status,-title"}, R"(["VPN drops", "Printer jams", "Database slow", "Waiting for logs"])"},
      {{"-n", "2"}, R"(["Database slow", "VPN drops"])"},
  }));
  CAPTURE(args);
  CHECK(titles(h, args) == expected);
}

TEST_CASE("list --json has desk_format, tickets with their fields, and problems", "[cli][list]") {
  Harness h;
  h.init();
  std::string id = h.new_ticket("VPN drops", {"--tag", "vpn"});
  auto r = h.run({"list", "--json"});
  REQUIRE(r.code == 0);
  CHECK(h.json(r.out, "d['desk_format']") == "2");
  CHECK(h.json(r.out, "d['tickets'][0]['id']") == id);
  CHECK(h.json(r.out, "d['tickets'][0]['tags']") == "[\"vpn\"]");
  CHECK(h.json(r.out, "d['problems']") == "[]");
}

TEST_CASE("list with nothing to show says so on stderr", "[cli][list]") {
  Harness h;
  h.init();
  auto r = h.run({"list"});
  CHECK(r.code == 0);
  CHECK(r.out.empty());
  CHECK(r.err == "no open tickets match (--all includes resolved and closed)\n");
  auto all = h.run({"list", "--all"});
  CHECK(all.err == "no tickets match\n");
  CHECK(h.json(h.run({"list", "--json"}).out, "d['tickets']") == "[]");
}

TEST_CASE("list option errors", "[cli][list]") {
  Harness h;
  h.init();
  auto [args, code, message] = GENERATE(table<std::vector<std::string>, int, std::string>({
      {{"list", "--status", "sideways"}, 2, "desk: error: unknown status 'sideways'\nhint: use one of: new, open, pending, resolved, closed, pending/customer, pending/vendor\n"},
      {{"list", "--tier", "L9"}, 2, "desk: error: unknown tier 'L9'\nhint: use one of: L0, L1, L2, L3, L4\n"},
      {{"list", "-p", "P9"}, 2, "desk: error: unknown priority 'P9'\n"},
      {{"list", "--sort", "colour"}, 2, "desk: error: cannot sort by 'colour'\n"},
      {{"list", "-n", "many"}, 2, "desk: error: "},
  }));
  CAPTURE(args);
  auto r = h.run(args);
  CHECK(r.code == code);
  CHECK(r.out.empty());
  CHECK_THAT(r.err, StartsWith(message));
}
