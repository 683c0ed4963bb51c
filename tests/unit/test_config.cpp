#include <string>

#include "catch.hpp"
#include "core/store/migrate.hpp"
#include "core/model/config.hpp"
#include "core/util/error.hpp"
#include "core/util/timeutil.hpp"

using namespace desk;
using namespace std::chrono_literals;

namespace {

Config default_cfg() { return parse_config(default_config_text(), ".desk/config.toml"); }

// The smallest valid config, to which a test appends what it checks.
const std::string minimal = R"(
[[tiers]]
name = "L1"

[[priorities]]
name = "P1"
)";

// The Error that parse_config throws, with its kind checked.
Error config_failure(const std::string& text) {
  try {
    parse_config(text, "cfg.toml");
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::invalid);
    return e;
  }
  FAIL("parse_config accepted:\n" << text);
  return Error(ErrorKind::invalid, "");
}

std::string config_error(const std::string& text) { return config_failure(text).what(); }

}  // namespace

TEST_CASE("the default config has tiers L0 to L4, self-service first and vendors last", "[config]") {
  Config c = default_cfg();
  REQUIRE(c.tiers.size() == 5);
  CHECK(c.name == "Help desk");
  auto [i, name, accepts, vendor] = GENERATE(table<size_t, std::string, bool, bool>({
      {0, "L0", false, false},
      {1, "L1", true, false},
      {2, "L2", true, false},
      {3, "L3", true, false},
      {4, "L4", true, true},
  }));
  CAPTURE(name);
  CHECK(c.tiers[i].name == name);
  CHECK_FALSE(c.tiers[i].title.empty());
  CHECK(c.tiers[i].accepts_tickets == accepts);
  CHECK(c.tiers[i].vendor == vendor);
  CHECK(c.tier_index(name) == i);
}

TEST_CASE("the default config gives L1 and L2 time limits for the sweep", "[config]") {
  Config c = default_cfg();
  CHECK(c.tiers[1].time_limit == std::chrono::seconds(30min));
  CHECK(c.tiers[2].time_limit == std::chrono::seconds(8h));
  CHECK_FALSE(c.tiers[0].time_limit);
  CHECK_FALSE(c.tiers[3].time_limit);
  CHECK_FALSE(c.tiers[4].time_limit);
}

TEST_CASE("the default config has priorities P1 to P5, each with SLA targets", "[config]") {
  Config c = default_cfg();
  REQUIRE(c.priorities.size() == 5);
  auto [i, name, title] = GENERATE(table<size_t, std::string, std::string>({
      {0, "P1", "Critical"},
      {1, "P2", "High"},
      {2, "P3", "Medium"},
      {3, "P4", "Low"},
      {4, "P5", "Planning"},
  }));
  CAPTURE(name);
  const Priority& p = c.priorities[i];
  CHECK(p.name == name);
  CHECK(p.title == title);
  CHECK(c.priority_index(name) == i);
  REQUIRE(p.first_response);
  REQUIRE(p.next_update);
  REQUIRE(p.resolution);
  // The targets are the config file's durations...
  const toml::table& raw = *c.raw["priorities"][i].as_table();
  CHECK(p.first_response == parse_duration(raw["first_response"].value_or(std::string())));
  CHECK(p.next_update == parse_duration(raw["next_update"].value_or(std::string())));
  CHECK(p.resolution == parse_duration(raw["resolution"].value_or(std::string())));
  // ...a response comes before the resolution, and a less urgent priority never has tighter targets.
  CHECK(*p.first_response <= *p.resolution);
  if (i > 0) {
    const Priority& more_urgent = c.priorities[i - 1];
    CHECK(*more_urgent.first_response <= *p.first_response);
    CHECK(*more_urgent.next_update <= *p.next_update);
    CHECK(*more_urgent.resolution <= *p.resolution);
  }
}

TEST_CASE("the most urgent default priority answers in 15 minutes and resolves in 4 hours", "[config]") {
  Config cfg = default_cfg();
  const Priority& p1 = cfg.priorities.at(0);  // not of the temporary: AddressSanitizer caught that
  CHECK(p1.first_response == std::chrono::seconds(15min));
  CHECK(p1.next_update == std::chrono::seconds(1h));
  CHECK(p1.resolution == std::chrono::seconds(4h));
}

TEST_CASE("durations in a config are read with parse_duration", "[config]") {
  Config c = parse_config(minimal + "first_response = \"1h30m\"\nnext_update = \"2d\"\nresolution = \"90s\"\n", "cfg.toml");
  CHECK(c.priorities[0].first_response == std::chrono::seconds(5400));
  CHECK(c.priorities[0].next_update == std::chrono::seconds(172800));
  CHECK(c.priorities[0].resolution == std::chrono::seconds(90));
  CHECK_FALSE(c.tiers[0].time_limit);
}

TEST_CASE("the default config's defaults, types, scales and vendors", "[config]") {
  Config c = default_cfg();
  CHECK(c.default_tier == "L1");
  CHECK(c.default_priority == "P3");
  CHECK(c.default_type == "incident");
  CHECK(c.types == std::vector<std::string>{"incident", "service-request", "problem", "question", "change"});
  CHECK(c.impacts == std::vector<std::string>{"high", "medium", "low"});
  CHECK(c.urgencies == std::vector<std::string>{"high", "medium", "low"});
  REQUIRE(c.vendors.size() == 2);
  CHECK(c.vendors[0].name == "acme-networks");
  CHECK(c.vendors[1].name == "contoso-cloud");
  CHECK(c.lowest_ticket_tier().name == "L1");
  CHECK_FALSE(c.tier_index("L9"));
  CHECK_FALSE(c.priority_index("P0"));
}

TEST_CASE("priority derives from impact x urgency through the matrix", "[config]") {
  Config c = default_cfg();
  auto [impact, urgency, priority] = GENERATE(table<std::string, std::string, std::string>({
      {"high", "high", "P1"},
      {"high", "medium", "P2"},
      {"high", "low", "P3"},
      {"medium", "high", "P2"},
      {"medium", "medium", "P3"},
      {"medium", "low", "P4"},
      {"low", "high", "P3"},
      {"low", "medium", "P4"},
      {"low", "low", "P5"},
  }));
  CAPTURE(impact, urgency);
  CHECK(c.derive_priority(impact, urgency) == priority);
}

TEST_CASE("the matrix gives no priority for values it does not know", "[config]") {
  Config c = default_cfg();
  CHECK_FALSE(c.derive_priority("huge", "high"));
  CHECK_FALSE(c.derive_priority("high", "someday"));
  CHECK_FALSE(c.derive_priority("", ""));
}

TEST_CASE("require_* accept configured values and reject others as usage errors listing the allowed ones", "[config]") {
  Config c = default_cfg();
  CHECK_NOTHROW(c.require_tier("L3"));
  CHECK_NOTHROW(c.require_priority("P5"));
  CHECK_NOTHROW(c.require_impact("low"));
  CHECK_NOTHROW(c.require_urgency("medium"));
  CHECK_NOTHROW(c.require_type("question"));
  auto check = [](auto&& f, const std::string& message, const std::string& hint) {
    try {
      f();
      FAIL("no error for " << message);
    } catch (const Error& e) {
      CHECK(e.kind() == ErrorKind::usage);  // a value not in the config is a wrong command line
      CHECK(std::string(e.what()) == message);
      CHECK(e.hint() == hint);
    }
  };
  check([&] { c.require_tier("L9"); }, "unknown tier 'L9'", "use one of: L0, L1, L2, L3, L4");
  check([&] { c.require_priority("urgent"); }, "unknown priority 'urgent'", "use one of: P1, P2, P3, P4, P5");
  check([&] { c.require_impact("huge"); }, "unknown impact 'huge'", "use one of: high, medium, low");
  check([&] { c.require_urgency("now"); }, "unknown urgency 'now'", "use one of: high, medium, low");
  check([&] { c.require_type("bug"); }, "unknown type 'bug'", "use one of: incident, service-request, problem, question, change");
}

TEST_CASE("a config without types accepts any type", "[config]") {
  Config c = parse_config(minimal, "cfg.toml");
  CHECK(c.types.empty());
  CHECK(c.default_type.empty());
  CHECK_NOTHROW(c.require_type("anything"));
}

TEST_CASE("a minimal config takes its defaults from its tiers and priorities", "[config]") {
  Config c = parse_config(R"(
[[tiers]]
name = "self"
accepts_tickets = false
[[tiers]]
name = "desk"
[[tiers]]
name = "eng"
[[priorities]]
name = "hi"
[[priorities]]
name = "mid"
[[priorities]]
name = "lo"
)",
                          "cfg.toml");
  CHECK(c.name == "desk");
  CHECK(c.default_tier == "desk");
  CHECK(c.lowest_ticket_tier().name == "desk");
  CHECK(c.default_priority == "mid");
  CHECK(c.vendors.empty());
  CHECK(c.matrix.empty());
}

TEST_CASE("config errors say path:line:column and what is wrong", "[config]") {
  auto [text, expected] = GENERATE_REF(table<std::string, std::string>({
      {"name = \"x\"\n[[tiers]]\nname = \"L1\"\n[[tiers]]\nname = \"L1\"\n[[priorities]]\nname = \"P1\"\n",
       "cfg.toml:4:1: tier 'L1' is defined twice"},
      {minimal + "[[priorities]]\nname = \"P1\"\n", "cfg.toml:7:1: priority 'P1' is defined twice"},
      {"[[tiers]]\nname = \"L1\"\ntime_limit = \"soon\"\n[[priorities]]\nname = \"P1\"\n",
       "cfg.toml:3:14: 'time_limit' must be a duration such as \"30m\" or \"1d\""},
      {"[[tiers]]\nname = \"L1\"\ntime_limit = 30\n[[priorities]]\nname = \"P1\"\n",
       "cfg.toml:3:14: 'time_limit' must be a duration such as \"30m\" or \"1d\""},
      {"[[tiers]]\nname = \"L1\"\n[[priorities]]\nname = \"P1\"\nresolution = \"4 hours\"\n",
       "cfg.toml:5:14: 'resolution' must be a duration such as \"30m\" or \"1d\""},
      {minimal + "[matrix.high]\nhigh = \"P0\"\n", "cfg.toml:8:8: matrix names unknown priority 'P0'"},
      {minimal + "[matrix.high]\nhigh = 1\n", "cfg.toml:8:8: matrix entries must be priority names"},
      {minimal + "[matrix]\nhigh = \"P1\"\n", "cfg.toml:8:8: matrix rows must be tables of urgency = priority"},
      {"[[tiers]]\nname = \"L1\"\naccepts_tickets = \"yes\"\n[[priorities]]\nname = \"P1\"\n",
       "cfg.toml:3:19: 'accepts_tickets' must be true or false"},
      {"name = 7\n" + minimal, "cfg.toml:1:8: 'name' must be a string"},
      {"types = \"incident\"\n" + minimal, "cfg.toml:1:9: 'types' must be an array of strings"},
      {"types = [\"incident\", 2]\n" + minimal, "cfg.toml:1:22: 'types' must be an array of strings"},
      {"tiers = \"L1\"\n[[priorities]]\nname = \"P1\"\n", "cfg.toml:1:9: 'tiers' must be an array of tables ([[tiers]])"},
      {"default_tier = \"L0\"\n[[tiers]]\nname = \"L0\"\naccepts_tickets = false\n[[tiers]]\nname = \"L1\"\n[[priorities]]\nname = \"P1\"\n",
       "cfg.toml:1:16: default_tier 'L0' is not a tier that accepts tickets"},
      {"default_tier = \"L7\"\n" + minimal, "cfg.toml:1:16: default_tier 'L7' is not a tier that accepts tickets"},
      {"default_priority = \"P9\"\n" + minimal, "cfg.toml:1:20: default_priority 'P9' is not a priority"},
      {"[[tiers]]\ntitle = \"no name\"\n[[priorities]]\nname = \"P1\"\n", "cfg.toml:1:1: every tier needs a name"},
      {"[[tiers]]\nname = \"L1\"\n[[priorities]]\ntitle = \"no name\"\n", "cfg.toml:3:1: every priority needs a name"},
      {"name = \"unterminated\n" + minimal, "cfg.toml:1:"},
      {"[[tiers]\nname = \"L1\"\n", "cfg.toml:1:"},
  }));
  CAPTURE(text);
  Error e = config_failure(text);
  CHECK_THAT(std::string(e.what()), Catch::StartsWith(expected));
  CHECK(e.hint() == "fix .desk/config.toml and commit it");
}

TEST_CASE("a config needs tiers, priorities and a tier that takes tickets", "[config]") {
  CHECK(config_error("[[priorities]]\nname = \"P1\"\n") == "cfg.toml: no [[tiers]] defined");
  CHECK(config_error("[[tiers]]\nname = \"L1\"\n") == "cfg.toml: no [[priorities]] defined");
  CHECK(config_error("[[tiers]]\nname = \"L0\"\naccepts_tickets = false\n[[priorities]]\nname = \"P1\"\n") ==
        "cfg.toml: no tier accepts tickets");
}

TEST_CASE("config_with_format puts format after the leading comments and keeps the rest", "[config][migrate]") {
  CHECK(config_with_format("# desk\n# more\n\nname = \"x\"\n[[tiers]]\nname = \"L1\"\n", 1) ==
        "# desk\n# more\n\nformat = 1\nname = \"x\"\n[[tiers]]\nname = \"L1\"\n");
  CHECK(config_with_format("[[tiers]]\nname = \"L1\"\n", 1) == "format = 1\n[[tiers]]\nname = \"L1\"\n");
  CHECK(config_with_format("", 1) == "format = 1\n");
  CHECK(config_with_format("# only a comment", 1) == "# only a comment\nformat = 1\n");
  // an existing top-level format line is replaced where it is; one inside a table is not top-level
  CHECK(config_with_format("name = \"x\"\nformat = 0\n", 1) == "name = \"x\"\nformat = 1\n");
  CHECK(config_with_format("formatting = \"x\"\n[t]\nformat = 7\n", 1) == "format = 1\nformatting = \"x\"\n[t]\nformat = 7\n");
  // the result is a config desk reads, at the format it names
  std::string text(default_config_text());
  text.erase(text.find("format = 1\n"), 11);
  CHECK(parse_config(text, "c").format == 0);
  CHECK(parse_config(config_with_format(text, 1), "c").format == 1);
  CHECK(config_with_format(std::string(default_config_text()), 1) == default_config_text());
}
