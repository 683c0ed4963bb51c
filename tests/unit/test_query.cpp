#include <string>
#include <vector>

#include "catch.hpp"
#include "core/model/config.hpp"
#include "core/util/error.hpp"
#include "core/store/query.hpp"
#include "core/model/ticket.hpp"

using namespace desk;

namespace {

const Config& cfg() {
  static const Config c = parse_config(default_config_text(), ".desk/config.toml");
  return c;
}

Timestamp at(int day) { return Timestamp{std::chrono::sys_days{std::chrono::year{2026} / 11 / day}}; }

Ticket make(std::string id, std::string status, std::string tier = "L1", std::string priority = "P3") {
  Ticket t;
  t.id = std::move(id);
  t.title = "Ticket " + t.id;
  t.status = std::move(status);
  t.tier = std::move(tier);
  t.priority = std::move(priority);
  t.type = "incident";
  t.requester = "Carol <carol@example.com>";
  t.created = at(1);
  t.updated = at(1);
  return t;
}

std::vector<std::string> ids(const std::vector<Ticket>& ts) {
  std::vector<std::string> out;
  for (const auto& t : ts) out.push_back(t.id);
  return out;
}

}  // namespace

TEST_CASE("the default filter shows active tickets only, and the all flag adds resolved and closed", "[query]") {
  auto [status, active] = GENERATE(table<std::string, bool>({
      {"new", true}, {"open", true}, {"pending", true}, {"resolved", false}, {"closed", false}}));
  CAPTURE(status);
  Ticket t = make("aaaaaaaaaa", status);
  CHECK(matches(t, ListFilter{}) == active);
  ListFilter all;
  all.all = true;
  CHECK(matches(t, all));
}

TEST_CASE("a status filter overrides the active-only default", "[query]") {
  ListFilter f;
  f.statuses = {"closed", "pending"};
  CHECK(matches(make("aaaaaaaaaa", "closed"), f));
  CHECK(matches(make("aaaaaaaaaa", "pending"), f));
  CHECK_FALSE(matches(make("aaaaaaaaaa", "open"), f));
  CHECK_FALSE(matches(make("aaaaaaaaaa", "resolved"), f));
}

TEST_CASE("tier, priority, type and requester filters accept any of their values", "[query]") {
  Ticket t = make("aaaaaaaaaa", "open", "L2", "P1");
  ListFilter f;
  SECTION("tier") {
    f.tiers = {"L1", "L2"};
    CHECK(matches(t, f));
    f.tiers = {"L3"};
    CHECK_FALSE(matches(t, f));
  }
  SECTION("priority") {
    f.priorities = {"P1"};
    CHECK(matches(t, f));
    f.priorities = {"P2", "P3"};
    CHECK_FALSE(matches(t, f));
  }
  SECTION("type") {
    f.types = {"problem", "incident"};
    CHECK(matches(t, f));
    f.types = {"question"};
    CHECK_FALSE(matches(t, f));
  }
  SECTION("requester") {
    f.requesters = {"Carol <carol@example.com>"};
    CHECK(matches(t, f));
    f.requesters = {"Dave <dave@example.com>"};
    CHECK_FALSE(matches(t, f));
  }
}

TEST_CASE("the assignee filter matches names, and none matches unassigned tickets", "[query]") {
  Ticket bo = make("aaaaaaaaaa", "open");
  bo.assignee = "bo";
  Ticket nobody = make("bbbbbbbbbb", "open");
  ListFilter f;
  f.assignees = {"bo"};
  CHECK(matches(bo, f));
  CHECK_FALSE(matches(nobody, f));
  f.assignees = {"none"};
  CHECK_FALSE(matches(bo, f));
  CHECK(matches(nobody, f));
  f.assignees = {"none", "bo"};
  CHECK(matches(bo, f));
  CHECK(matches(nobody, f));
}

TEST_CASE("the tag filter needs every one of the given tags", "[query]") {
  Ticket t = make("aaaaaaaaaa", "open");
  t.tags = {"vpn", "network"};
  ListFilter f;
  f.tags = {"vpn"};
  CHECK(matches(t, f));
  f.tags = {"vpn", "network"};
  CHECK(matches(t, f));
  f.tags = {"vpn", "printer"};
  CHECK_FALSE(matches(t, f));
}

TEST_CASE("the text filter searches title, description, resolution and history texts, ignoring case", "[query]") {
  Ticket t = make("aaaaaaaaaa", "open");
  t.title = "VPN drops every hour";
  t.description = "Since the Monday update";
  t.resolution = "Rolled back firmware";
  HistoryEntry e;
  e.action = "comment";
  e.text = "Customer sent the Client Log";
  t.history.push_back(e);
  auto [needle, found] = GENERATE(table<std::string, bool>({
      {"vpn", true},
      {"MONDAY", true},
      {"firmware", true},
      {"client log", true},
      {"printer", false},
  }));
  ListFilter f;
  f.text = needle;
  CAPTURE(needle);
  CHECK(matches(t, f) == found);
}

TEST_CASE("filters combine: a ticket must pass every one", "[query]") {
  Ticket t = make("aaaaaaaaaa", "open", "L2", "P2");
  ListFilter f;
  f.tiers = {"L2"};
  f.priorities = {"P2"};
  CHECK(matches(t, f));
  f.types = {"question"};
  CHECK_FALSE(matches(t, f));
}

TEST_CASE("sorting by priority follows the config's order, most urgent first, and - reverses", "[query]") {
  std::vector<Ticket> ts = {make("aaaaaaaaaa", "open", "L1", "P3"), make("bbbbbbbbbb", "open", "L1", "P1"),
                            make("cccccccccc", "open", "L1", "P5"), make("dddddddddd", "open", "L1", "P2")};
  sort_tickets(ts, {"priority"}, cfg());
  CHECK(ids(ts) == std::vector<std::string>{"bbbbbbbbbb", "dddddddddd", "aaaaaaaaaa", "cccccccccc"});
  sort_tickets(ts, {"-priority"}, cfg());
  CHECK(ids(ts) == std::vector<std::string>{"cccccccccc", "aaaaaaaaaa", "dddddddddd", "bbbbbbbbbb"});
}

TEST_CASE("sorting by tier follows the config's tiers, lowest first", "[query]") {
  std::vector<Ticket> ts = {make("aaaaaaaaaa", "open", "L3"), make("bbbbbbbbbb", "open", "L1"), make("cccccccccc", "open", "L4"),
                            make("dddddddddd", "open", "L2")};
  sort_tickets(ts, {"tier"}, cfg());
  CHECK(ids(ts) == std::vector<std::string>{"bbbbbbbbbb", "dddddddddd", "aaaaaaaaaa", "cccccccccc"});
}

TEST_CASE("sorting by status follows the lifecycle order", "[query]") {
  std::vector<Ticket> ts = {make("aaaaaaaaaa", "closed"), make("bbbbbbbbbb", "pending"), make("cccccccccc", "new"),
                            make("dddddddddd", "resolved"), make("eeeeeeeeee", "open")};
  sort_tickets(ts, {"status"}, cfg());
  CHECK(ids(ts) == std::vector<std::string>{"cccccccccc", "eeeeeeeeee", "bbbbbbbbbb", "dddddddddd", "aaaaaaaaaa"});
}

TEST_CASE("sorting by title ignores case", "[query]") {
  std::vector<Ticket> ts = {make("aaaaaaaaaa", "open"), make("bbbbbbbbbb", "open"), make("cccccccccc", "open")};
  ts[0].title = "charlie";
  ts[1].title = "Alpha";
  ts[2].title = "bravo";
  sort_tickets(ts, {"title"}, cfg());
  CHECK(ids(ts) == std::vector<std::string>{"bbbbbbbbbb", "cccccccccc", "aaaaaaaaaa"});
}

TEST_CASE("ties break by creation time, then by id", "[query]") {
  std::vector<Ticket> ts = {make("cccccccccc", "open"), make("bbbbbbbbbb", "open"), make("aaaaaaaaaa", "open")};
  ts[0].created = at(2);
  sort_tickets(ts, {"priority"}, cfg());  // all P3
  CHECK(ids(ts) == std::vector<std::string>{"aaaaaaaaaa", "bbbbbbbbbb", "cccccccccc"});
  sort_tickets(ts, {}, cfg());
  CHECK(ids(ts) == std::vector<std::string>{"aaaaaaaaaa", "bbbbbbbbbb", "cccccccccc"});
}

TEST_CASE("sort keys apply in order", "[query]") {
  std::vector<Ticket> ts = {make("aaaaaaaaaa", "open", "L2", "P2"), make("bbbbbbbbbb", "open", "L1", "P2"),
                            make("cccccccccc", "open", "L1", "P1")};
  ts[0].updated = at(3);
  ts[1].updated = at(5);
  ts[2].updated = at(4);
  sort_tickets(ts, {"tier", "priority"}, cfg());
  CHECK(ids(ts) == std::vector<std::string>{"cccccccccc", "bbbbbbbbbb", "aaaaaaaaaa"});
  sort_tickets(ts, {"-updated"}, cfg());
  CHECK(ids(ts) == std::vector<std::string>{"bbbbbbbbbb", "cccccccccc", "aaaaaaaaaa"});
  ts[0].assignee = "zed";
  ts[1].assignee = "amy";
  sort_tickets(ts, {"assignee"}, cfg());
  CHECK(ids(ts) == std::vector<std::string>{"aaaaaaaaaa", "cccccccccc", "bbbbbbbbbb"});
}

TEST_CASE("an unknown sort key is a usage error naming the key", "[query]") {
  std::vector<Ticket> ts = {make("aaaaaaaaaa", "open")};
  auto key = GENERATE(std::string("colour"), std::string("-colour"), std::string(""), std::string("-"));
  CAPTURE(key);
  try {
    sort_tickets(ts, {key}, cfg());
    FAIL("no error");
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::usage);
    CHECK(std::string(e.what()) == "cannot sort by '" + key + "'");
    CHECK_THAT(e.hint(), Catch::Contains("priority"));
  }
}

TEST_CASE("unique_prefix_length is at least 4 and long enough to tell sorted ids apart", "[query]") {
  CHECK(unique_prefix_length({}) == 4);
  CHECK(unique_prefix_length({"7kq2x9ab3d"}) == 4);
  CHECK(unique_prefix_length({"1111111111", "2222222222"}) == 4);
  CHECK(unique_prefix_length({"7kq2x9ab3d", "7kq2y0aaaa"}) == 5);
  CHECK(unique_prefix_length({"7kq2x9ab3d", "7kq2x9ab3e"}) == 10);
  CHECK(unique_prefix_length({"00000aaaaa", "7kq2x9ab3d", "7kq2x9zzzz", "zzzzzzzzzz"}) == 7);
}
