// The knowledge base and ticket links in-process: kb new/list/show/search/edit/link, link,
// close --duplicate-of, resolve --kb, suggestions in new and show, and every refusal.
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

struct Kb {
  Harness h;
  Kb() { h.init(); }
  int commits() { return std::stoi(h.sh("git rev-list --count HEAD")); }
  Result ok(const std::vector<std::string>& args) {
    auto r = h.run(args);
    INFO("desk " << args.at(0) << ": " << r.err);
    REQUIRE(r.code == 0);
    return r;
  }
  // One commit since `before`, touching exactly `files` (sorted), with the action trailer; clean tree.
  void landed(int before, const std::string& files, const std::string& action) {
    CHECK(commits() == before + 1);
    CHECK(h.sh("git show --name-only --format= HEAD") == files);
    CHECK(h.sh("git log -1 --format='%(trailers:key=Desk-Action,valueonly)'") == action + "\n\n");
    CHECK(h.sh("git status --porcelain") == "");
  }
  // A command that must fail with the code and message, changing nothing.
  void refused(const std::vector<std::string>& args, int code, const std::string& message) {
    CAPTURE(args);
    int before = commits();
    std::string head = h.sh("git rev-parse HEAD");
    auto r = h.run(args);
    CHECK(r.code == code);
    CHECK(r.out.empty());
    CHECK_THAT(r.err, StartsWith("desk: error: " + message));
    CHECK(commits() == before);
    CHECK(h.sh("git rev-parse HEAD") == head);
    CHECK(h.sh("git status --porcelain") == "");
  }
  // The fixture knowledge base: three published articles and a draft.
  void fixture() {
    ok({"kb", "new", "Reset the VPN client", "--tag", "vpn", "--tier", "L1", "-m", "Quit the client and install firmware 4.2."});
    ok({"kb", "new", "Reset a forgotten password", "--tag", "account", "-m", "Use the self-service portal: forgot password."});
    ok({"kb", "new", "Clear a printer jam", "--tag", "printer", "-m", "Open tray 2 and remove the paper."});
    ok({"kb", "new", "Outlook is slow on VPN", "--draft", "-m", "Switch the VPN to split tunnel."});
  }
};

}  // namespace

TEST_CASE("kb new writes one article in one commit and prints its slug", "[cli][kb]") {
  Kb k;
  int n = k.commits();
  auto r = k.ok({"kb", "new", "Reset the VPN client", "--tag", "vpn", "--tier", "L1", "-m", "Quit the client.", "-m", "Start it."});
  CHECK(r.out == "reset-the-vpn-client\n");
  CHECK_THAT(r.err, Contains("] kb new reset-the-vpn-client: Reset the VPN client\n"));
  k.landed(n, "kb/reset-the-vpn-client.md\n", "kb-new");
  CHECK(k.h.sh("git log -1 --format='%(trailers:key=Desk-Article,valueonly)'") == "reset-the-vpn-client\n\n");
  CHECK(k.h.read("kb/reset-the-vpn-client.md") ==
        "+++\ntitle = \"Reset the VPN client\"\ntags = [\"vpn\"]\ntiers = [\"L1\"]\ntickets = []\nstatus = \"published\"\n"
        "created = 2026-11-23T09:00:00Z\nupdated = 2026-11-23T09:00:00Z\nauthor = \"Alice Agent <alice@example.com>\"\n+++\n\n"
        "Quit the client.\n\nStart it.\n");
}

TEST_CASE("kb new with --slug, --draft, -F - and --json", "[cli][kb]") {
  Kb k;
  k.h.stdin_text = "From stdin.\n";
  auto r = k.ok({"kb", "new", "Printer", "--slug", "printer-jam", "--draft", "-F", "-", "--json"});
  CHECK(k.h.json(r.out, "[d['desk_format'], d['action'], d['article']['slug'], d['article']['status'], d['article']['body'], d['commit'] == None]") ==
        R"([2, "kb-new", "printer-jam", "draft", "From stdin.", false])");
  CHECK(k.h.read("kb/printer-jam.md").find("status = \"draft\"") != std::string::npos);
}

TEST_CASE("kb new refusals", "[cli][kb]") {
  Kb k;
  k.ok({"kb", "new", "Reset the VPN client", "-m", "x"});
  k.refused({"kb", "new", "Reset the VPN client", "-m", "y"}, 1,
            "an article 'reset-the-vpn-client' already exists\nhint: edit it with `desk kb edit reset-the-vpn-client`, or choose another slug with --slug\n");
  k.refused({"kb", "new", "Other", "--slug", "../../etc/passwd", "-m", "x"}, 1, "invalid article slug '../../etc/passwd'");
  k.refused({"kb", "new", "Other", "--slug", "Bad_Slug", "-m", "x"}, 1, "invalid article slug 'Bad_Slug'");
  k.refused({"kb", "new", "日本語", "-m", "x"}, 1, "cannot make a slug from the title '日本語'\nhint: choose one with --slug");
  k.refused({"kb", "new", "No text"}, 2, "the article text is required");
  k.refused({"kb", "new", "Tier", "--tier", "L9", "-m", "x"}, 2, "unknown tier 'L9'");
  k.refused({"kb", "new", "Both", "-m", "x", "-F", "f"}, 2, "-m and -F cannot be used together");
  k.refused({"kb", "new", "", "-m", "x"}, 1, "the title is empty");
  k.refused({"kb"}, 2, "A subcommand is required");
  CHECK(!std::filesystem::exists(k.h.root() + "/etc"));
}

TEST_CASE("kb list shows published articles, --drafts, --all, --tag, --tier, --json", "[cli][kb]") {
  Kb k;
  k.fixture();
  auto r = k.ok({"kb", "list"});
  CHECK(r.out ==
        "SLUG                        STATUS     TAGS     TITLE\n"
        "clear-a-printer-jam         published  printer  Clear a printer jam\n"
        "reset-a-forgotten-password  published  account  Reset a forgotten password\n"
        "reset-the-vpn-client        published  vpn      Reset the VPN client\n");
  CHECK(k.h.json(k.ok({"kb", "list", "--drafts", "--json"}).out, "[a['slug'] for a in d['articles']]") == R"(["outlook-is-slow-on-vpn"])");
  CHECK(k.h.json(k.ok({"kb", "list", "--all", "--json"}).out, "len(d['articles'])") == "4");
  CHECK(k.h.json(k.ok({"kb", "list", "--tag", "vpn", "--json"}).out, "[a['slug'] for a in d['articles']]") == R"(["reset-the-vpn-client"])");
  CHECK(k.h.json(k.ok({"kb", "list", "--tier", "L1", "--json"}).out, "[a['slug'] for a in d['articles']]") == R"(["reset-the-vpn-client"])");
  CHECK(k.h.json(k.ok({"kb", "list", "--json"}).out, "'body' in d['articles'][0]") == "false");
  auto none = k.ok({"kb", "list", "--tag", "nothing"});
  CHECK(none.out.empty());
  CHECK(none.err == "no articles match\n");
  CHECK(k.h.run({"kb", "list", "--all", "--drafts"}).code == 2);
}

TEST_CASE("kb search ranks by relevance, shows the score, leaves drafts out unless --all", "[cli][kb]") {
  Kb k;
  k.fixture();
  auto r = k.ok({"kb", "search", "forgot", "password"});
  CHECK_THAT(r.out, StartsWith("SCORE  SLUG                        TITLE\n"));
  std::string first_row = r.out.substr(r.out.find('\n') + 1);
  first_row = first_row.substr(0, first_row.find('\n'));
  CHECK_THAT(first_row, Contains("reset-a-forgotten-password  Reset a forgotten password"));
  auto j = k.ok({"kb", "search", "vpn", "--json"});
  CHECK(k.h.json(j.out, "[x['slug'] for x in d['results']]") == R"(["reset-the-vpn-client"])");
  CHECK(k.h.json(j.out, "d['results'][0]['score'] > 0") == "true");
  j = k.ok({"kb", "search", "vpn", "--all", "--json"});
  CHECK(k.h.json(j.out, "sorted(x['slug'] for x in d['results'])") == R"(["outlook-is-slow-on-vpn", "reset-the-vpn-client"])");
  j = k.ok({"kb", "search", "vpn", "--all", "--limit", "1", "--json"});
  CHECK(k.h.json(j.out, "len(d['results'])") == "1");
  auto none = k.ok({"kb", "search", "kubernetes"});
  CHECK(none.out.empty());
  CHECK(none.err == "no articles match 'kubernetes'\n");
  k.refused({"kb", "search", "the", "of"}, 2, "the search 'the of' has no words to look for");
  k.refused({"kb", "search"}, 2, "TEXT is required");
}

TEST_CASE("kb show prints the article and the tickets linking to it", "[cli][kb]") {
  Kb k;
  k.fixture();
  std::string id = k.h.new_ticket("VPN drops", {"--no-suggest"});
  k.ok({"link", id, "kb/reset-the-vpn-client"});
  auto r = k.ok({"kb", "show", "reset-the-vpn-client"});
  CHECK_THAT(r.out, StartsWith("kb/reset-the-vpn-client  Reset the VPN client\nstatus     published\ntags       vpn\ntiers      L1\n"));
  CHECK_THAT(r.out, Contains("\n  Quit the client and install firmware 4.2.\n"));
  CHECK_THAT(r.out, Contains("Linked tickets\n  " + id + "  VPN drops [new]\n"));
  auto j = k.ok({"kb", "show", "reset-the-vpn-client", "--json"});
  CHECK(k.h.json(j.out, "[d['slug'], d['path'], d['body'], [t['id'] for t in d['linked_tickets']]]") ==
        R"(["reset-the-vpn-client", "kb/reset-the-vpn-client.md", "Quit the client and install firmware 4.2.", [")" + id + R"("]])");
  k.refused({"kb", "show", "nothing-here"}, 3, "no article 'nothing-here'\nhint: list the articles with `desk kb list --all`\n");
  k.refused({"kb", "show", "../x"}, 1, "invalid article slug '../x'");
}

TEST_CASE("kb edit without an editor changes fields and the body, one commit each", "[cli][kb]") {
  Kb k;
  k.fixture();
  int n = k.commits();
  auto r = k.ok({"kb", "edit", "outlook-is-slow-on-vpn", "--publish", "--tag", "email", "--tier", "L1", "--title", "Outlook slow on VPN"});
  CHECK_THAT(r.err, Contains("kb edit outlook-is-slow-on-vpn (title, tags, tiers, published): Outlook slow on VPN"));
  k.landed(n, "kb/outlook-is-slow-on-vpn.md\n", "kb-edit");
  std::string text = k.h.read("kb/outlook-is-slow-on-vpn.md");
  CHECK_THAT(text, Contains("title = \"Outlook slow on VPN\"\ntags = [\"email\"]\ntiers = [\"L1\"]\ntickets = []\nstatus = \"published\"\n"));
  n = k.commits();
  k.ok({"kb", "edit", "outlook-is-slow-on-vpn", "-m", "New body.", "--untag", "email"});
  k.landed(n, "kb/outlook-is-slow-on-vpn.md\n", "kb-edit");
  CHECK_THAT(k.h.read("kb/outlook-is-slow-on-vpn.md"), Contains("tags = []\n"));
  CHECK_THAT(k.h.read("kb/outlook-is-slow-on-vpn.md"), Contains("+++\n\nNew body.\n"));
  k.refused({"kb", "edit", "outlook-is-slow-on-vpn", "--publish"}, 2, "the edit would change nothing in article 'outlook-is-slow-on-vpn'");
  k.refused({"kb", "edit", "outlook-is-slow-on-vpn"}, 2, "no editor");
  k.refused({"kb", "edit", "missing"}, 3, "no article 'missing'");
  k.refused({"kb", "edit", "outlook-is-slow-on-vpn", "--tier", "L7"}, 2, "unknown tier 'L7'");
}

TEST_CASE("kb edit in the editor: validated before commit, the draft kept when invalid", "[cli][kb]") {
  Kb k;
  k.fixture();
  k.h.editor = "vi";
  std::string good;
  k.h.edit = [&](const std::string& file) {
    std::ofstream(file, std::ios::trunc) << good;
    return 0;
  };
  good = "+++\ntitle = \"Clear a printer jam\"\ntags = 5\n+++\nbody\n";
  int n = k.commits();
  auto r = k.h.run({"kb", "edit", "clear-a-printer-jam"});
  CHECK(r.code == 1);
  CHECK_THAT(r.err, Contains("the edit of kb/clear-a-printer-jam is not valid: "));
  CHECK_THAT(r.err, Contains(":3:8: tags must be an array of strings"));
  CHECK_THAT(r.err, Contains("your edit is kept in"));
  CHECK(k.commits() == n);
  good = "+++\ntitle = \"Clear a printer jam\"\ntags = [\"printer\"]\ntiers = []\ntickets = []\nstatus = \"published\"\n"
         "created = 2026-11-23T09:00:00Z\nupdated = 2026-11-23T09:00:00Z\nauthor = \"Alice Agent <alice@example.com>\"\n"
         "reviewed = true\n+++\n\nOpen tray 2, remove the paper, close it.\n";
  r = k.ok({"kb", "edit", "clear-a-printer-jam"});
  CHECK_THAT(r.err, Contains("kb edit clear-a-printer-jam (other, body)"));
  k.landed(n, "kb/clear-a-printer-jam.md\n", "kb-edit");
  CHECK_THAT(k.h.read("kb/clear-a-printer-jam.md"), Contains("reviewed = true\n+++\n\nOpen tray 2, remove the paper, close it.\n"));
  // Unchanged: no commit.
  k.h.edit = [](const std::string&) { return 0; };
  n = k.commits();
  r = k.ok({"kb", "edit", "clear-a-printer-jam"});
  CHECK(r.err == "no changes to kb/clear-a-printer-jam\n");
  CHECK(k.commits() == n);
}

TEST_CASE("link and unlink tickets to articles, by desk link and desk kb link", "[cli][link]") {
  Kb k;
  k.fixture();
  std::string id = k.h.new_ticket("VPN drops", {"--no-suggest"});
  int n = k.commits();
  auto r = k.ok({"link", id.substr(0, 5), "kb/reset-the-vpn-client", "kb/clear-a-printer-jam"});
  CHECK_THAT(r.err, Contains("link " + id.substr(0, 6) + " kb/reset-the-vpn-client kb/clear-a-printer-jam: VPN drops"));
  k.landed(n, path_of(id) + "\n", "link");
  CHECK(k.h.sh("git log -1 --format='%(trailers:key=Desk-Ticket,valueonly)'") == id + "\n\n");
  CHECK_THAT(k.h.read(path_of(id)), Contains("kb = [\"reset-the-vpn-client\", \"clear-a-printer-jam\"]\n"));
  n = k.commits();
  auto j = k.ok({"kb", "link", "clear-a-printer-jam", id, "--remove", "--json"});
  CHECK(k.h.json(j.out, "[d['action'], d['ticket']['kb'], d['ticket']['history'][-1]['to']]") ==
        R"(["unlink", ["reset-the-vpn-client"], "kb/clear-a-printer-jam"])");
  k.landed(n, path_of(id) + "\n", "unlink");
  auto show = k.ok({"show", id, "--no-suggest"});
  CHECK_THAT(show.out, Contains("kb         reset-the-vpn-client\n"));
  CHECK_THAT(show.out, Contains("linked to kb/reset-the-vpn-client"));
  CHECK_THAT(show.out, Contains("unlinked from kb/clear-a-printer-jam"));

  k.refused({"link", id, "kb/no-such-article"}, 3, "no article 'no-such-article'");
  k.refused({"link", id, "kb/reset-the-vpn-client"}, 1, "ticket " + id.substr(0, 6) + " is already linked to kb/reset-the-vpn-client");
  k.refused({"link", id, "kb/clear-a-printer-jam", "--remove"}, 1, "ticket " + id.substr(0, 6) + " is not linked to kb/clear-a-printer-jam");
  k.refused({"link", id, "kb/../../x"}, 1, "invalid article slug '../../x'");
  k.refused({"link", id, "reset-the-vpn-client"}, 2, "'reset-the-vpn-client' is not an article: name articles as kb/SLUG");
  k.refused({"link", id}, 2, "nothing to link");
  k.refused({"link", "zzzz", "kb/reset-the-vpn-client"}, 3, "no ticket matches 'zzzz'");
  k.refused({"kb", "link", "missing", id}, 3, "no article 'missing'");
}

TEST_CASE("duplicates: link --duplicate-of, --remove, refusals", "[cli][link]") {
  Kb k;
  std::string a = k.h.new_ticket("VPN drops", {"--no-suggest"});
  std::string b = k.h.new_ticket("VPN drops again", {"--no-suggest"});
  int n = k.commits();
  auto r = k.ok({"link", b, "--duplicate-of", a.substr(0, 6)});
  CHECK_THAT(r.err, Contains("link " + b.substr(0, 6) + " duplicate of " + a.substr(0, 6)));
  k.landed(n, path_of(b) + "\n", "link");
  CHECK_THAT(k.h.read(path_of(b)), Contains("duplicate_of = \"" + a + "\"\n"));
  k.refused({"link", a, "--duplicate-of", b}, 1, "ticket " + b.substr(0, 6) + " is already (through duplicates) a duplicate of " + a.substr(0, 6));
  k.refused({"link", a, "--duplicate-of", a}, 1, "ticket " + a.substr(0, 6) + " cannot be a duplicate of itself");
  k.refused({"link", b, "--duplicate-of", a}, 1, "ticket " + b.substr(0, 6) + " is already a duplicate of " + a.substr(0, 6));
  k.refused({"link", b, "--duplicate-of", "zzzz"}, 3, "no ticket matches 'zzzz'");
  k.refused({"link", b, "kb/x", "--duplicate-of", a}, 2, "make one kind of link at a time");
  n = k.commits();
  k.ok({"link", b, "--duplicate-of", a, "--remove"});
  k.landed(n, path_of(b) + "\n", "unlink");
  CHECK(k.h.read(path_of(b)).find("duplicate_of") == std::string::npos);
  k.refused({"link", b, "--duplicate-of", a, "--remove"}, 1, "ticket " + b.substr(0, 6) + " is not marked as a duplicate");
}

TEST_CASE("close --duplicate-of closes an open ticket as a duplicate in one commit", "[cli][close]") {
  Kb k;
  std::string a = k.h.new_ticket("VPN drops", {"--no-suggest"});
  std::string b = k.h.new_ticket("VPN drops again", {"--no-suggest"});
  int n = k.commits();
  auto r = k.ok({"close", b, "--duplicate-of", a, "--json"});
  CHECK_THAT(r.err, Contains("close " + b.substr(0, 6) + " as duplicate of " + a.substr(0, 6) + ": VPN drops again"));
  k.landed(n, path_of(b) + "\n", "close");
  CHECK(k.h.json(r.out, "[d['ticket']['status'], d['ticket']['duplicate_of'], d['ticket']['resolution'], [e['action'] for e in d['ticket']['history']]]") ==
        R"(["closed", ")" + a + R"(", "duplicate of )" + a + R"(", ["create", "link", "close"]])");
  k.refused({"close", b, "--duplicate-of", a}, 1, "ticket " + b.substr(0, 6) + " is already closed");
  k.refused({"close", a, "--duplicate-of", a}, 1, "ticket " + a.substr(0, 6) + " cannot be a duplicate of itself");
  k.refused({"close", a, "--duplicate-of", b, "--csat", "4"}, 2, "--csat and --duplicate-of cannot be used together");
  // The usual close still works and still refuses an open ticket.
  k.refused({"close", a}, 1, "cannot close ticket " + a.substr(0, 6) + ": it is new, not resolved");
}

TEST_CASE("resolve --kb resolves and drafts an article in one commit touching both files", "[cli][resolve]") {
  Kb k;
  std::string id = k.h.new_ticket("VPN drops every hour", {"-m", "Since Monday.", "--tag", "vpn", "--no-suggest"});
  k.ok({"escalate", id, "-m", "Reinstalled the client; still drops."});
  int n = k.commits();
  auto r = k.ok({"resolve", id, "--kb", "-m", "Firmware 4.2 installed.", "--json"});
  CHECK_THAT(r.err, Contains("resolve " + id.substr(0, 6) + " + kb draft vpn-drops-every-hour: VPN drops every hour"));
  std::string files = "kb/vpn-drops-every-hour.md\n" + path_of(id) + "\n";
  k.landed(n, files, "resolve");
  CHECK(k.h.sh("git log -1 --format='%(trailers:key=Desk-Article,valueonly)'") == "vpn-drops-every-hour\n\n");
  CHECK(k.h.json(r.out, "[d['ticket']['status'], d['ticket']['kb'], d['article']['status'], d['article']['tickets'], d['article']['tiers'], d['article']['tags']]") ==
        R"(["resolved", ["vpn-drops-every-hour"], "draft", [")" + id + R"("], ["L1"], ["vpn"]])");
  CHECK(k.h.json(r.out, "d['article']['body']") ==
        "## Symptom\n\nSince Monday.\n\n## What was tried\n\n- Escalated L1 -> L2: Reinstalled the client; still drops.\n\n"
        "## Resolution\n\nFirmware 4.2 installed.");
  // The draft is not listed, but --drafts shows it.
  CHECK(k.ok({"kb", "list"}).out.empty());
  CHECK_THAT(k.ok({"kb", "list", "--drafts"}).out, Contains("vpn-drops-every-hour"));
}

TEST_CASE("resolve --kb refusals change nothing", "[cli][resolve]") {
  Kb k;
  std::string id = k.h.new_ticket("VPN drops", {"--no-suggest"});
  k.ok({"kb", "new", "VPN drops", "-m", "x"});
  k.refused({"resolve", id, "--kb", "-m", "fixed"}, 1, "an article 'vpn-drops' already exists");
  k.refused({"resolve", id, "--kb", "--slug", "../x", "-m", "fixed"}, 1, "invalid article slug '../x'");
  k.refused({"resolve", id, "--slug", "x", "-m", "fixed"}, 2, "--slug needs --kb");
  k.refused({"resolve", id, "--kb", "--slug", "vpn-fix"}, 2, "a resolution is required");
  k.ok({"resolve", id, "--kb", "--slug", "vpn-fix", "-m", "fixed"});
  k.refused({"resolve", id, "--kb", "--slug", "vpn-fix-2", "-m", "again"}, 1, "cannot resolve ticket");
}

TEST_CASE("resolve --kb on a terminal opens the draft, an emptied draft aborts", "[cli][resolve]") {
  Kb k;
  std::string id = k.h.new_ticket("Printer jam", {"--no-suggest"});
  k.h.terminal = true;
  k.h.editor = "vi";
  std::string seen;
  k.h.edit = [&](const std::string& file) {
    std::ifstream in(file);
    std::ostringstream ss;
    ss << in.rdbuf();
    seen = ss.str();
    std::ofstream(file, std::ios::trunc) << "";
    return 0;
  };
  int n = k.commits();
  auto r = k.h.run({"resolve", id, "--kb", "-m", "Cleared tray 2."});
  CHECK(r.code == 2);
  CHECK_THAT(r.err, Contains("the article draft is empty: nothing was changed"));
  CHECK_THAT(seen, Contains("status = \"draft\""));
  CHECK_THAT(seen, Contains("## Resolution\n\nCleared tray 2.\n"));
  CHECK(k.commits() == n);
  k.h.edit = [&](const std::string& file) {
    std::ofstream(file, std::ios::trunc) << "+++\ntitle = \"Clear a printer jam\"\ntags = [\"printer\"]\n+++\n\n# Steps\n\nOpen tray 2.\n";
    return 0;
  };
  r = k.h.run({"resolve", id, "--kb", "-m", "Cleared tray 2."});
  REQUIRE(r.code == 0);
  k.landed(n, "kb/printer-jam.md\n" + path_of(id) + "\n", "resolve");
  CHECK_THAT(k.h.read("kb/printer-jam.md"), Contains("title = \"Clear a printer jam\"\ntags = [\"printer\"]\n"));
  CHECK_THAT(k.h.read("kb/printer-jam.md"), Contains("\n# Steps\n\nOpen tray 2.\n"));  // headings are not comments
}

TEST_CASE("new suggests related articles and open duplicates on stderr, stdout stays the id", "[cli][new]") {
  Kb k;
  k.fixture();
  k.ok({"kb", "new", "Unlock an account", "--tag", "account", "-m", "After five wrong passwords the account locks."});
  std::string first = k.h.new_ticket("Forgotten password for the portal", {"--no-suggest"});
  // Unrelated work, so that "forgotten" and "password" are rare words, as on a real desk (BM25
  // gives words in most of the documents no weight).
  for (const char* title : {"Monitor flickers", "Printer jams on tray 2", "VPN drops hourly", "Laptop fan is loud", "Outlook crashes on start",
                            "Badge reader at the door fails"})
    k.h.new_ticket(title, {"--no-suggest"});
  // Off a terminal (as here) suggestions come only when asked for: they read every open ticket.
  CHECK(k.ok({"new", "Forgotten password", "-m", "I forgot it"}).err.find("related") == std::string::npos);
  auto r = k.ok({"new", "Forgotten password", "-m", "I forgot my password", "--suggest"});
  std::string id = chomp(r.out);
  CHECK(id.size() == 10);
  CHECK_THAT(r.err, Contains("related articles (desk kb show SLUG; desk link ID kb/SLUG):\n  kb/reset-a-forgotten-password  Reset a forgotten password  ("));
  // Both earlier tickets about it are candidates; the one with the very same title ranks first.
  CHECK_THAT(r.err, Contains("possible duplicates (desk close ID --duplicate-of OTHER):\n  "));
  CHECK_THAT(r.err, Contains("\n  " + first + "  Forgotten password for the portal [new]  ("));
  CHECK(r.err.find("printer") == std::string::npos);
  CHECK(r.err.find("Monitor") == std::string::npos);
  auto j = k.ok({"new", "Forgotten password again", "--json", "--suggest"});
  CHECK(k.h.json(j.out, "[d['suggestions']['articles'][0]['slug'], '" + first + "' in [t['id'] for t in d['suggestions']['tickets']]]") ==
        R"(["reset-a-forgotten-password", true])");
  auto q = k.ok({"new", "Forgotten password once more", "-q"});
  CHECK(q.err.empty());
  auto ns = k.ok({"new", "Forgotten password yet again", "--no-suggest"});
  CHECK(ns.err.find("related") == std::string::npos);
  auto nj = k.ok({"new", "Forgotten password the last time", "--no-suggest", "--json"});
  CHECK(k.h.json(nj.out, "'suggestions' in d") == "false");
}

TEST_CASE("new suggests the article for what the customer wrote, in other words", "[cli][new]") {
  Kb k;
  k.fixture();
  // "forgot" is not "forgotten" to a stemmer; the article must still come first.
  auto r = k.ok({"new", "I forgot my password", "--suggest"});
  CHECK_THAT(r.err, Contains("related articles (desk kb show SLUG; desk link ID kb/SLUG):\n  kb/reset-a-forgotten-password  "));
  CHECK(r.err.find("printer") == std::string::npos);
}

TEST_CASE("suggest and no-suggest together are a usage error that files nothing", "[cli][new]") {
  Kb k;
  k.fixture();
  k.refused({"new", "Printer jam", "--suggest", "--no-suggest"}, 2, "--suggest excludes --no-suggest");
  std::string id = k.h.new_ticket("Printer jam", {"--no-suggest"});
  k.refused({"show", id, "--no-suggest", "--suggest"}, 2, "--suggest excludes --no-suggest");
}

TEST_CASE("show suggests for active tickets only, not what is already linked", "[cli][show]") {
  Kb k;
  k.fixture();
  std::string id = k.h.new_ticket("Printer jam in tray 2", {"--no-suggest"});
  CHECK(k.ok({"show", id}).out.find("Suggestions") == std::string::npos);  // off a terminal: not asked
  auto r = k.ok({"show", id, "--suggest"});
  CHECK_THAT(r.out, Contains("\nSuggestions\n  related articles (desk kb show SLUG; desk link ID kb/SLUG):\n    kb/clear-a-printer-jam  Clear a printer jam  ("));
  auto j = k.ok({"show", id, "--json", "--suggest"});
  CHECK(k.h.json(j.out, "[a['slug'] for a in d['suggestions']['articles']]") == R"(["clear-a-printer-jam"])");
  CHECK(k.h.json(j.out, "d['suggestions']['tickets']") == "[]");
  k.ok({"link", id, "kb/clear-a-printer-jam"});
  CHECK(k.ok({"show", id, "--suggest"}).out.find("Suggestions") == std::string::npos);
  CHECK(k.h.json(k.ok({"show", id, "--json", "--suggest"}).out, "d['suggestions']") == R"({"articles": [], "tickets": []})");
  CHECK(k.h.json(k.ok({"show", id, "--json", "--no-suggest"}).out, "'suggestions' in d") == "false");
  CHECK(k.h.json(k.ok({"show", id, "--json"}).out, "'suggestions' in d") == "false");
  k.ok({"resolve", id, "-m", "Cleared."});
  CHECK(k.h.json(k.ok({"show", id, "--json", "--suggest"}).out, "'suggestions' in d") == "false");
}

TEST_CASE("stats and fsck know about kb links and duplicates", "[cli][stats]") {
  Kb k;
  k.fixture();
  std::string a = k.h.new_ticket("VPN drops", {"--no-suggest"});
  std::string b = k.h.new_ticket("Printer", {"--no-suggest"});
  std::string c = k.h.new_ticket("Printer again", {"--no-suggest"});
  k.ok({"link", a, "kb/reset-the-vpn-client"});
  k.ok({"resolve", a, "-m", "fixed"});
  k.ok({"resolve", b, "-m", "fixed"});
  k.ok({"close", c, "--duplicate-of", b});
  auto st = k.ok({"stats", "--json", "--since", "2026-11-23", "--until", "2026-11-23T23:59:59Z"});
  CHECK(k.h.json(st.out, "[d['total']['kb_link'], d['total']['duplicates']]") ==
        R"([{"count": 1, "resolved": 2, "rate": 0.5}, 1])");
  auto text = k.ok({"stats", "--since", "2026-11-23", "--until", "2026-11-23T23:59:59Z"});
  CHECK_THAT(text.out, Contains("  linked to kb"));
  CHECK_THAT(text.out, Contains("  duplicates"));
  CHECK(k.ok({"fsck"}).out.empty());
  // A dangling link, a bad article and a badly named file.
  k.h.write(path_of(b), k.h.read(path_of(b)) + "");
  std::string tb = k.h.read(path_of(b));
  tb.replace(tb.find("tags = []\n"), 10, "tags = []\nkb = [\"gone\"]\n");
  k.h.write(path_of(b), tb);
  k.h.write("kb/broken.md", "+++\ntitle = [\n+++\n");
  k.h.write("kb/Bad_Name.md", "+++\ntitle = \"x\"\n+++\n");
  k.h.write("kb/orphan.md", "+++\ntitle = \"\"\ntickets = [\"0000000000\", \"../x\"]\n+++\n");
  k.h.sh("git add -A && git -c user.name=Hand -c user.email=hand@example.com commit -qm hand");
  auto f = k.h.run({"fsck"});
  CHECK(f.code == 5);
  CHECK_THAT(f.out + f.err, Contains(path_of(b) + ": kb link to a missing article 'gone'"));
  CHECK_THAT(f.out + f.err, Contains("kb/broken.md:2:"));
  CHECK_THAT(f.out + f.err, Contains("kb/Bad_Name.md: not an article file name"));
  CHECK_THAT(f.out + f.err, Contains("kb/orphan.md: the title is empty"));
  CHECK_THAT(f.out + f.err, Contains("kb/orphan.md: tickets names a missing ticket '0000000000'"));
  CHECK_THAT(f.out + f.err, Contains("kb/orphan.md: tickets lists '../x', which is not a ticket id"));
}

TEST_CASE("__complete slugs offers the articles with their titles", "[cli][kb]") {
  Kb k;
  k.fixture();
  auto r = k.ok({"__complete", "slugs", "re"});
  CHECK(r.out == "reset-a-forgotten-password\tReset a forgotten password\nreset-the-vpn-client\tReset the VPN client\n");
}

TEST_CASE("kb new on a terminal opens the editor, '#' lines are Markdown headings, kept", "[cli][kb]") {
  Kb k;
  k.h.terminal = true;
  k.h.editor = "vi";
  std::string seen;
  k.h.edit = [&](const std::string& file) {
    std::ifstream in(file);
    std::ostringstream ss;
    ss << in.rdbuf();
    seen = ss.str();
    std::ofstream(file, std::ios::app) << "## Fix\n\nRestart it.\n";
    return 0;
  };
  auto r = k.ok({"kb", "new", "VPN reset"});
  CHECK(r.out == "vpn-reset\n");
  CHECK_THAT(seen, StartsWith("<!-- Write the article in Markdown"));
  CHECK_THAT(k.h.read("kb/vpn-reset.md"), Contains("+++\n\n# VPN reset\n\n## Fix\n\nRestart it.\n"));
  CHECK(k.h.read("kb/vpn-reset.md").find("<!--") == std::string::npos);
  // Left as it was (only the heading): no article, nothing committed.
  k.h.edit = [](const std::string&) { return 0; };
  int n = k.commits();
  auto e = k.h.run({"kb", "new", "Other"});
  CHECK(e.code == 2);
  CHECK_THAT(e.err, StartsWith("desk: error: the article text is required"));
  CHECK(k.commits() == n);
}
