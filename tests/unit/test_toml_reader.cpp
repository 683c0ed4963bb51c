#include <string>

#include "catch.hpp"
#include "core/model/config.hpp"
#include "core/model/ticket.hpp"
#include "core/model/toml_reader.hpp"
#include "core/util/error.hpp"

using namespace desk;

namespace {

// The depth toml_too_deep counts: the smallest limit it lets the text through.
size_t depth(const std::string& text) {
  for (size_t limit = 0; limit < 1000; ++limit)
    if (!toml_too_deep(text, limit)) return limit;
  return 1000;
}

std::string repeat(const std::string& s, size_t n) {
  std::string out;
  for (size_t i = 0; i < n; ++i) out += s;
  return out;
}

}  // namespace

TEST_CASE("toml_too_deep counts tables, arrays and inline tables as toml++ builds them", "[toml]") {
  CHECK(depth("") == 0);
  CHECK(depth("a = 1") == 1);
  CHECK(depth("a.b.c = 1") == 3);
  CHECK(depth("a . \"b.c\" . 'd' = 1") == 3);
  CHECK(depth("[a.b]\nc = 1") == 3);
  CHECK(depth("[[a]]\nb = 1") == 3);
  CHECK(depth("[[a.b]]\nc.d = 1\n[x]\ny = 1") == 5);
  CHECK(depth("a = [1, 2]") == 2);
  CHECK(depth("a = [[1], [[2]]]") == 4);
  CHECK(depth("a = { b = { c = 1 } }") == 3);
  CHECK(depth("a = { b.c = 1, d = [ { e = 1 } ] }") == 4);
  CHECK(depth("a = [\n  { b = 1 }, # a comment [[[[\n  { c = [1] },\n]\nd = 1") == 4);
  // Brackets and dots inside strings and comments do not count.
  CHECK(depth("a = \"[[[[.{{{\"") == 1);
  CHECK(depth("a = \"\\\"[[[[\"") == 1);
  CHECK(depth("a = '[[[[\\'") == 1);
  CHECK(depth("a = \"\"\"\n[[[[\n\\\"\"\"\n]]\"\"\"\"\nb = 1") == 1);
  CHECK(depth("a = '''\n[x.y.z]\n'''") == 1);
  CHECK(depth("# [a.b.c.d]\na = 1.5e3 # x.y.z = 1") == 1);
  CHECK(depth("[\"a.b\".c] # [[x.y.z]]\nd = 2026-11-22T09:00:00.5Z") == 3);
}

TEST_CASE("toml_too_deep gives the place where the limit is passed", "[toml]") {
  auto at = toml_too_deep("a = 1\nb = " + repeat("[", 70) + repeat("]", 70), 64);
  REQUIRE(at);
  CHECK(at->line == 2);
  CHECK(at->column == 4 + 64);  // the 64th bracket opens level 65
  at = toml_too_deep("[" + repeat("x.", 100) + "x]\n", 64);
  REQUIRE(at);
  CHECK(at->line == 1);
  CHECK(at->column == 129);
  CHECK_FALSE(toml_too_deep("[" + repeat("x.", 63) + "x]\nk = 0\n", 65));
  CHECK(toml_too_deep("[" + repeat("x.", 63) + "x]\nk = 0\n", 64));
}

TEST_CASE("ticket and config files nested deeper than the limit are refused with path, line and column", "[toml]") {
  std::string ticket =
      "format = 1\nid = \"7kq2x9abcd\"\ntitle = \"t\"\nstatus = \"new\"\ncreated = 2026-11-22T09:00:00Z\n"
      "[" + repeat("x.", 299999) + "x]\nk = 1\n";
  try {
    parse_ticket(ticket, "tickets/7k/7kq2x9abcd.toml");
    FAIL("a ticket nested 300,000 levels deep parsed");
  } catch (const Error& e) {
    CHECK(std::string(e.what()) == "tickets/7k/7kq2x9abcd.toml:6:129: the TOML is nested more than 64 levels deep (tables, "
                                   "arrays and inline tables); desk reads at most 64");
  }
  // Within the limits (a kept unknown key may nest 16 levels: core/model/limits.hpp), the same
  // shape parses and keeps its keys.
  std::string ok = "format = 1\nid = \"7kq2x9abcd\"\ntitle = \"t\"\nstatus = \"new\"\ncreated = 2026-11-22T09:00:00Z\n"
                   "[" + repeat("x.", 14) + "x]\nk = 1\n";
  Ticket t = parse_ticket(ok, "ok.toml");
  CHECK(t.extra.contains("x"));
  CHECK(parse_ticket(emit_ticket(t), "again.toml").extra == t.extra);

  std::string config = std::string(default_config_text()) + "\nx = " + repeat("{ a = ", 100) + "1" + repeat(" }", 100) + "\n";
  CHECK_THROWS_WITH(parse_config(config, ".desk/config.toml"), Catch::Contains(".desk/config.toml:") &&
                                                                   Catch::Contains("nested more than 64 levels deep"));
}
