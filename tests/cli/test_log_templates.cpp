// desk log, desk templates and desk sweep.
#include <sstream>
#include <string>
#include <vector>

#include "catch.hpp"
#include "harness.hpp"

using desk::test::Harness;
using Catch::Contains;
using Catch::StartsWith;

namespace {
std::vector<std::string> lines_of(const std::string& s) {
  std::vector<std::string> out;
  std::istringstream in(s);
  for (std::string l; std::getline(in, l);) out.push_back(l);
  return out;
}
}  // namespace

TEST_CASE("log shows the audit trail newest first, with the bodies indented", "[cli][log]") {
  Harness h;
  h.init();
  std::string a = h.new_ticket("VPN drops");
  h.now = "2026-11-23T09:30:00Z";
  REQUIRE(h.run({"escalate", a, "-m", "Reinstalled the client.\nStill drops."}).code == 0);
  h.author_name = "Bo Tech";
  h.now = "2026-11-23T10:00:00Z";
  std::string b = h.new_ticket("Printer jams");
  auto r = h.run({"log"});
  CHECK(r.code == 0);
  CHECK(r.err.empty());
  auto l = lines_of(r.out);
  REQUIRE(l.size() == 7);
  std::string head = h.sh("git rev-parse --short=7 HEAD").substr(0, 7);
  CHECK(l[0] == head + " 2026-11-23 10:00  Bo Tech  new " + b.substr(0, 6) + ": Printer jams");
  CHECK_THAT(l[1], Contains("2026-11-23 09:30  Alice Agent  escalate " + a.substr(0, 6) + " L1 -> L2: VPN drops"));
  CHECK(l[2] == "    Reinstalled the client.");
  CHECK(l[3] == "    Still drops.");
  CHECK_THAT(l[4], Contains("Alice Agent  new " + a.substr(0, 6) + ": VPN drops"));
  CHECK_THAT(l[5], Contains("Alice Agent  init desk"));
  CHECK(l[6] == "    Tiers L0-L4, priorities P1-P5, the shipped templates and macros.");
}

TEST_CASE("log ID shows only that ticket's commits, and the limit option limits", "[cli][log]") {
  Harness h;
  h.init();
  std::string a = h.new_ticket("VPN drops");
  std::string b = h.new_ticket("Printer jams");
  REQUIRE(h.run({"comment", a, "-m", "hello"}).code == 0);
  auto r = h.run({"log", a.substr(0, 5)});
  CHECK(r.code == 0);
  auto l = lines_of(r.out);
  REQUIRE(l.size() == 3);
  CHECK_THAT(l[0], Contains("comment " + a.substr(0, 6)));
  CHECK(l[1] == "    hello");
  CHECK_THAT(l[2], Contains("new " + a.substr(0, 6)));
  CHECK(r.out.find(b.substr(0, 6)) == std::string::npos);
  CHECK(lines_of(h.run({"log", "-n", "1"}).out).size() == 2);  // the comment and its body
}

TEST_CASE("log --json lists entries with commit, time, author, action, ticket, subject and body", "[cli][log]") {
  Harness h;
  h.init();
  std::string a = h.new_ticket("VPN drops");
  REQUIRE(h.run({"resolve", a, "-m", "Fixed \"it\""}).code == 0);
  auto r = h.run({"log", "--json"});
  REQUIRE(r.code == 0);
  CHECK(h.json(r.out, "d['desk_format']") == "2");
  CHECK(h.json(r.out, "[e['action'] for e in d['entries']]") == R"(["resolve", "create", "init"])");
  CHECK(h.json(r.out, "d['entries'][0]['commit']") == h.sh("git rev-parse HEAD").substr(0, 40));
  CHECK(h.json(r.out, "d['entries'][0]['tickets']") == "[\"" + a + "\"]");
  CHECK(h.json(r.out, "d['entries'][0]['body']") == "Fixed \"it\"");
  CHECK(h.json(r.out, "d['entries'][0]['author']") == R"({"name": "Alice Agent", "email": "alice@example.com"})");
  CHECK(h.json(r.out, "d['entries'][0]['at']") == "2026-11-23T09:00:00Z");
  CHECK(h.json(r.out, "d['entries'][2]['tickets']") == "[]");
  // The older shape, for one release: author and email as strings, the ids in one string.
  std::string b = h.new_ticket("Printer jams");
  REQUIRE(h.run({"resolve", a, b, "-m", "Both"}).code == 1);  // a is resolved already: one error, nothing done
  REQUIRE(h.run({"comment", b, "-m", "Looking"}).code == 0);
  auto v1 = h.run({"--json-format", "1", "log", "--json", "-n", "1"});
  REQUIRE(v1.code == 0);
  CHECK(h.json(v1.out, "[d['desk_format'], d['entries'][0]['ticket'], d['entries'][0]['author'], d['entries'][0]['email']]") ==
        "[1, \"" + b + "\", \"Alice Agent\", \"alice@example.com\"]");
}

TEST_CASE("log --json gives a commit of several tickets as an array of ids", "[cli][log]") {
  Harness h;
  h.init();
  std::string a = h.new_ticket("VPN drops"), b = h.new_ticket("Printer jams");
  REQUIRE(h.run({"assign", a, b, "bo"}).code == 0);
  auto r = h.run({"log", "--json", "-n", "1"});
  REQUIRE(r.code == 0);
  CHECK(h.json(r.out, "sorted(d['entries'][0]['tickets'])") == h.json("[\"" + a + "\", \"" + b + "\"]", "sorted(d)"));
  h.json_format = "1";
  auto v1 = h.run({"log", "--json", "-n", "1"});
  REQUIRE(v1.code == 0);
  CHECK(h.json(v1.out, "sorted(d['entries'][0]['ticket'].split(','))") == h.json("[\"" + a + "\", \"" + b + "\"]", "sorted(d)"));
  auto wins = h.run({"log", "--json", "-n", "1", "--json-format", "2"});  // the option over the environment
  CHECK(h.json(wins.out, "d['desk_format']") == "2");
  h.json_format = "3";
  auto bad = h.run({"log", "--json"});
  CHECK(bad.code == 2);
  CHECK_THAT(bad.err, Catch::Contains("DESK_JSON_FORMAT='3'"));
}

TEST_CASE("log errors", "[cli][log]") {
  Harness h;
  h.init();
  auto r = h.run({"log", "zzzz"});
  CHECK(r.code == 3);
  CHECK_THAT(r.err, StartsWith("desk: error: no ticket matches 'zzzz'"));
  auto n = h.run({"log", "-n", "x"});
  CHECK(n.code == 2);
}

TEST_CASE("templates lists the desk's templates, and as JSON gives their fields", "[cli][templates]") {
  Harness h;
  h.init();
  auto r = h.run({"templates"});
  CHECK(r.code == 0);
  auto l = lines_of(r.out);
  REQUIRE(l.size() == 8);
  CHECK_THAT(l[0], StartsWith("NAME"));
  CHECK_THAT(l[0], Contains("STEPS"));
  CHECK_THAT(r.out, Contains("\npassword-reset "));
  CHECK_THAT(r.out, Contains("\nvendor-case "));
  auto j = h.run({"templates", "--json"});
  REQUIRE(j.code == 0);
  CHECK(h.json(j.out, "d['desk_format']") == "2");
  CHECK(h.json(j.out, "[t['name'] for t in d['templates']]") ==
        R"(["access-request", "account-unlock", "hardware-fault", "major-incident", "password-reset", "software-bug", "vendor-case"])");
  CHECK(h.json(j.out, "[t for t in d['templates'] if t['name'] == 'password-reset'][0]['type']") == "service-request");
  CHECK(h.json(j.out, "all(len(t['checklist']) > 0 for t in d['templates'])") == "true");
}

TEST_CASE("a template added to the desk is listed and usable", "[cli][templates]") {
  Harness h;
  h.init();
  h.write(".desk/templates/laptop-swap.toml", "title = \"Laptop swap\"\ntype = \"service-request\"\npriority = \"P4\"\nchecklist = [\"Back up\", \"Swap\"]\n");
  h.sh("git add .desk && git -c user.name=H -c user.email=h@example.com commit -q -m 'laptop template'");
  CHECK_THAT(h.run({"templates"}).out, Contains("\nlaptop-swap "));
  std::string id = h.new_ticket("New laptop for Carol", {"-t", "laptop-swap"});
  CHECK(h.json(h.run({"show", id, "--json"}).out, "[c['text'] for c in d['checklist']]") == R"(["Back up", "Swap"])");
}

TEST_CASE("sweep on a desk with nothing overdue does nothing", "[cli][sweep]") {
  Harness h;
  h.init();
  h.new_ticket("VPN drops");
  std::string head = h.sh("git rev-parse HEAD");
  auto r = h.run({"sweep"});
  CHECK(r.code == 0);
  CHECK_THAT(r.err, Contains("sweep: nothing to do"));
  CHECK(h.sh("git rev-parse HEAD") == head);
  auto j = h.run({"sweep", "--json"});
  CHECK(j.code == 0);
  CHECK(h.json(j.out, "[d['desk_format'], d['commit'], d['escalated'], d['new_breaches']]") == "[2, null, [], []]");
}

TEST_CASE("sweep escalates a ticket past its tier's time limit in one commit, and a dry run only says so", "[cli][sweep]") {
  Harness h;
  h.init();
  std::string id = h.new_ticket("VPN drops");  // Monday 09:00, L1 has a 30 minute limit
  h.now = "2026-11-23T11:00:00Z";
  std::string head = h.sh("git rev-parse HEAD");
  auto dry = h.run({"sweep", "--dry-run"});
  CHECK(dry.code == 0);
  CHECK_THAT(dry.out, Contains("would escalate " + id + " L1 -> L2"));
  CHECK(h.sh("git rev-parse HEAD") == head);
  auto r = h.run({"sweep"});
  CHECK(r.code == 0);
  CHECK_THAT(r.out, Contains("escalated " + id + " L1 -> L2"));
  CHECK(h.sh("git rev-list --count " + head.substr(0, 40) + "..HEAD") == "1\n");
  CHECK(h.sh("git log -1 --format='%(trailers:key=Desk-Action,valueonly)'") == "sweep\n\n");
  CHECK(h.sh("git status --porcelain") == "");
  CHECK(h.json(h.run({"show", id, "--json"}).out, "d['tier']") == "L2");
  auto again = h.run({"sweep"});  // a second sweep at the same time changes nothing more
  CHECK(again.code == 0);
  CHECK_THAT(again.out, !Contains("escalated"));
}
