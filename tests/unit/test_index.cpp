// The derived index (core/index) in real repositories: full-text ranking, stemming, incremental
// updates from HEAD, rebuilds, and the suggestions built on it.
#include <algorithm>

#include "catch.hpp"
#include "core/model/config.hpp"
#include "core/util/error.hpp"
#include "core/model/id.hpp"
#include "core/store/index.hpp"
#include "core/model/kb.hpp"
#include "core/store/suggest.hpp"
#include "core/model/workflow.hpp"
#include "sandbox.hpp"

using namespace desk;
using namespace desk::testing;

namespace {

const Config& config() {
  static Config c = parse_config(default_config_text(), "config.toml");
  return c;
}

Ticket make(const std::string& title, const std::string& description = "", uint64_t seed = 1) {
  NewTicketArgs args;
  args.title = title;
  args.description = description;
  args.requester = "Lee <lee@example.com>";
  Context ctx{t0, "Ada Agent <ada@example.com>", seeded_random(seed)};
  return create_ticket(config(), ctx, args, nullptr, [](const std::string&) { return false; }).ticket;
}

std::string article(const std::string& title, const std::vector<std::string>& tags, const std::string& body,
                    const std::string& status = "published") {
  Article a;
  a.title = title;
  a.tags = tags;
  a.body = body;
  a.status = status;
  return emit_article(a);
}

// Commits files (path -> content, nullopt deletes) in one commit.
void commit(const Desk& d, const std::vector<FileWrite>& files) {
  d.commit(alice, alice, t0, [&](const Snapshot&) {
    Mutation m;
    m.files = files;
    m.subject = "test";
    return m;
  });
}

FileWrite ticket_file(const Ticket& t) { return {ticket_path(t.id), emit_ticket(t)}; }

std::vector<std::string> keys(const std::vector<TextHit>& hits) {
  std::vector<std::string> out;
  for (const auto& h : hits) out.push_back(h.key);
  return out;
}

SearchScope articles_only(bool drafts = false) {
  SearchScope s;
  s.tickets = false;
  s.drafts = drafts;
  return s;
}

// The five articles of an L0 knowledge base.
void fixture_kb(const Desk& d) {
  commit(d, {
                {"kb/vpn-reset.md", article("Reset the VPN client", {"vpn"}, "Quit the client, install firmware 4.2, sign in again.")},
                {"kb/password-reset.md", article("Reset a forgotten password", {"account"}, "Open the self-service portal and choose forgot password.")},
                {"kb/printer-jam.md", article("Clear a printer jam", {"printer", "hardware"}, "Open tray 2, remove the paper, close the tray.")},
                {"kb/outlook-vpn.md", article("Outlook is slow", {"email"}, "Outlook is slow when the VPN is on: switch the VPN to split tunnel mode.")},
                {"kb/account-unlock.md", article("Unlock an account", {"account"}, "After five wrong passwords the account locks for 30 minutes.")},
            });
}

std::string emitted(const std::vector<Ticket>& ts) {
  std::string out;
  for (const auto& t : ts) out += emit_ticket(t);
  return out;
}

}  // namespace

TEST_CASE("index search: the exact answer ranks first, unrelated words find nothing", "[index]") {
  Sandbox sb;
  Desk d = sb.init();
  fixture_kb(d);
  auto index = Index::open(d.index_path(), d.head(), {}, true);
  auto first = [&](const char* q) { return keys(index->search(q, articles_only())).front(); };
  CHECK(first("forgotten password") == "password-reset");
  CHECK(first("printer paper jam") == "printer-jam");
  CHECK(first("reset vpn client") == "vpn-reset");
  CHECK(first("account locked unlock") == "account-unlock");
  CHECK(index->search("kubernetes", articles_only()).empty());
  CHECK(index->search("the of", articles_only()).empty());
}

TEST_CASE("index search: a title word outranks a body word, a tag outranks the body", "[index]") {
  Sandbox sb;
  Desk d = sb.init();
  commit(d, {{"kb/in-body.md", article("Slow laptop", {}, "Check the vpn settings first")},
             {"kb/in-title.md", article("Slow vpn", {}, "Check the laptop settings first")},
             {"kb/tagged.md", article("Two", {"beta"}, "alpha gamma")},
             {"kb/untagged.md", article("One", {}, "alpha beta")},
             {"kb/other.md", article("Printer", {}, "Paper tray")}});
  auto index = Index::open(d.index_path(), d.head(), {}, true);
  auto hits = index->search("vpn", articles_only());
  REQUIRE(keys(hits) == std::vector<std::string>{"in-title", "in-body"});
  CHECK(hits[0].score > hits[1].score);
  CHECK(keys(index->search("beta", articles_only())) == std::vector<std::string>{"tagged", "untagged"});
}

TEST_CASE("index search: a rare word outweighs a common one", "[index]") {
  Sandbox sb;
  Desk d = sb.init();
  commit(d, {{"kb/common-1.md", article("Error", {}, "error message shown")},
             {"kb/common-2.md", article("Error", {}, "error dialog closes")},
             {"kb/common-3.md", article("Error", {}, "error after login")},
             {"kb/rare.md", article("Page", {}, "kerberos ticket expired")}});
  auto index = Index::open(d.index_path(), d.head(), {}, true);
  CHECK(keys(index->search("error kerberos", articles_only())).front() == "rare");
}

TEST_CASE("index search: stems, prefixes of longer words, accents and case", "[index]") {
  Sandbox sb;
  Desk d = sb.init();
  Ticket printers = make("Printers on floor 3 offline", "", 11);
  Ticket zurich = make("Büro Zürich Drucker", "", 12);
  commit(d, {{"kb/password-reset.md", article("Reset a forgotten password", {}, "Use the portal.")}, ticket_file(printers),
             ticket_file(zurich)});
  auto index = Index::open(d.index_path(), d.head(), {}, true);
  CHECK(keys(index->search("forgot", articles_only())) == std::vector<std::string>{"password-reset"});
  CHECK(keys(index->search("resetting", articles_only())) == std::vector<std::string>{"password-reset"});
  SearchScope tickets;
  tickets.articles = false;
  CHECK(keys(index->search("printer", tickets)) == std::vector<std::string>{printers.id});
  CHECK(keys(index->search("ZURICH", tickets)) == std::vector<std::string>{zurich.id});
  CHECK(keys(index->search("drucker", tickets)) == std::vector<std::string>{zurich.id});
}

TEST_CASE("index search: ties by key, limit cuts, drafts only when asked", "[index]") {
  Sandbox sb;
  Desk d = sb.init();
  commit(d, {{"kb/c.md", article("vpn", {}, "")},
             {"kb/a.md", article("vpn", {}, "")},
             {"kb/b.md", article("vpn", {}, "")},
             {"kb/e.md", article("vpn", {}, "", "draft")},
             {"kb/d.md", article("x", {}, "")}});
  auto index = Index::open(d.index_path(), d.head(), {}, true);
  CHECK(keys(index->search("vpn", articles_only())) == std::vector<std::string>{"a", "b", "c"});
  SearchScope two = articles_only();
  two.limit = 2;
  CHECK(keys(index->search("vpn", two)) == std::vector<std::string>{"a", "b"});
  CHECK(keys(index->search("vpn", articles_only(true))) == std::vector<std::string>{"a", "b", "c", "e"});
}

TEST_CASE("the index follows HEAD: changed, added and removed tickets, and agrees with the files", "[index]") {
  Sandbox sb;
  Desk d = sb.init();
  Ticket a = make("VPN drops", "hourly", 21), b = make("Printer jam", "tray 2", 22), c = make("Mail bounces", "", 23);
  commit(d, {ticket_file(a), ticket_file(b)});
  auto index = Index::open(d.index_path(), d.head(), {}, true);
  CHECK(index->ids() == std::vector<std::string>{std::min(a.id, b.id), std::max(a.id, b.id)});
  b.title = "Printer jam on floor 3";
  commit(d, {ticket_file(b), ticket_file(c), {ticket_path(a.id), std::nullopt}});
  Snapshot snap = d.head();
  index->refresh(snap);
  auto from_index = index->tickets({});
  auto [from_files, problems] = snap.all_tickets();
  CHECK(problems.empty());
  CHECK(emitted(from_index.tickets) == emitted(from_files));
  CHECK(index->ids() == snap.ticket_ids());
  SearchScope tickets;
  tickets.articles = false;
  CHECK(index->search("vpn", tickets).empty());
  CHECK(keys(index->search("floor", tickets)) == std::vector<std::string>{b.id});
  // A second process's view: the same file, opened afresh, is already current.
  auto again = Index::open(d.index_path(), snap);
  CHECK(emitted(again->tickets({}).tickets) == emitted(from_files));
}

TEST_CASE("a damaged index file is rebuilt, not trusted", "[index]") {
  Sandbox sb;
  Desk d = sb.init();
  Ticket a = make("VPN drops", "", 31);
  commit(d, {ticket_file(a)});
  { auto index = Index::open(d.index_path(), d.head(), {}, true); }
  for (const char* suffix : {"-wal", "-shm"}) fs::remove(d.index_path() + suffix);
  std::ofstream(d.index_path(), std::ios::binary | std::ios::trunc) << std::string(4096, 'x');
  auto index = Index::open(d.index_path(), d.head(), {}, true);
  CHECK(index->ids() == std::vector<std::string>{a.id});
}

TEST_CASE("suggestions: the article for what the customer wrote, open duplicates, nothing for noise", "[index][suggest]") {
  Sandbox sb;
  Desk d = sb.init();
  fixture_kb(d);
  Ticket t = make("I forgot my password", "Cannot log in since this morning", 41);
  Ticket dup = make("Password forgotten again", "Needs a password reset", 42);
  Ticket closed = make("Forgotten password", "old one", 43);
  closed.status = "closed";
  Ticket unrelated = make("Printer jam", "Tray 2", 44);
  commit(d, {ticket_file(t), ticket_file(dup), ticket_file(closed), ticket_file(unrelated)});
  auto index = Index::open(d.index_path(), d.head(), {}, true);
  auto sg = suggest_for(*index, t);
  REQUIRE_FALSE(sg.articles.empty());
  CHECK(sg.articles[0].key == "password-reset");
  REQUIRE(sg.tickets.size() == 1);
  CHECK(sg.tickets[0].key == dup.id);
  // Already linked: not suggested again; a ticket this one duplicates is not a suggestion either.
  t.kb = {"password-reset"};
  t.duplicate_of = dup.id;
  sg = suggest_for(*index, t);
  for (const auto& s : sg.articles) CHECK(s.key != "password-reset");
  CHECK(sg.tickets.empty());
  // Noise: a ticket sharing no word gets nothing.
  Ticket lone = make("Kerberos clock skew", "", 45);
  sg = suggest_for(*index, lone);
  CHECK(sg.articles.empty());
  CHECK(sg.tickets.empty());
}
