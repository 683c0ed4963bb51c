// desk apply (macros: canned replies) and desk macros.
#include <string>
#include <vector>

#include "catch.hpp"
#include "harness.hpp"

using desk::test::Harness;
using desk::test::Result;
using Catch::Contains;
using Catch::StartsWith;

namespace {

std::string path_of(const std::string& id) { return "tickets/" + id.substr(0, 2) + "/" + id + ".toml"; }

std::string chomp(std::string s) {
  while (!s.empty() && s.back() == '\n') s.pop_back();
  return s;
}

int commits(Harness& h) { return std::stoi(h.sh("git rev-list --count HEAD")); }

std::vector<std::string> lines_of(const std::string& s) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start < s.size()) {
    size_t nl = s.find('\n', start);
    if (nl == std::string::npos) nl = s.size();
    out.push_back(s.substr(start, nl - start));
    start = nl + 1;
  }
  return out;
}

// A desk with a ticket from Carol.
struct Fixture {
  Harness h;
  std::string id, sid;
  Fixture() {
    h.init();
    id = h.new_ticket("VPN drops", {"--requester", "Carol Customer <carol@example.com>"});
    sid = id.substr(0, 6);
  }
  std::string show(const std::string& which, const std::string& expr) { return h.json(h.run({"show", which, "--json"}).out, expr); }
};

}  // namespace

TEST_CASE("apply puts a macro's field changes, reply and wait on a ticket in one commit", "[cli][apply]") {
  Fixture d;
  int before = commits(d.h);
  auto r = d.h.run({"apply", "ask-for-logs", d.sid});
  INFO(r.err);
  REQUIRE(r.code == 0);
  CHECK(r.out.empty());
  CHECK(commits(d.h) == before + 1);
  CHECK(chomp(d.h.sh("git log -1 --format=%s")) == "apply ask-for-logs to " + d.sid + ": VPN drops");
  CHECK(chomp(d.h.sh("git log -1 --format='%(trailers:key=Desk-Action,valueonly)'")) == "apply");
  CHECK(chomp(d.h.sh("git log -1 --format='%(trailers:key=Desk-Ticket,valueonly)'")) == d.id);
  CHECK(chomp(d.h.sh("git show --name-only --format= HEAD")) == path_of(d.id));
  CHECK_THAT(d.h.sh("git log -1 --format=%b"), StartsWith("Hello Carol,\n\nto find out what goes wrong"));
  CHECK_THAT(r.err, Contains("] apply ask-for-logs to " + d.sid + ": VPN drops"));
  CHECK(d.h.sh("git status --porcelain") == "");
  CHECK(d.show(d.id, "[d['status'], d['waiting_on'], d['tags']]") == R"(["pending", "customer", ["logs-requested"]])");
  CHECK(d.show(d.id, "[e['action'] for e in d['history']]") == R"(["create", "triage", "comment", "wait"])");
  CHECK(d.show(d.id, "d['history'][2].get('internal', False)") == "false");
  CHECK(d.show(d.id, "d['history'][2]['text'].splitlines()[0]") == "Hello Carol,");
  CHECK(d.show(d.id, "d['history'][2]['text'].splitlines()[-1]") == "Alice Agent");
  CHECK(d.show(d.id, "len(set(e['at'] for e in d['history'][1:]))") == "1");
}

TEST_CASE("apply to two tickets makes one commit that changes both", "[cli][apply]") {
  Fixture d;
  std::string b = d.h.new_ticket("VPN slow", {"--requester", "dana@example.com"});
  int before = commits(d.h);
  auto r = d.h.run({"apply", "known-issue", d.id, b});
  INFO(r.err);
  REQUIRE(r.code == 0);
  CHECK(commits(d.h) == before + 1);
  CHECK(chomp(d.h.sh("git log -1 --format=%s")) == "apply known-issue to 2 tickets: " + d.sid + ", " + b.substr(0, 6));
  CHECK(chomp(d.h.sh("git show --name-only --format= HEAD | sort")) ==
        chomp(d.h.sh("printf '%s\\n' " + path_of(d.id) + " " + path_of(b) + " | sort")));
  CHECK(chomp(d.h.sh("git log -1 --format='%(trailers:key=Desk-Ticket,valueonly)' | sed '/^$/d' | sort | tr '\\n' ' '")) ==
        chomp(d.h.sh("printf '%s\\n' " + d.id + " " + b + " | sort | tr '\\n' ' '")));
  for (const auto& id : {d.id, b}) {
    CHECK(d.show(id, "d['tags']") == R"(["known-issue"])");
    CHECK(d.show(id, "d['history'][-1]['action']") == "comment");
    CHECK(d.show(id, "d['status']") == "open");
  }
  // The placeholders are filled in for each ticket: Carol by name, Dana's address has none.
  CHECK(d.show(d.id, "d['history'][-1]['text'].splitlines()[0]") == "Hello Carol,");
  CHECK(d.show(b, "d['history'][-1]['text'].splitlines()[0]") == "Hello there,");
}

TEST_CASE("apply to several tickets is all or nothing", "[cli][apply]") {
  Fixture d;
  std::string b = d.h.new_ticket("VPN slow");
  REQUIRE(d.h.run({"resolve", b, "-m", "fixed"}).code == 0);
  REQUIRE(d.h.run({"close", b}).code == 0);
  std::string head = d.h.sh("git rev-parse HEAD");
  auto r = d.h.run({"apply", "known-issue", d.id, b});
  CHECK(r.code == 1);
  CHECK_THAT(r.err, Contains("desk: error: " + b.substr(0, 6) + ": macro 'known-issue': cannot triage ticket " + b.substr(0, 6) + ": it is closed"));
  CHECK_THAT(r.err, Contains("no ticket was changed (all or nothing)"));
  CHECK(d.h.sh("git rev-parse HEAD") == head);
  CHECK(d.h.sh("git status --porcelain") == "");
  CHECK(d.show(d.id, "len(d['history'])") == "1");
}

TEST_CASE("apply reads ticket ids from standard input with -", "[cli][apply]") {
  Fixture d;
  std::string b = d.h.new_ticket("VPN slow");
  d.h.stdin_text = d.id + "\n# a comment line\n" + b + " VPN slow\n";
  int before = commits(d.h);
  auto r = d.h.run({"apply", "waiting-on-vendor", "-"});
  INFO(r.err);
  REQUIRE(r.code == 0);
  CHECK(commits(d.h) == before + 1);
  for (const auto& id : {d.id, b}) {
    CHECK(d.show(id, "[d['status'], d['waiting_on']]") == R"(["pending", "vendor"])");
    CHECK(d.show(id, "[d['history'][-2]['action'], d['history'][-2]['internal']]") == R"(["comment", true])");
    CHECK_THAT(d.show(id, "d['history'][-2]['text']"), Contains("about ticket " + id + "."));
  }
}

TEST_CASE("apply --dry-run prints what the ticket would become and commits nothing", "[cli][apply]") {
  Fixture d;
  std::string head = d.h.sh("git rev-parse HEAD");
  std::string file = d.h.read(path_of(d.id));
  auto r = d.h.run({"apply", "ask-for-logs", d.sid, "--dry-run"});
  INFO(r.err);
  REQUIRE(r.code == 0);
  CHECK(d.h.sh("git rev-parse HEAD") == head);
  CHECK(d.h.sh("git status --porcelain") == "");
  CHECK(d.h.read(path_of(d.id)) == file);
  auto l = lines_of(r.out);
  REQUIRE(l.size() > 8);
  CHECK(l[0] == d.id + "  VPN drops");
  CHECK(l[1] == "  status    new -> pending (waiting on customer)");
  CHECK(l[2] == "  tags      - -> logs-requested");
  CHECK(l[3] == "  + triaged: tags - -> logs-requested");
  CHECK(l[4] == "  + public reply");
  CHECK(l[5] == "      Hello Carol,");
  CHECK_THAT(r.out, Contains("\n      Alice Agent\n  + waiting on customer\n"));
  CHECK(r.err == "apply ask-for-logs: dry run, nothing committed (1 ticket)\n");
}

TEST_CASE("apply --dry-run --json prints the change with no commit", "[cli][apply]") {
  Fixture d;
  std::string b = d.h.new_ticket("VPN slow");
  std::string head = d.h.sh("git rev-parse HEAD");
  auto one = d.h.run({"apply", "password-reset-done", d.id, "--dry-run", "--json"});
  REQUIRE(one.code == 0);
  CHECK(d.h.json(one.out, "[d['desk_format'], d['commit'], d['action'], d['macro'], d['dry_run']]") ==
        R"([2, null, "apply", "password-reset-done", true])");
  CHECK(d.h.json(one.out, "d['subject']") == "apply password-reset-done to " + d.sid + ": VPN drops");
  CHECK(d.h.json(one.out, "[d['ticket']['status'], d['ticket']['resolution'].splitlines()[0]]") == R"(["resolved", "Hello Carol,"])");
  auto two = d.h.run({"apply", "password-reset-done", d.id, b, "--dry-run", "--json"});
  REQUIRE(two.code == 0);
  CHECK(d.h.json(two.out, "[d['commit'], d['subject'], [t['status'] for t in d['tickets']]]") ==
        R"([null, "apply password-reset-done to 2 tickets", ["resolved", "resolved"]])");
  CHECK(d.h.sh("git rev-parse HEAD") == head);
  CHECK(d.h.sh("git status --porcelain") == "");
}

TEST_CASE("apply --json prints the committed change", "[cli][apply]") {
  Fixture d;
  auto r = d.h.run({"apply", "password-reset-done", d.id, "--json"});
  INFO(r.err);
  REQUIRE(r.code == 0);
  std::string head = chomp(d.h.sh("git rev-parse HEAD"));
  CHECK(d.h.json(r.out, "[d['desk_format'], d['commit'], d['action'], d['macro'], d['dry_run']]") ==
        R"([2, ")" + head + R"(", "apply", "password-reset-done", false])");
  CHECK(d.h.json(r.out, "[d['ticket']['id'], d['ticket']['status']]") == R"([")" + d.id + R"(", "resolved"])");
  CHECK(d.h.json(r.out, "[e['action'] for e in d['ticket']['history']]") == R"(["create", "resolve"])");
  CHECK(d.show(d.id, "d['resolution'].splitlines()[0]") == "Hello Carol,");
}

TEST_CASE("a resolving macro warns about checklist steps not done, as desk resolve does", "[cli][apply]") {
  Harness h;
  h.init();
  std::string id = h.new_ticket("Cannot sign in", {"--template", "password-reset"});
  auto r = h.run({"apply", "password-reset-done", id});
  REQUIRE(r.code == 0);
  CHECK_THAT(r.err, Contains("desk: warning: " + id.substr(0, 6) + " was resolved with 5 of 5 checklist steps not done"));
}

TEST_CASE("a resolving macro is refused while required checklist steps are not done, and changes nothing", "[cli][apply]") {
  Harness h;
  h.init();
  std::string id = h.new_ticket("Mail is down", {"--template", "major-incident"});
  std::string head = h.sh("git rev-parse HEAD");
  auto r = h.run({"apply", "password-reset-done", id});
  CHECK(r.code == 1);
  CHECK_THAT(r.err, Contains("desk: error: macro 'password-reset-done': cannot resolve ticket " + id.substr(0, 6)));
  CHECK_THAT(r.err, Contains("required checklist steps are not done"));
  CHECK_THAT(r.err, Contains("a macro does not force"));
  CHECK(h.sh("git rev-parse HEAD") == head);
  CHECK(h.run({"apply", "password-reset-done", id, "--dry-run"}).code == 1);
}

TEST_CASE("apply of a macro the desk does not have is exit 3 and lists the macros there are", "[cli][apply]") {
  Fixture d;
  std::string head = d.h.sh("git rev-parse HEAD");
  auto r = d.h.run({"apply", "ask-for-log", d.id});
  CHECK(r.code == 3);
  CHECK(r.out.empty());
  CHECK(r.err ==
        "desk: error: no macro 'ask-for-log'\n"
        "hint: use one of: ask-for-logs, known-issue, password-reset-done, waiting-on-vendor (desk macros lists them)\n");
  CHECK(d.h.sh("git rev-parse HEAD") == head);
  CHECK(d.h.run({"apply", "../config", d.id}).code == 3);
  auto missing = d.h.run({"apply", "known-issue", "zzzzzz"});
  CHECK(missing.code == 3);
  CHECK_THAT(missing.err, Contains("no ticket matches 'zzzzzz'"));
  CHECK(d.h.run({"apply", "known-issue"}).code == 2);
}

TEST_CASE("a bad macro file is exit 1 with its path, line and column, and changes nothing", "[cli][apply]") {
  Fixture d;
  d.h.write(".desk/macros/typo.toml", "title = \"Typo\"\nreply = \"Hello {requester_nmae}\"\npriority = \"P9\"\n");
  d.h.sh("git add .desk && git -c user.name=H -c user.email=h@example.com commit -q -m 'typo macro'");
  std::string head = d.h.sh("git rev-parse HEAD");
  auto r = d.h.run({"apply", "typo", d.id});
  CHECK(r.code == 1);
  CHECK_THAT(r.err, StartsWith("desk: error: .desk/macros/typo.toml:3:12: unknown priority 'P9'"));
  CHECK_THAT(r.err, Contains("hint: fix the macro file and commit it"));
  CHECK(d.h.sh("git rev-parse HEAD") == head);
  // desk macros lists the others and warns about it; fsck reports it with its line.
  auto list = d.h.run({"macros"});
  CHECK(list.code == 0);
  CHECK_THAT(list.err, Contains("desk: warning: .desk/macros/typo.toml:3:12: unknown priority 'P9'"));
  CHECK_THAT(list.out, Contains("\nknown-issue "));
  auto fsck = d.h.run({"fsck"});
  CHECK(fsck.code == 5);
  CHECK_THAT(fsck.out + fsck.err, Contains(".desk/macros/typo.toml:3:12: unknown priority 'P9'"));
}

TEST_CASE("macros lists the desk's macros with what they do and their titles", "[cli][macros]") {
  Harness h;
  h.init();
  auto r = h.run({"macros"});
  REQUIRE(r.code == 0);
  CHECK(r.err.empty());
  auto l = lines_of(r.out);
  REQUIRE(l.size() == 5);
  CHECK_THAT(l[0], StartsWith("NAME"));
  CHECK_THAT(l[0], Contains("TEXT"));
  CHECK_THAT(l[0], Contains("STEPS"));
  CHECK_THAT(l[0], Contains("TITLE"));
  CHECK_THAT(l[1], StartsWith("ask-for-logs "));
  CHECK_THAT(l[1], Contains(" reply "));
  CHECK_THAT(l[1], Contains("tags +logs-requested, wait customer"));
  CHECK_THAT(l[1], Contains("Ask for logs"));
  CHECK_THAT(l[3], StartsWith("password-reset-done "));
  CHECK_THAT(l[3], Contains(" resolution "));
  CHECK_THAT(l[4], Contains(" note "));
  CHECK_THAT(l[4], Contains("wait vendor"));
  auto j = h.run({"macros", "--json"});
  REQUIRE(j.code == 0);
  CHECK(h.json(j.out, "d['desk_format']") == "2");
  CHECK(h.json(j.out, "[m['name'] for m in d['macros']]") == R"(["ask-for-logs", "known-issue", "password-reset-done", "waiting-on-vendor"])");
  CHECK(h.json(j.out, "[m.get('status', '') for m in d['macros']]") == R"(["", "", "resolved", ""])");
  CHECK(h.json(j.out, "[m['internal'] for m in d['macros']]") == "[false, false, false, true]");
  CHECK(h.json(j.out, "d['macros'][1]['tags']") == R"(["known-issue"])");
  CHECK(h.json(j.out, "d['macros'][0]['reply'].splitlines()[0]") == "Hello {requester_name},");
}

TEST_CASE("a macro added to the desk is listed and applied", "[cli][macros]") {
  Fixture d;
  d.h.write(".desk/macros/escalate-network.toml",
            "title = \"To the network team\"\nreply = \"Logs attached for {title}.\"\ninternal = true\ntier = \"L2\"\npriority = \"P2\"\n");
  d.h.sh("git add .desk && git -c user.name=H -c user.email=h@example.com commit -q -m 'network macro'");
  CHECK_THAT(d.h.run({"macros"}).out, Contains("\nescalate-network "));
  auto r = d.h.run({"apply", "escalate-network", d.id});
  INFO(r.err);
  REQUIRE(r.code == 0);
  CHECK(d.show(d.id, "[d['tier'], d['priority']]") == R"(["L2", "P2"])");
  CHECK(d.show(d.id, "[[e['action'], e.get('text', '')] for e in d['history'][1:]]") ==
        R"([["triage", ""], ["escalate", "Logs attached for VPN drops."]])");
}
