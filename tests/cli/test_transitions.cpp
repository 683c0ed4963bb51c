// The ticket lifecycle commands: each makes one commit, reports it, and refuses what it must.
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

// A desk with one ticket in it.
struct OneTicket {
  Harness h;
  std::string id, sid;
  explicit OneTicket(const std::vector<std::string>& extra = {}) {
    h.init();
    id = h.new_ticket("VPN drops", extra);
    sid = id.substr(0, 6);
  }
  // Runs a command that must succeed.
  Result ok(const std::vector<std::string>& args) {
    auto r = h.run(args);
    INFO("desk " << args.at(0) << ": " << r.err);
    REQUIRE(r.code == 0);
    return r;
  }
  std::string field(const std::string& expr) { return h.json(h.run({"show", id, "--json"}).out, expr); }
};

// Checks that a command made exactly one commit, touching only the ticket's file, with the
// subject and trailers, reported it on stderr, and left the working tree clean.
void check_landed(OneTicket& d, const Result& r, int commits_before, const std::string& action, const std::string& subject) {
  CHECK(r.code == 0);
  CHECK(commits(d.h) == commits_before + 1);
  std::string head = chomp(d.h.sh("git rev-parse --short=7 HEAD"));
  CHECK(r.err == "[main " + head + "] " + subject + "\n");
  CHECK(d.h.sh("git log -1 --format=%s") == subject + "\n");
  CHECK(d.h.sh("git log -1 --format='%(trailers:key=Desk-Ticket,valueonly)%(trailers:key=Desk-Action,valueonly)'") ==
        d.id + "\n" + action + "\n\n");
  CHECK(d.h.sh("git show --name-only --format= HEAD") == path_of(d.id) + "\n");
  CHECK(d.h.sh("git status --porcelain") == "");
}

// Checks that a command failed with the exit code and message and committed nothing.
void check_refused(OneTicket& d, const std::vector<std::string>& args, int code, const std::string& message) {
  CAPTURE(args);
  int before = commits(d.h);
  auto r = d.h.run(args);
  CHECK(r.code == code);
  CHECK(r.out.empty());
  CHECK_THAT(r.err, StartsWith("desk: error: " + message));
  CHECK(commits(d.h) == before);
  CHECK(d.h.sh("git status --porcelain") == "");
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// triage

TEST_CASE("triage derives the priority, opens the ticket and commits", "[cli][triage]") {
  OneTicket d;
  int n = commits(d.h);
  auto r = d.h.run({"triage", d.id.substr(0, 4), "--impact", "high", "--urgency", "medium", "--tag", "vpn"});
  check_landed(d, r, n, "triage", "triage " + d.sid + " (impact high, urgency medium, priority P3 -> P2, tags vpn): VPN drops");
  CHECK(d.field("[d['status'], d['priority'], d['tags']]") == R"(["open", "P2", ["vpn"]])");
  CHECK(d.field("d['history'][-1]['changes'][2]") == R"({"field": "priority", "from": "P3", "to": "P2"})");
}

TEST_CASE("triage of a new ticket with no options just opens it", "[cli][triage]") {
  OneTicket d;
  int n = commits(d.h);
  check_landed(d, d.h.run({"triage", d.id}), n, "triage", "triage " + d.sid + ": VPN drops");
  CHECK(d.field("d['status']") == "open");
}

TEST_CASE("triage --title renames the ticket, the old title stays in the history", "[cli][triage]") {
  OneTicket d;
  int n = commits(d.h);
  check_landed(d, d.h.run({"triage", d.id, "--title", "  VPN drops hourly on the east-wing Wi-Fi "}), n, "triage",
               "triage " + d.sid + " (new title): VPN drops hourly on the east-wing Wi-Fi");
  CHECK(d.field("d['title']") == "VPN drops hourly on the east-wing Wi-Fi");
  CHECK(d.field("d['history'][-1]['changes'][0]") == R"({"field": "title", "from": "VPN drops", "to": "VPN drops hourly on the east-wing Wi-Fi"})");
  CHECK_THAT(d.h.run({"show", d.id}).out, Contains("triaged: title VPN drops -> VPN drops hourly on the east-wing Wi-Fi\n"));
  check_refused(d, {"triage", d.id, "--title", " "}, 1, "the title is empty");
  check_refused(d, {"triage", d.id, "--title", "two\nlines"}, 1, "the title has a line break");
}

TEST_CASE("triage refusals", "[cli][triage]") {
  OneTicket d;
  d.ok({"triage", d.id, "-p", "P2"});
  check_refused(d, {"triage", d.id}, 2, "triage would change nothing on ticket " + d.sid);
  check_refused(d, {"triage", d.id, "-p", "P2"}, 2, "triage would change nothing");
  check_refused(d, {"triage", d.id, "--impact", "huge"}, 2, "unknown impact 'huge'\nhint: use one of: high, medium, low\n");
  check_refused(d, {"triage", d.id, "--type", "bug"}, 2, "unknown type 'bug'");
  check_refused(d, {"triage", "zzzz", "-p", "P1"}, 3, "no ticket matches 'zzzz'");
}

// ---------------------------------------------------------------------------------------------
// assign

TEST_CASE("assign and unassign", "[cli][assign]") {
  OneTicket d;
  int n = commits(d.h);
  check_landed(d, d.h.run({"assign", d.id, "bo"}), n, "assign", "assign " + d.sid + " to bo: VPN drops");
  CHECK(d.field("[d['assignee'], d['status']]") == R"([{"name": "bo", "email": null}, "open"])");
  check_landed(d, d.h.run({"assign", d.id, "--unassign"}), n + 1, "assign", "unassign " + d.sid + ": VPN drops");
  CHECK(d.field("d.get('assignee')") == "null");
}

TEST_CASE("assign refusals", "[cli][assign]") {
  OneTicket d;
  d.ok({"assign", d.id, "bo"});
  check_refused(d, {"assign", d.id}, 2, "say who takes the ticket\nhint: desk assign ID USER, or desk assign ID --unassign\n");
  check_refused(d, {"assign", d.id, "cy", "--unassign"}, 2, "give USER or --unassign, not both");
  check_refused(d, {"assign", d.id, "bo"}, 1, "ticket " + d.sid + " is already assigned to bo\n");
  check_refused(d, {"assign", d.id, "bo\x1b[2J"}, 1, "invalid assignee 'bo'");
}

// ---------------------------------------------------------------------------------------------
// comment

TEST_CASE("comment adds a public reply with its text in the commit body", "[cli][comment]") {
  OneTicket d;
  int n = commits(d.h);
  auto r = d.h.run({"comment", d.id, "-m", "Could you send the client log?"});
  check_landed(d, r, n, "comment", "comment " + d.sid + ": VPN drops");
  CHECK_THAT(d.h.sh("git log -1 --format=%b"), StartsWith("Could you send the client log?\n\nDesk-Ticket: "));
  CHECK(d.field("[d['status'], d['history'][-1]['text']]") == R"(["open", "Could you send the client log?"])");
}

TEST_CASE("comment --internal reads the note from standard input with -F -", "[cli][comment]") {
  OneTicket d;
  int n = commits(d.h);
  d.h.stdin_text = "Looks like the rekey.\r\nChecking logs.\r\n";
  auto r = d.h.run({"comment", d.id, "--internal", "-F", "-"});
  check_landed(d, r, n, "comment", "note " + d.sid + ": VPN drops");
  CHECK(d.field("[d['status'], d['history'][-1]['internal'], d['history'][-1]['text']]") ==
        R"(["new", true, "Looks like the rekey.\nChecking logs."])");
}

TEST_CASE("comment refusals", "[cli][comment]") {
  OneTicket d;
  check_refused(d, {"comment", d.id}, 2, "the comment text is required\nhint: pass it with -m TEXT or -F FILE\n");
  check_refused(d, {"comment", d.id, "-i", "-m", "  "}, 2, "the note text is required");
  check_refused(d, {"comment", d.id, "-m", "a", "-F", "-"}, 2, "-m and -F cannot be used together");
  check_refused(d, {"comment", d.id, "-F", "nope.txt"}, 2, "cannot read 'nope.txt'");
}

// ---------------------------------------------------------------------------------------------
// escalate and deescalate

TEST_CASE("escalate moves the ticket up with the hand-off note", "[cli][escalate]") {
  OneTicket d;
  d.ok({"assign", d.id, "bo"});
  int n = commits(d.h);
  auto r = d.h.run({"escalate", d.id, "-m", "Reinstalled the client; still drops."});
  check_landed(d, r, n, "escalate", "escalate " + d.sid + " L1 -> L2: VPN drops");
  CHECK_THAT(d.h.sh("git log -1 --format=%b"), StartsWith("Reinstalled the client; still drops.\n"));
  CHECK(d.field("[d['tier'], d.get('assignee'), d['history'][-1]['from'], d['history'][-1]['to']]") == R"(["L2", null, "L1", "L2"])");

  SECTION("and on to the vendor with --vendor and --case") {
    auto v = d.h.run({"escalate", d.id, "--to", "L4", "--vendor", "acme-networks", "--case", "ACME-4411", "-m", "Firmware defect"});
    check_landed(d, v, n + 1, "escalate", "escalate " + d.sid + " L2 -> L4: VPN drops");
    CHECK(d.field("[d['tier'], d['vendor'], d['vendor_case']]") == R"(["L4", "acme-networks", "ACME-4411"])");
  }
}

TEST_CASE("escalate --json prints the change", "[cli][escalate]") {
  OneTicket d;
  auto r = d.ok({"escalate", d.id, "--to", "L3", "-m", "needs an engineer", "--json"});
  CHECK(d.h.json(r.out, "d['desk_format']") == "2");
  CHECK(d.h.json(r.out, "d['action']") == "escalate");
  CHECK(d.h.json(r.out, "d['commit']") == chomp(d.h.sh("git rev-parse HEAD")));
  CHECK(d.h.json(r.out, "d['subject']") == "escalate " + d.sid + " L1 -> L3: VPN drops");
  CHECK(d.h.json(r.out, "d['ticket']['tier']") == "L3");
}

TEST_CASE("escalate refusals", "[cli][escalate]") {
  OneTicket d;
  check_refused(d, {"escalate", d.id}, 2, "a hand-off note is required\nhint: say what was tried and why it goes up");
  check_refused(d, {"escalate", d.id, "--to", "L4", "-m", "n"}, 2,
                "escalating to L4 (External vendors) needs the vendor and the vendor's case reference\nhint: desk escalate " + d.sid +
                    " --to L4 --vendor NAME --case REF -m NOTE\n");
  check_refused(d, {"escalate", d.id, "--to", "L4", "--vendor", "globex", "--case", "G-1", "-m", "n"}, 2,
                "unknown vendor 'globex'\nhint: use one of: acme-networks, contoso-cloud\n");
  check_refused(d, {"escalate", d.id, "--vendor", "acme-networks", "-m", "n"}, 2, "--vendor and --case apply only to a vendor tier");
  check_refused(d, {"escalate", d.id, "--to", "L9", "-m", "n"}, 2, "unknown tier 'L9'");
  check_refused(d, {"escalate", d.id, "--to", "L1", "-m", "n"}, 1, "cannot escalate ticket " + d.sid + " from L1 to L1: L1 is not above L1");
  d.ok({"escalate", d.id, "--to", "L4", "--vendor", "acme-networks", "--case", "A-1", "-m", "n"});
  check_refused(d, {"escalate", d.id, "-m", "n"}, 1, "ticket " + d.sid + " is already at the top tier L4\nhint: there is no tier above it\n");
  check_refused(d, {"escalate", d.id, "--to", "L2", "-m", "n"}, 1, "cannot escalate ticket " + d.sid + " from L4 to L2: L2 is not above L4\nhint: to move it down use: desk deescalate");
}

TEST_CASE("deescalate moves the ticket down with the fix documented", "[cli][deescalate]") {
  OneTicket d({"--tier", "L3"});
  int n = commits(d.h);
  auto r = d.h.run({"deescalate", d.id, "-m", "Firmware 4.2 fixes it; ask the user to reconnect"});
  check_landed(d, r, n, "deescalate", "deescalate " + d.sid + " L3 -> L2: VPN drops");
  CHECK_THAT(d.h.sh("git log -1 --format=%b"), StartsWith("Firmware 4.2 fixes it; ask the user to reconnect\n"));
  check_landed(d, d.h.run({"deescalate", d.id, "--to", "L1", "-m", "back to the desk"}), n + 1, "deescalate",
               "deescalate " + d.sid + " L2 -> L1: VPN drops");
  CHECK(d.field("d['tier']") == "L1");
}

TEST_CASE("deescalate refusals", "[cli][deescalate]") {
  OneTicket d;
  check_refused(d, {"deescalate", d.id, "-m", "n"}, 1, "ticket " + d.sid + " is at L1, the lowest tier that takes tickets");
  check_refused(d, {"deescalate", d.id, "--to", "L0", "-m", "n"}, 1, "tier L0 does not take tickets; L1 is the lowest that does");
  d.ok({"escalate", d.id, "-m", "up"});
  check_refused(d, {"deescalate", d.id, "--to", "L0", "-m", "n"}, 1, "tier L0 does not take tickets; L1 is the lowest that does");
  check_refused(d, {"deescalate", d.id}, 2, "a note is required");
  check_refused(d, {"deescalate", d.id, "--to", "L3", "-m", "n"}, 1, "cannot de-escalate ticket " + d.sid + " from L2 to L3: L3 is not below L2");
}

// ---------------------------------------------------------------------------------------------
// wait and resume

TEST_CASE("wait and resume", "[cli][wait][resume]") {
  OneTicket d;
  int n = commits(d.h);
  check_landed(d, d.h.run({"wait", d.id, "--on", "customer", "-m", "Asked for the log"}), n, "wait", "wait " + d.sid + " on customer: VPN drops");
  CHECK(d.field("[d['status'], d['waiting_on']]") == R"(["pending", "customer"])");
  check_landed(d, d.h.run({"wait", d.id, "--on", "vendor"}), n + 1, "wait", "wait " + d.sid + " on vendor: VPN drops");
  check_landed(d, d.h.run({"resume", d.id, "-m", "Vendor answered"}), n + 2, "resume", "resume " + d.sid + ": VPN drops");
  CHECK(d.field("[d['status'], d.get('waiting_on'), d['history'][-1]['from']]") == R"(["open", null, "vendor"])");
}

TEST_CASE("wait and resume refusals", "[cli][wait][resume]") {
  OneTicket d;
  check_refused(d, {"resume", d.id}, 1, "cannot resume ticket " + d.sid + ": it is new, not waiting\nhint: pause a ticket with: desk wait");
  check_refused(d, {"wait", d.id, "--on", "bob"}, 2, "--on: ");
  check_refused(d, {"wait", d.id}, 2, "--on is required");
  d.ok({"wait", d.id, "--on", "customer"});
  check_refused(d, {"wait", d.id, "--on", "customer"}, 1, "ticket " + d.sid + " is already waiting on the customer\nhint: resume it with: desk resume " + d.sid + "\n");
}

// ---------------------------------------------------------------------------------------------
// resolve, close, reopen

TEST_CASE("resolve, close with satisfaction, reopen", "[cli][resolve][close][reopen]") {
  OneTicket d;
  int n = commits(d.h);
  check_landed(d, d.h.run({"resolve", d.id, "-m", "Firmware 4.2 installed"}), n, "resolve", "resolve " + d.sid + ": VPN drops");
  CHECK(d.field("[d['status'], d['resolution']]") == R"(["resolved", "Firmware 4.2 installed"])");
  check_landed(d, d.h.run({"close", d.id, "--csat", "5", "-m", "Thanks!"}), n + 1, "close", "close " + d.sid + " (csat 5): VPN drops");
  CHECK(d.field("[d['status'], d['csat']]") == R"(["closed", 5])");
  check_landed(d, d.h.run({"reopen", d.id, "-m", "Dropped again this morning"}), n + 2, "reopen", "reopen " + d.sid + ": VPN drops");
  CHECK(d.field("[d['status'], d.get('resolution'), d.get('csat')]") == R"(["open", null, null])");
  d.ok({"resolve", d.id, "-m", "again"});
  check_landed(d, d.h.run({"close", d.id}), n + 4, "close", "close " + d.sid + ": VPN drops");
}

TEST_CASE("resolve, close and reopen refusals", "[cli][resolve][close][reopen]") {
  OneTicket d;
  check_refused(d, {"resolve", d.id}, 2, "a resolution is required\nhint: say what fixed it");
  check_refused(d, {"close", d.id}, 1, "cannot close ticket " + d.sid + ": it is new, not resolved\nhint: resolve it first: desk resolve " + d.sid);
  check_refused(d, {"reopen", d.id, "-m", "why"}, 1, "cannot reopen ticket " + d.sid + ": it is new\nhint: only resolved or closed tickets can be reopened\n");
  d.ok({"resolve", d.id, "-m", "fixed"});
  check_refused(d, {"resolve", d.id, "-m", "again"}, 1, "cannot resolve ticket " + d.sid + ": it is resolved\nhint: reopen it first");
  check_refused(d, {"close", d.id, "--csat", "9"}, 2, "--csat must be between 1 and 5, not 9\n");
  check_refused(d, {"close", d.id, "--csat", "0"}, 2, "--csat must be between 1 and 5, not 0\n");
  check_refused(d, {"reopen", d.id}, 2, "a reason is required");
  d.ok({"close", d.id});
  check_refused(d, {"close", d.id}, 1, "ticket " + d.sid + " is already closed\n");
  check_refused(d, {"comment", d.id, "-m", "x", "-F", "-"}, 2, "-m and -F cannot be used together");
}

// ---------------------------------------------------------------------------------------------
// check

TEST_CASE("check ticks off a template step and --undo un-ticks it", "[cli][check]") {
  OneTicket d({"--template", "password-reset"});
  int n = commits(d.h);
  check_landed(d, d.h.run({"check", d.id, "2"}), n, "check", "check " + d.sid + " step 2: VPN drops");
  CHECK(d.field("[c['done'] for c in d['checklist']][:3]") == "[false, true, false]");
  check_landed(d, d.h.run({"check", d.id, "2", "--undo"}), n + 1, "uncheck", "uncheck " + d.sid + " step 2: VPN drops");
  CHECK(d.field("any(c['done'] for c in d['checklist'])") == "false");
}

TEST_CASE("check refusals", "[cli][check]") {
  OneTicket d({"--template", "password-reset"});
  check_refused(d, {"check", d.id, "99"}, 2, "ticket " + d.sid + " has no step 99; its checklist has steps 1 to 5\n");
  check_refused(d, {"check", d.id, "0"}, 2, "ticket " + d.sid + " has no step 0");
  check_refused(d, {"check", d.id, "two"}, 2, "");
  OneTicket plain;
  check_refused(plain, {"check", plain.id, "1"}, 1, "ticket " + plain.sid + " has no checklist\nhint: checklists come from templates");
}

TEST_CASE("check of a step already done is a no-op that says so, the others still land", "[cli][check]") {
  OneTicket d({"--template", "password-reset"});
  int n = commits(d.h);
  auto r = d.h.run({"check", d.id, "1", "--undo"});
  CHECK(r.code == 0);
  CHECK(r.err == "step 1 of ticket " + d.sid + " is already not done\nnothing to change\n");
  CHECK(commits(d.h) == n);
  d.ok({"check", d.id, "1"});
  r = d.h.run({"check", d.id, "1"});
  CHECK(r.code == 0);
  CHECK(r.err == "step 1 of ticket " + d.sid + " is already done\nnothing to change\n");
  CHECK(commits(d.h) == n + 1);
  // 1 is done, 2 is not: one commit that checks 2.
  r = d.h.run({"check", d.id, "1", "2"});
  CHECK(r.code == 0);
  CHECK_THAT(r.err, StartsWith("step 1 of ticket " + d.sid + " is already done\n[main "));
  CHECK_THAT(r.err, Contains("] check " + d.sid + " step 2: VPN drops\n"));
  CHECK(commits(d.h) == n + 2);
  CHECK(d.field("[c['done'] for c in d['checklist']][:3]") == "[true, true, false]");
  r = d.h.run({"check", d.id, "1", "2", "--json"});
  CHECK(r.code == 0);
  CHECK(d.h.json(r.out, "d['commit']") == "null");
}

// ---------------------------------------------------------------------------------------------
// every mutating command

TEST_CASE("every mutating command exits 3 for an unknown ticket and 1 for an ambiguous one", "[cli][transitions]") {
  OneTicket d;
  auto args = GENERATE(as<std::vector<std::string>>{}, std::vector<std::string>{"triage", "@", "-p", "P1"},
                       std::vector<std::string>{"assign", "@", "bo"}, std::vector<std::string>{"comment", "@", "-m", "x"},
                       std::vector<std::string>{"escalate", "@", "-m", "x"}, std::vector<std::string>{"deescalate", "@", "-m", "x"},
                       std::vector<std::string>{"wait", "@", "--on", "customer"}, std::vector<std::string>{"resume", "@"},
                       std::vector<std::string>{"resolve", "@", "-m", "x"}, std::vector<std::string>{"close", "@"},
                       std::vector<std::string>{"reopen", "@", "-m", "x"}, std::vector<std::string>{"check", "@", "1"},
                       std::vector<std::string>{"log", "@"}, std::vector<std::string>{"show", "@"});
  args[1] = "zzzz";
  check_refused(d, args, 3, "no ticket matches 'zzzz'\nhint: list tickets with `desk list --all`\n");
  // A second ticket sharing the first four characters makes the prefix ambiguous.
  std::string twin = d.id.substr(0, 4) + (d.id[4] == 'z' ? "yyyyyy" : "zzzzzz");
  std::string text = d.h.read(path_of(d.id));
  text.replace(text.find(d.id), d.id.size(), twin);
  d.h.write(path_of(twin), text);
  d.h.sh("git add tickets && git -c user.name=H -c user.email=h@example.com commit -q -m twin");
  args[1] = d.id.substr(0, 4);
  check_refused(d, args, 1, "ticket '" + d.id.substr(0, 4) + "' is ambiguous: ");
}

TEST_CASE("a command refuses to overwrite a ticket file the user changed, and keeps the change", "[cli][transitions]") {
  OneTicket d;
  std::string mine = d.h.read(path_of(d.id)) + "# my note\n";
  d.h.write(path_of(d.id), mine);
  int n = commits(d.h);
  auto r = d.h.run({"comment", d.id, "-m", "hello"});
  CHECK(r.code == 1);
  CHECK(r.err == "desk: error: " + path_of(d.id) + " has uncommitted changes; desk will not overwrite them\nhint: commit them (`git commit " +
                     path_of(d.id) + "`), discard them (`git checkout HEAD -- " + path_of(d.id) + "`), or change the ticket with `desk edit`\n");
  CHECK(commits(d.h) == n);
  CHECK(d.h.read(path_of(d.id)) == mine);
  CHECK(d.h.sh("git status --porcelain") == " M " + path_of(d.id) + "\n");
}

TEST_CASE("commands leave the user's unrelated staged and unstaged work alone", "[cli][transitions]") {
  OneTicket d;
  d.h.write("notes.txt", "staged\n");
  d.h.sh("git add notes.txt");
  d.h.write(".desk/config.toml", d.h.read(".desk/config.toml") + "# local tweak\n");
  d.ok({"comment", d.id, "-m", "hello"});
  d.ok({"escalate", d.id, "-m", "up"});
  CHECK(d.h.sh("git status --porcelain") == " M .desk/config.toml\nA  notes.txt\n");
  CHECK(d.h.sh("git show --name-only --format= HEAD") == path_of(d.id) + "\n");
}
