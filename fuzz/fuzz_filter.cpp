// The list filter (cli/filters, core/store/query): what `desk list` and `desk export` make of
// their filter options. Input: lines, each the value of one option as typed (commas separate
// values): --status, --tier, --priority, --type, --tag, --assignee, --text, --sort, --due-within.
// Properties: a value the config does not know is a usage Error, never a crash; an accepted
// filter holds only known statuses, tiers and priorities, and no value with a comma; matches()
// agrees with status_wanted(); the sort order is a permutation; durations read back exactly.
#include <cstddef>
#include <cstdint>
#include <string>

#include "cli/filters.hpp"
#include "core/model/config.hpp"
#include "core/model/ticket.hpp"
#include "core/store/query.hpp"
#include "core/util/error.hpp"
#include "core/util/timeutil.hpp"
#include "fuzz/fuzz.hpp"

using namespace desk;

namespace {

const Config& config() {
  static const Config cfg = parse_config(default_config_text(), ".desk/config.toml");
  return cfg;
}

// Tickets of every status, tier and priority of the default config.
const std::vector<Ticket>& tickets() {
  static const std::vector<Ticket> all = [] {
    std::vector<Ticket> out;
    const Config& c = config();
    size_t n = 0;
    for (const auto& status : all_statuses)
      for (const auto& tier : c.tiers)
        for (const auto& prio : c.priorities) {
          Ticket t;
          t.id = std::string("7kq2x9ab") + "0123456789abcdefghjkmnpqrstvwxyz"[n % 32] + "0123456789abcdefghjkmnpqrstvwxyz"[n / 32 % 32];
          t.title = "Ticket " + std::to_string(n);
          t.status = status;
          t.tier = tier.name;
          t.priority = prio.name;
          t.type = n % 2 ? "incident" : "request";
          t.tags = n % 3 ? std::vector<std::string>{"vpn"} : std::vector<std::string>{"vpn", "printer"};
          t.assignee = n % 4 ? "ada" : "";
          t.description = n % 5 ? "VPN drops" : "Printer jams";
          t.created = Timestamp{std::chrono::seconds{1795000000 + static_cast<int64_t>(n % 7) * 3600}};
          t.updated = t.created;
          out.push_back(std::move(t));
          ++n;
        }
    return out;
  }();
  return all;
}

std::vector<std::string> one(std::string_view line) { return line.empty() ? std::vector<std::string>{} : std::vector<std::string>{std::string(line)}; }

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto lines = desk_fuzz::split_input(std::string_view(reinterpret_cast<const char*>(data), size), "\n");
  lines.resize(std::max<size_t>(lines.size(), 9));
  ListFilter f;
  f.statuses = one(lines[0]);
  f.tiers = one(lines[1]);
  f.priorities = one(lines[2]);
  f.types = one(lines[3]);
  f.tags = one(lines[4]);
  f.assignees = one(lines[5]);
  f.text = std::string(lines[6]);
  f.all = !lines[6].empty() && lines[6][0] == '*';
  ListFilter checked;
  bool ok = true;
  try {
    cli::FilterTimes times;
    times.created_since = std::string(lines[7]);
    times.closed_until = std::string(lines[8]);
    checked = cli::checked_filter(f, config(), times, Timestamp{std::chrono::seconds{1795000000}});
  } catch (const Error& e) {
    DESK_FUZZ_CHECK(e.kind() == ErrorKind::usage, e.what());
    ok = false;
  }
  if (ok) {
    for (const auto* list : {&checked.statuses, &checked.tiers, &checked.priorities, &checked.types, &checked.tags})
      for (const auto& v : *list) DESK_FUZZ_CHECK(v.find(',') == std::string::npos, v);
    for (const auto& st : checked.statuses)
      DESK_FUZZ_CHECK(std::find(all_statuses.begin(), all_statuses.end(), st) != all_statuses.end(), st);
    for (const auto& t : checked.tiers) DESK_FUZZ_CHECK(config().tier_index(t).has_value(), t);
    for (const auto& p : checked.priorities) DESK_FUZZ_CHECK(config().priority_index(p).has_value(), p);
    for (const auto& t : tickets())
      if (matches(t, checked)) {
        DESK_FUZZ_CHECK(status_wanted(checked, t.status), t.status);
        DESK_FUZZ_CHECK(!checked.created_since || t.created >= *checked.created_since, t.id);
        DESK_FUZZ_CHECK(!checked.closed_until || (closed_at(t) && *closed_at(t) <= *checked.closed_until), t.id);
      }
  }
  std::vector<SortFields> heads;
  std::vector<std::optional<Timestamp>> due;
  for (const auto& t : tickets()) {
    heads.push_back(SortFields::of(t));
    due.push_back(t.priority == "P1" ? std::optional<Timestamp>(t.created) : std::nullopt);
  }
  try {
    auto order = sorted_order(heads, cli::comma_values(one(lines[7])), config(), due);
    std::vector<size_t> sorted = order;
    std::sort(sorted.begin(), sorted.end());
    for (size_t i = 0; i < sorted.size(); ++i) DESK_FUZZ_CHECK(sorted[i] == i, "the sort order is not a permutation");
    DESK_FUZZ_CHECK(sorted.size() == heads.size(), "the sort order is not a permutation");
  } catch (const Error& e) {
    DESK_FUZZ_CHECK(e.kind() == ErrorKind::usage, e.what());
  }
  if (auto d = parse_duration(lines[8])) {
    DESK_FUZZ_CHECK(d->count() >= 0, std::string(lines[8]));
    std::string exact = format_duration_exact(*d);
    auto back = parse_duration(exact);
    DESK_FUZZ_CHECK(back && *back == *d, exact, std::string(lines[8]));
    (void)format_duration(*d);
    Timestamp now{std::chrono::seconds{1795000000}};
    (void)(now + *d);  // as desk list --due-within does
  }
  return 0;
}
