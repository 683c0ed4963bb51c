// The knowledge base: article files, slugs, the words of a search, ticket links and their merge and metrics.
#include "catch.hpp"
#include "core/model/config.hpp"
#include "core/util/error.hpp"
#include "core/model/kb.hpp"
#include "core/store/merge.hpp"
#include "core/store/search.hpp"
#include "core/report/stats.hpp"
#include "core/model/workflow.hpp"

using namespace desk;
using Catch::Contains;

namespace {

const Config& config() {
  static Config c = parse_config(default_config_text(), "config.toml");
  return c;
}

Context at(const char* when, const char* who = "Ada Agent <ada@example.com>") {
  static uint64_t seed = 500;
  return Context{*parse_time(when), who, seeded_random(seed++)};
}

Ticket make(const char* when, const char* title, const char* description = "") {
  NewTicketArgs args;
  args.title = title;
  args.description = description;
  args.requester = "Lee <lee@example.com>";
  return create_ticket(config(), at(when), args, nullptr, [](const std::string&) { return false; }).ticket;
}

const char* canonical_article =
    "+++\n"
    "title = \"Reset the VPN client\"\n"
    "tags = [\"vpn\", \"network\"]\n"
    "tiers = [\"L1\"]\n"
    "tickets = [\"7kq2x9ab3d\"]\n"
    "status = \"published\"\n"
    "created = 2026-11-22T09:00:00Z\n"
    "updated = 2026-11-23T10:30:00Z\n"
    "author = \"Ada Agent <ada@example.com>\"\n"
    "owner = \"network team\"\n"
    "review = 2027-01-01\n"
    "+++\n"
    "\n"
    "## Symptom\n"
    "\n"
    "The VPN drops every hour.\n"
    "\n"
    "## Fix\n"
    "\n"
    "1. Quit the client.\n"
    "2. Install firmware 4.2.\n";

}  // namespace

// ---------------------------------------------------------------------------------------------
// article files

TEST_CASE("a canonical article parses and emits byte for byte, unknown keys kept") {
  Article a = parse_article(canonical_article, "kb/vpn-reset.md", "vpn-reset");
  CHECK(a.slug == "vpn-reset");
  CHECK(a.title == "Reset the VPN client");
  CHECK(a.tags == std::vector<std::string>{"vpn", "network"});
  CHECK(a.tiers == std::vector<std::string>{"L1"});
  CHECK(a.tickets == std::vector<std::string>{"7kq2x9ab3d"});
  CHECK(a.status == "published");
  CHECK(format_time(*a.created) == "2026-11-22T09:00:00Z");
  CHECK(a.author == "Ada Agent <ada@example.com>");
  CHECK(a.extra.contains("owner"));
  CHECK(a.extra.contains("review"));
  CHECK(a.body.rfind("## Symptom\n\nThe VPN drops", 0) == 0);
  CHECK(a.body.back() == '.');
  CHECK(emit_article(a) == canonical_article);
}

TEST_CASE("an article without a body and with defaults emits canonically") {
  Article a;
  a.slug = "x";
  a.title = "T";
  std::string text = emit_article(a);
  CHECK(text == "+++\ntitle = \"T\"\ntags = []\ntiers = []\ntickets = []\nstatus = \"published\"\n+++\n");
  CHECK(emit_article(parse_article(text, "kb/x.md", "x")) == text);
}

TEST_CASE("a hand-written article is rewritten canonically: key order, blank line, trailing space") {
  std::string text = "+++\nstatus = \"draft\"\ntitle = 'Printer'\n+++\nClear the jam.   \n\n\n";
  Article a = parse_article(text, "kb/p.md", "p");
  CHECK(a.status == "draft");
  CHECK(a.body == "Clear the jam.");
  std::string canon = emit_article(a);
  CHECK(canon == "+++\ntitle = \"Printer\"\ntags = []\ntiers = []\ntickets = []\nstatus = \"draft\"\n+++\n\nClear the jam.\n");
  CHECK(emit_article(parse_article(canon, "kb/p.md", "p")) == canon);
}

TEST_CASE("broken article files are reported with path, line and column") {
  auto message = [](const std::string& text) {
    try {
      parse_article(text, "kb/bad.md", "bad");
    } catch (const Error& e) {
      CHECK(e.kind() == ErrorKind::invalid);
      return std::string(e.what());
    }
    return std::string("parsed");
  };
  CHECK_THAT(message("# no front matter\n"), Contains("kb/bad.md:1:1: an article starts with a front matter"));
  CHECK_THAT(message("+++\ntitle = \"x\"\nbody without a close\n"), Contains("kb/bad.md:4:1: the front matter is not closed"));
  CHECK_THAT(message("+++\ntags = []\n+++\nbody\n"), Contains("kb/bad.md:2:1: missing required key 'title'"));
  // The TOML error on the file's line 3 (the front matter's line 2).
  CHECK_THAT(message("+++\ntitle = \"x\"\ntags = [1, \n+++\n"), Contains("kb/bad.md:3:"));
  CHECK_THAT(message("+++\ntitle = \"x\"\ntags = [1]\n+++\n"), Contains("kb/bad.md:3:9: tags must be an array of strings"));
  CHECK_THAT(message("+++\ntitle = \"x\"\nstatus = \"secret\"\n+++\n"), Contains("unknown status 'secret'"));
  CHECK_THAT(message("+++\ntitle = 5\n+++\n"), Contains("kb/bad.md:2:9: title must be a string"));
}

// ---------------------------------------------------------------------------------------------
// slugs

TEST_CASE("slugs: valid and hostile names") {
  for (const char* ok : {"a", "vpn-reset", "l1-2fa-reset-2026", "0"}) {
    CAPTURE(ok);
    CHECK(is_valid_slug(ok));
  }
  for (const char* bad : {"", "-a", "a-", "a--b", "A", "vpn_reset", "../x", "kb/x", "x.md", ".", "..", "a b", "é", "a\n",
                          "a\x1b[31m"}) {
    CAPTURE(bad);
    CHECK_FALSE(is_valid_slug(bad));
    CHECK_THROWS_AS(require_slug(bad), Error);
  }
  CHECK(is_valid_slug(std::string(64, 'a')));
  CHECK_FALSE(is_valid_slug(std::string(65, 'a')));
}

TEST_CASE("slugs derive from titles: lowercase words joined by hyphens, at most 64 characters") {
  CHECK(slugify("Reset the VPN client (4.2)") == "reset-the-vpn-client-4-2");
  CHECK(slugify("  ../../etc/passwd  ") == "etc-passwd");
  CHECK(slugify("Café au lait") == "caf-au-lait");
  CHECK(slugify("日本語") == "");
  CHECK(slugify("\x1b[31mred\x1b[0m") == "31mred-0m");
  std::string long_title;
  for (int i = 0; i < 20; ++i) long_title += "word" + std::to_string(i) + " ";
  std::string slug = slugify(long_title);
  CHECK(slug.size() <= 64);
  CHECK(is_valid_slug(slug));
  CHECK(slug.size() == 59);
  CHECK(slug.substr(slug.size() - 6) == "-word9");  // cut at a whole word
  CHECK(slugify(std::string(100, 'x')) == std::string(64, 'x'));
}

TEST_CASE("article_path stays inside kb/") { CHECK(article_path("vpn-reset") == "kb/vpn-reset.md"); }

// ---------------------------------------------------------------------------------------------
// search

TEST_CASE("tokenize lowercases ASCII, splits on punctuation, drops stop words, keeps UTF-8 words") {
  CHECK(tokenize("The VPN-client is DOWN, again!") == std::vector<std::string>{"vpn", "client", "down", "again"});
  CHECK(tokenize("Zürich café naïve") == std::vector<std::string>{"zürich", "café", "naïve"});
  CHECK(tokenize("a an the of to") == std::vector<std::string>{});
  CHECK(tokenize("firmware 4.2") == std::vector<std::string>{"firmware", "4", "2"});
  CHECK(is_stop_word("the"));
  CHECK_FALSE(is_stop_word("vpn"));
}

// ---------------------------------------------------------------------------------------------
// articles as changes

TEST_CASE("create_article derives the slug, validates, and refuses a taken slug") {
  NewArticleArgs args;
  args.title = "Reset the VPN client";
  args.body = "Quit it.\r\nStart it.\n\n";
  args.tags = {"vpn"};
  args.tiers = {"L1"};
  auto c = create_article(args, config(), at("2026-11-23T09:00:00Z"), [](const std::string&) { return false; });
  CHECK(c.article.slug == "reset-the-vpn-client");
  CHECK(c.article.body == "Quit it.\nStart it.");
  CHECK(c.article.status == "published");
  CHECK(c.action == "kb-new");
  CHECK(c.subject == "kb new reset-the-vpn-client: Reset the VPN client");
  Mutation m = kb_mutation(c);
  REQUIRE(m.files.size() == 1);
  CHECK(m.files[0].path == "kb/reset-the-vpn-client.md");
  CHECK(m.trailers == std::vector<std::pair<std::string, std::string>>{{"Desk-Action", "kb-new"}, {"Desk-Article", "reset-the-vpn-client"}});

  try {
    create_article(args, config(), at("2026-11-23T09:00:00Z"), [](const std::string& s) { return s == "reset-the-vpn-client"; });
    FAIL("no error");
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::state);
    CHECK_THAT(e.hint(), Contains("--slug"));
  }
  args.slug = "../etc";
  CHECK_THROWS_AS(create_article(args, config(), at("2026-11-23T09:00:00Z"), [](const std::string&) { return false; }), Error);
  args.slug = "";
  args.body = "  \n";
  try {
    create_article(args, config(), at("2026-11-23T09:00:00Z"), [](const std::string&) { return false; });
    FAIL("no error");
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::usage);
  }
  args.body = "x";
  args.tiers = {"L9"};
  CHECK_THROWS_AS(create_article(args, config(), at("2026-11-23T09:00:00Z"), [](const std::string&) { return false; }), Error);
}

TEST_CASE("draft_from_ticket: symptom, hand-off notes with tiers, resolution, a draft for the lowest tier") {
  Ticket t = make("2026-11-23T09:00:00Z", "VPN drops every hour", "Since Monday the VPN drops.");
  t.tags = {"vpn"};
  t = escalate(t, config(), at("2026-11-23T10:00:00Z"), {std::nullopt, "Reinstalled the client.\nStill drops.", {}, {}, std::nullopt}).ticket;
  t = deescalate(t, config(), at("2026-11-23T11:00:00Z"), std::nullopt, "Firmware 4.2 fixes it").ticket;
  t = resolve(t, at("2026-11-23T12:00:00Z"), "Installed firmware 4.2").ticket;
  Article a = draft_from_ticket(t, config(), at("2026-11-23T12:00:00Z"), "");
  CHECK(a.slug == "vpn-drops-every-hour");
  CHECK(a.status == "draft");
  CHECK(a.tiers == std::vector<std::string>{"L1"});
  CHECK(a.tickets == std::vector<std::string>{t.id});
  CHECK(a.tags == std::vector<std::string>{"vpn"});
  CHECK(a.body ==
        "## Symptom\n\nSince Monday the VPN drops.\n\n## What was tried\n\n"
        "- Escalated L1 -> L2: Reinstalled the client.\n  Still drops.\n"
        "- De-escalated L2 -> L1: Firmware 4.2 fixes it\n\n## Resolution\n\nInstalled firmware 4.2");
}

// ---------------------------------------------------------------------------------------------
// ticket links

TEST_CASE("ticket kb and duplicate_of fields round-trip, old tickets parse unchanged") {
  Ticket t = make("2026-11-23T09:00:00Z", "VPN drops");
  std::string old = emit_ticket(t);
  CHECK(old.find("kb =") == std::string::npos);
  CHECK(old.find("duplicate_of") == std::string::npos);
  CHECK(emit_ticket(parse_ticket(old, "t.toml")) == old);
  t = link_articles(t, at("2026-11-23T09:10:00Z"), {"vpn-reset", "vpn-firmware"}, false).ticket;
  t.duplicate_of = "0123456789";
  std::string text = emit_ticket(t);
  CHECK_THAT(text, Contains("kb = [\"vpn-reset\", \"vpn-firmware\"]\n"));
  CHECK_THAT(text, Contains("duplicate_of = \"0123456789\"\n"));
  Ticket back = parse_ticket(text, "t.toml");
  CHECK(back.kb == t.kb);
  CHECK(back.duplicate_of == "0123456789");
  CHECK(emit_ticket(back) == text);
}

TEST_CASE("link_articles records one entry per article, refuses repeats and bad slugs") {
  Ticket t = make("2026-11-23T09:00:00Z", "VPN drops");
  Change c = link_articles(t, at("2026-11-23T09:10:00Z"), {"vpn-reset", "vpn-firmware"}, false);
  CHECK(c.action == "link");
  CHECK(c.subject.rfind("link " + short_id(t.id) + " kb/vpn-reset kb/vpn-firmware: VPN drops", 0) == 0);
  REQUIRE(c.ticket.history.size() == 3);
  CHECK(c.ticket.history[1].to == "kb/vpn-reset");
  CHECK(c.ticket.history[2].to == "kb/vpn-firmware");
  CHECK(c.ticket.status == "new");
  CHECK_THROWS_AS(link_articles(c.ticket, at("2026-11-23T09:11:00Z"), {"vpn-reset"}, false), Error);
  Change twice = link_articles(t, at("2026-11-23T09:11:00Z"), {"vpn-reset", "vpn-reset"}, false);
  CHECK(twice.ticket.kb == std::vector<std::string>{"vpn-reset"});
  CHECK(twice.ticket.history.size() == 2);
  CHECK_THROWS_AS(link_articles(t, at("2026-11-23T09:11:00Z"), {"../x"}, false), Error);
  CHECK_THROWS_AS(link_articles(t, at("2026-11-23T09:11:00Z"), {"vpn-reset"}, true), Error);
  Change u = link_articles(c.ticket, at("2026-11-23T09:12:00Z"), {"vpn-reset"}, true);
  CHECK(u.ticket.kb == std::vector<std::string>{"vpn-firmware"});
  CHECK(u.ticket.history.back().action == "unlink");
}

TEST_CASE("duplicates: marking, self and cycles refused, closing as a duplicate") {
  Ticket a = make("2026-11-23T09:00:00Z", "VPN drops");
  Ticket b = make("2026-11-23T09:05:00Z", "VPN keeps dropping");
  std::map<std::string, std::string> dup_of;
  auto lookup = [&](const std::string& id) { return dup_of.count(id) ? dup_of[id] : std::string(); };
  CHECK_THROWS_AS(mark_duplicate(b, at("2026-11-23T09:10:00Z"), b.id, false, lookup), Error);
  Change m = mark_duplicate(b, at("2026-11-23T09:10:00Z"), a.id, false, lookup);
  CHECK(m.ticket.duplicate_of == a.id);
  CHECK(m.ticket.history.back().action == "link");
  CHECK(m.ticket.history.back().to == a.id);
  dup_of[b.id] = a.id;
  // a -> b would close the loop b -> a.
  try {
    mark_duplicate(a, at("2026-11-23T09:11:00Z"), b.id, false, lookup);
    FAIL("no error");
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::invalid);
    CHECK_THAT(e.what(), Contains("cycle"));
  }
  CHECK_THROWS_AS(mark_duplicate(m.ticket, at("2026-11-23T09:12:00Z"), a.id, false, lookup), Error);  // already
  Change un = mark_duplicate(m.ticket, at("2026-11-23T09:13:00Z"), "", true, lookup);
  CHECK(un.ticket.duplicate_of.empty());
  CHECK(un.ticket.history.back().action == "unlink");

  Change c = close_duplicate(b, at("2026-11-23T09:20:00Z"), a.id, "", lookup);
  CHECK(c.ticket.status == "closed");
  CHECK(c.ticket.duplicate_of == a.id);
  CHECK(c.ticket.resolution == "duplicate of " + a.id);
  REQUIRE(c.ticket.history.size() == 3);
  CHECK(c.ticket.history[1].action == "link");
  CHECK(c.ticket.history[2].action == "close");
  CHECK(c.ticket.history[2].status == "closed");
  CHECK_THROWS_AS(close_duplicate(c.ticket, at("2026-11-23T09:21:00Z"), a.id, "", lookup), Error);
}

TEST_CASE("merge: kb links merge as sets and duplicate_of as a scalar, symmetrically") {
  Ticket base = make("2026-11-23T09:00:00Z", "VPN drops");
  base.kb = {"a", "b"};
  Ticket x = base, y = base;
  x = link_articles(x, at("2026-11-23T10:00:00Z"), {"z"}, false).ticket;
  x = link_articles(x, at("2026-11-23T10:01:00Z"), {"a"}, true).ticket;
  y = link_articles(y, at("2026-11-23T10:02:00Z"), {"c"}, false).ticket;
  x.duplicate_of = "0000000001";
  y.duplicate_of = "0000000002";
  std::string xy = emit_ticket(merge_tickets(base, x, y).ticket);
  std::string yx = emit_ticket(merge_tickets(base, y, x).ticket);
  REQUIRE(xy == yx);
  Ticket m = parse_ticket(xy, "m.toml");
  CHECK(m.kb == std::vector<std::string>{"b", "c", "z"});
  CHECK(m.duplicate_of == "0000000002");  // y acted last
  bool recorded = false;
  for (const auto& e : m.history)
    if (e.action == "merge" && e.changes.size() == 1 && e.changes[0].field == "duplicate_of")
      recorded = e.changes[0].from == "0000000001" && e.changes[0].to == "0000000002";
  CHECK(recorded);
  // One side only: that side wins, no conflict.
  Ticket only = base;
  only.duplicate_of = "0000000003";
  auto out = merge_tickets(base, only, base);
  CHECK(out.ticket.duplicate_of == "0000000003");
  CHECK(out.conflicts.empty());
}

// ---------------------------------------------------------------------------------------------
// metrics

TEST_CASE("stats: kb link rate over resolved tickets, and duplicates in the period") {
  StatsPeriod week{*parse_time("2026-11-23T00:00:00Z"), *parse_time("2026-11-29T23:59:59Z")};
  std::vector<Ticket> ts;
  // A: resolved and linked to an article in the period.
  Ticket a = make("2026-11-23T09:00:00Z", "A");
  a = link_articles(a, at("2026-11-23T09:30:00Z"), {"vpn-reset"}, false).ticket;
  a = resolve(a, at("2026-11-23T10:00:00Z"), "fixed").ticket;
  ts.push_back(a);
  // B: resolved, linked then unlinked: not linked.
  Ticket b = make("2026-11-23T09:00:00Z", "B");
  b = link_articles(b, at("2026-11-23T09:30:00Z"), {"vpn-reset"}, false).ticket;
  b = link_articles(b, at("2026-11-23T09:40:00Z"), {"vpn-reset"}, true).ticket;
  b = resolve(b, at("2026-11-23T10:00:00Z"), "fixed").ticket;
  ts.push_back(b);
  // C: resolved, no link.
  Ticket c = make("2026-11-23T09:00:00Z", "C");
  c = resolve(c, at("2026-11-24T10:00:00Z"), "fixed").ticket;
  ts.push_back(c);
  // D: linked by a hand edit (no link entries), resolved: linked.
  Ticket d = make("2026-11-23T09:00:00Z", "D");
  d.kb = {"printer-jam"};
  d = resolve(d, at("2026-11-24T11:00:00Z"), "fixed").ticket;
  ts.push_back(d);
  // H: linked, then the link removed by desk edit, resolved: not linked.
  Ticket h = make("2026-11-23T09:00:00Z", "H");
  h = link_articles(h, at("2026-11-23T09:30:00Z"), {"vpn-reset"}, false).ticket;
  Ticket h2 = h;
  h2.kb.clear();
  h = edited(h, h2, config(), at("2026-11-23T09:40:00Z")).ticket;
  REQUIRE(h.history.back().changes.size() == 1);
  CHECK(h.history.back().changes[0].field == "kb");
  h = resolve(h, at("2026-11-23T10:00:00Z"), "fixed").ticket;
  ts.push_back(h);
  // E: linked but not resolved: not in the cohort.
  Ticket e = make("2026-11-23T09:00:00Z", "E");
  e = link_articles(e, at("2026-11-23T09:30:00Z"), {"vpn-reset"}, false).ticket;
  ts.push_back(e);
  // F: closed as a duplicate of C in the period; G: marked a duplicate before the period.
  auto none = [](const std::string&) { return std::string(); };
  Ticket f = make("2026-11-23T09:00:00Z", "F");
  f = close_duplicate(f, at("2026-11-25T09:00:00Z"), c.id, "", none).ticket;
  ts.push_back(f);
  Ticket g = make("2026-11-16T09:00:00Z", "G");
  g = mark_duplicate(g, at("2026-11-16T10:00:00Z"), c.id, false, none).ticket;
  ts.push_back(g);

  Stats st = compute_stats(ts, config(), week, GroupBy::none, *parse_time("2026-11-30T00:00:00Z"));
  CHECK(st.total.resolved == 5);  // A, B, C, D, H; F was closed, not resolved
  CHECK(st.total.kb_linked == 2);  // A, D
  REQUIRE(st.total.kb_link_rate);
  CHECK(*st.total.kb_link_rate == Approx(0.4));
  CHECK(st.total.duplicates == 1);  // F
  CHECK(st.total.closed == 1);
}
