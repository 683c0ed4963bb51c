// .desk/config.toml: any text either parses into a config or is refused with an Error; a parsed
// config drives SLA clocks of a ticket under every priority and tier, and the key-by-key merge
// rewrites it canonically into a config that parses the same. Input: a config file's text.
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/model/config.hpp"
#include "core/model/ticket.hpp"
#include "core/sla/sla.hpp"
#include "core/store/merge.hpp"
#include "core/util/error.hpp"
#include "fuzz/fuzz.hpp"

using namespace desk;

namespace {

// The tiers, priorities and calendars of a config, as text to compare.
std::string summary(const Config& c) {
  std::string s = c.name + "|" + c.default_tier + "|" + c.default_priority + "|" + c.default_type + "|" + c.default_calendar + "\n";
  for (const auto& t : c.tiers) s += "tier " + t.name + " " + t.title + (t.accepts_tickets ? " a" : "") + (t.vendor ? " v" : "") + "\n";
  for (const auto& p : c.priorities) s += "priority " + p.name + " " + p.title + " " + p.calendar + "\n";
  for (const auto& [name, cal] : c.calendars) s += "calendar " + name + " " + cal.zone_name() + "\n";
  for (const auto& [i, row] : c.matrix)
    for (const auto& [u, p] : row) s += "matrix " + i + " " + u + " " + p + "\n";
  return s;
}

Timestamp at(int64_t seconds) { return Timestamp{std::chrono::seconds{seconds}}; }

HistoryEntry entry(const char* id, int64_t when, const char* action, const char* status = "") {
  HistoryEntry e;
  e.id = id;
  e.at = at(when);
  e.by = "Ada <ada@example.com>";
  e.action = action;
  e.status = status;
  return e;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  Config cfg;
  try {
    cfg = parse_config(text, ".desk/config.toml");
  } catch (const Error&) {
    return 0;
  }
  // Clocks of a ticket that was answered, waited on the customer, resumed and resolved.
  constexpr int64_t t0 = 1795000000;  // 2026-11-18
  for (const auto& prio : cfg.priorities)
    for (const auto& tier : cfg.tiers) {
      Ticket t;
      t.id = "7kq2x9abcd";
      t.title = "fuzz";
      t.status = "resolved";
      t.tier = tier.name;
      t.priority = prio.name;
      t.created = at(t0);
      try {
        t.sla = policy_for(cfg, prio.name);
      } catch (const Error&) {
        continue;
      }
      t.history = {entry("a0", t0, "create", "new"), entry("a1", t0 + 3600, "comment"),
                   entry("a2", t0 + 7200, "wait", "pending"), entry("a3", t0 + 90000, "resume", "open"),
                   entry("a4", t0 + 400000, "resolve", "resolved")};
      t.history[2].on = "customer";
      try {
        for (const auto& c : compute_clocks(t, cfg, at(t0 + 900000))) {
          DESK_FUZZ_CHECK(c.elapsed.count() >= 0, c.name);
          DESK_FUZZ_CHECK(c.paused_time.count() >= 0, c.name);
        }
      } catch (const Error&) {
      }
    }
  // Rewritten key by key (as a merge with nothing to settle does), it is still the same config.
  std::string merged;
  try {
    merged = merge_toml_by_key(std::nullopt, text, text, ".desk/config.toml");
  } catch (const Error& e) {
    DESK_FUZZ_CHECK(false, std::string("merging a config with itself failed: ") + e.what());
  }
  Config again;
  try {
    again = parse_config(merged, ".desk/config.toml");
  } catch (const Error& e) {
    DESK_FUZZ_CHECK(false, std::string("the canonical rewrite does not parse: ") + e.what(), merged);
  }
  DESK_FUZZ_CHECK(summary(cfg) == summary(again), summary(cfg), summary(again));
  std::string twice = merge_toml_by_key(std::nullopt, merged, merged, ".desk/config.toml");
  DESK_FUZZ_CHECK(twice == merged, twice, merged);
  return 0;
}
