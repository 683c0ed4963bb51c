// The team in config: who a typed name means, and the [[team]] entries desk team adds and removes.
#include <string>

#include "catch.hpp"
#include "core/model/config.hpp"
#include "core/model/team.hpp"
#include "core/model/id.hpp"
#include "core/model/workflow.hpp"
#include "core/util/error.hpp"

using namespace desk;
using Catch::Matchers::Contains;

namespace {

const std::string base = R"(name = "Team desk"

[[tiers]]
name = "L1"
time_limit = "30m"

[[tiers]]
name = "L2"
owner = "dana"

[[tiers]]
name = "L4"
vendor = true
keep_assignee = true

[[priorities]]
name = "P1"

# the people
[[team]]
name = "bo"
email = "Bo.Berg@Example.com"
tiers = ["L1"]

[[team]]
name = "bea"
email = "bea@example.com"

[[team]]
name = "dana"
email = "dana@example.com"
tiers = ["L2", "L4"]

# after the team
[mail]
address = "help@example.com"
)";

Config cfg() { return parse_config(base, "cfg.toml"); }

std::string error_of(const std::function<void()>& f, ErrorKind kind) {
  try {
    f();
  } catch (const Error& e) {
    CHECK(e.kind() == kind);
    return std::string(e.what()) + " | " + e.hint();
  }
  FAIL("no error");
  return "";
}

Context ctx() { return Context{parse_time("2026-11-23T09:00:00Z").value(), "Ana <ana@example.com>", seeded_random(7)}; }

}  // namespace

TEST_CASE("a typed name finds its person by name, email, Name <email>, local part or unique prefix", "[team]") {
  Config c = cfg();
  REQUIRE(c.team.size() == 3);
  CHECK(c.team[0].email == "bo.berg@example.com");  // kept lower-case
  CHECK(find_person(c, "bo")->name == "bo");
  CHECK(find_person(c, "BO")->name == "bo");
  CHECK(find_person(c, "bo.berg@example.com")->name == "bo");
  CHECK(find_person(c, "Bo Berg <BO.BERG@example.com>")->name == "bo");
  CHECK(find_person(c, "bo.berg")->name == "bo");
  CHECK(find_person(c, "da")->name == "dana");
  CHECK(find_person(c, "zed") == nullptr);
  CHECK(find_person(c, "") == nullptr);
  // "b" fits bo and bea: refused with both named, not a guess.
  CHECK_THAT(error_of([&] { find_person(c, "b"); }, ErrorKind::usage), Contains("'b' fits several people of the team: bo, bea"));
  CHECK(person_of_identity(c, "Somebody", "DANA@example.com")->name == "dana");
  CHECK(person_of_identity(c, "bea", "other@example.com")->name == "bea");
  CHECK(person_of_identity(c, "Zed", "zed@example.com") == nullptr);
}

TEST_CASE("with a team an assignee is one of its people, without one a free name", "[team]") {
  Config c = cfg();
  CHECK(resolve_assignee(c, " bo.berg@example.com ") == "bo");
  std::string err = error_of([&] { resolve_assignee(c, "zed"); }, ErrorKind::usage);
  CHECK_THAT(err, Contains("'zed' is not on the team"));
  CHECK_THAT(err, Contains("bo <bo.berg@example.com>, bea <bea@example.com>, dana <dana@example.com>"));
  Config none = parse_config(default_config_text(), "cfg.toml");
  CHECK(none.team.empty());
  CHECK(resolve_assignee(none, "zed") == "zed");
}

TEST_CASE("the team's entries are checked when the config is read", "[team]") {
  auto bad = [](const std::string& extra) {
    return error_of([&] { parse_config(base + extra, "cfg.toml"); }, ErrorKind::invalid);
  };
  CHECK_THAT(bad("\n[[team]]\nname = \"BO\"\n"), Contains("'BO' is on the team twice"));
  CHECK_THAT(bad("\n[[team]]\nname = \"cy\"\nemail = \"bea@example.com\"\n"), Contains("'bea' and 'cy' have the same email"));
  CHECK_THAT(bad("\n[[team]]\nname = \"cy\"\nemail = \"not-an-address\"\n"), Contains("must be a mail address"));
  CHECK_THAT(bad("\n[[team]]\nname = \"me\"\n"), Contains("[[team]]: a person's name is one line of text without <, >, @ or commas, and not 'me' or 'none'"));
  CHECK_THAT(bad("\n[[team]]\nname = \"a <b>\"\n"), Contains("without <, >, @ or commas"));
  CHECK_THAT(bad("\n[[team]]\nname = \"cy\"\ntiers = [\"L9\"]\n"), Contains("'cy' of the team works in unknown tier 'L9'"));
  CHECK_THAT(bad("\n[[team]]\nname = \"cy\"\nphone = \"1\"\n"), Contains("unknown key 'phone' in [[team]]"));
  std::string no_owner = base;
  no_owner.replace(no_owner.find("owner = \"dana\""), 14, "owner = \"zed\"");
  CHECK_THAT(error_of([&] { parse_config(no_owner, "cfg.toml"); }, ErrorKind::invalid), Contains("the owner of tier L2, 'zed', is not on the team"));
}

TEST_CASE("adding and removing a person edits only their entry of the config text", "[team]") {
  std::string added = config_with_person(base, Person{"cy", "cy@example.com", {"L1", "L2"}});
  CHECK(added.substr(0, base.size()) == base);
  CHECK(added.substr(base.size()) == "\n[[team]]\nname = \"cy\"\nemail = \"cy@example.com\"\ntiers = [\"L1\", \"L2\"]\n");
  Config c = parse_config(added, "cfg.toml");
  REQUIRE(c.team.size() == 4);
  CHECK(c.team[3].tiers == std::vector<std::string>{"L1", "L2"});
  CHECK(c.mail.address == "help@example.com");  // [mail] before it is still [mail]
  // A name that needs escaping stays data.
  std::string odd = config_with_person(base, Person{"O\"Brien \\ x", "", {}});
  CHECK(parse_config(odd, "cfg.toml").team.back().name == "O\"Brien \\ x");

  // Removing the middle entry leaves the comments and sections around it as they were.
  auto removed = config_without_person(base, "bea");
  REQUIRE(removed);
  std::string expected = base;
  expected.erase(expected.find("[[team]]\nname = \"bea\""), std::string("[[team]]\nname = \"bea\"\nemail = \"bea@example.com\"\n\n").size());
  CHECK(*removed == expected);
  // The last entry: the comment before [mail] stays.
  auto last = config_without_person(base, "DANA");
  REQUIRE(last);
  CHECK_THAT(*last, Contains("\n# after the team\n[mail]\n"));
  CHECK_THAT(*last, !Contains("dana@example.com"));
  // Round trip: add, then remove, gives the text back.
  CHECK(config_without_person(added, "cy") == base);
  CHECK_FALSE(config_without_person(base, "zed"));
}

TEST_CASE("a ticket moved into a tier gets its owner, keeps its assignee, or is let go, as the tier says", "[team]") {
  Config c = cfg();
  NewTicketArgs args;
  args.title = "VPN drops";
  args.assignee = "bo.berg@example.com";
  Ticket t = create_ticket(c, ctx(), args, nullptr, [](const std::string&) { return false; }).ticket;
  CHECK(t.assignee == "bo");
  // L2 has an owner: dana takes it.
  EscalateArgs up;
  up.note = "needs a network engineer";
  Ticket l2 = escalate(t, c, ctx(), up).ticket;
  CHECK(l2.tier == "L2");
  CHECK(l2.assignee == "dana");
  // Named on the command line: that person, resolved against the team.
  up.assignee = "bea@example.com";
  CHECK(escalate(t, c, ctx(), up).ticket.assignee == "bea");
  up.assignee = "zed";
  CHECK_THAT(error_of([&] { escalate(t, c, ctx(), up); }, ErrorKind::usage), Contains("'zed' is not on the team"));
  // The vendor tier keeps whoever chases the vendor.
  EscalateArgs vendor;
  vendor.note = "firmware bug";
  vendor.to = "L4";
  vendor.vendor = "acme";
  vendor.vendor_case = "CASE-1";
  CHECK(escalate(l2, c, ctx(), vendor).ticket.assignee == "dana");
  // L1 has neither: a ticket handed down is let go, and the history says so.
  Change down = deescalate(l2, c, ctx(), std::string("L1"), "fixed the profile");
  CHECK(down.ticket.assignee.empty());
  REQUIRE_FALSE(down.ticket.history.back().changes.empty());
  CHECK(down.ticket.history.back().changes.back().field == "assignee");
  CHECK(deescalate(l2, c, ctx(), std::string("L1"), "fixed", std::string("bea")).ticket.assignee == "bea");
}
