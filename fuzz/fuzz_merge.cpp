// The three-way ticket merge (invariant 4). Input: up to three ticket files separated by a line
// "%%%%" (base, ours, theirs; ours and theirs take the base's id). Properties:
//  - symmetry: merge(o, a, b) and merge(o, b, a) write the same bytes, with and without a base;
//  - nothing lost: every history entry id of either side is in the result;
//  - the result is a ticket desk reads back to the same bytes;
//  - a side that changed nothing gives the other: merge(a, a, b) == b when b grew from a
//    (b's history continues a's, as every desk command leaves it).
#include <cstddef>
#include <cstdint>
#include <set>
#include <string>

#include "core/model/ticket.hpp"
#include "core/store/merge.hpp"
#include "core/util/error.hpp"
#include "fuzz/fuzz.hpp"

using namespace desk;

namespace {

std::optional<Ticket> parse(std::string_view text) {
  try {
    return parse_ticket(text, "fuzz.toml");
  } catch (const Error&) {
    return std::nullopt;
  }
}

// History entries with an id already seen dropped (a desk never writes two).
void unique_history(Ticket& t) {
  std::set<std::string> seen;
  std::vector<HistoryEntry> kept;
  for (auto& e : t.history)
    if (seen.insert(e.id).second) kept.push_back(std::move(e));
  t.history = std::move(kept);
}

// `next` as a later version of `base`: same ticket, same creation, its history continuing base's.
Ticket descendant(const Ticket& base, Ticket next) {
  next.id = base.id;
  next.created = base.created;
  next.format = std::max(base.format, next.format);
  next.updated = std::max(base.updated, next.updated);
  std::set<std::string> have;
  for (const auto& e : base.history) have.insert(e.id);
  std::vector<HistoryEntry> history = base.history;
  for (auto& e : next.history)
    if (have.insert(e.id).second) history.push_back(std::move(e));
  next.history = std::move(history);
  return next;
}

std::string merged(const std::optional<Ticket>& b, const Ticket& x, const Ticket& y) {
  return emit_ticket(merge_tickets(b, x, y).ticket);
}

void check_merge(const std::optional<Ticket>& base, const Ticket& a, const Ticket& b) {
  MergeOutcome m = merge_tickets(base, a, b);
  std::string ab = emit_ticket(m.ticket);
  std::string ba = merged(base, b, a);
  DESK_FUZZ_CHECK(ab == ba, ab, ba);
  std::set<std::string> ids;
  for (const auto& e : m.ticket.history) ids.insert(e.id);
  for (const Ticket* side : {&a, &b})
    for (const auto& e : side->history) DESK_FUZZ_CHECK(ids.count(e.id), "history entry " + e.id + " was lost", ab);
  std::optional<Ticket> back = parse(ab);
  DESK_FUZZ_CHECK(back.has_value(), "the merged ticket does not parse", ab);
  DESK_FUZZ_CHECK(emit_ticket(*back) == ab, emit_ticket(*back), ab);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto parts = desk_fuzz::split_input(std::string_view(reinterpret_cast<const char*>(data), size), "\n%%%%\n");
  if (parts.size() < 2) return 0;
  std::optional<Ticket> o = parse(parts[0]), a = parse(parts[1]), b = parts.size() > 2 ? parse(parts[2]) : std::nullopt;
  if (!o || !a) return 0;
  if (!b) b = *o;
  a->id = b->id = o->id;
  check_merge(o, *a, *b);
  check_merge(std::nullopt, *a, *b);

  unique_history(*o);
  Ticket grown = descendant(*o, *a);
  std::string want = emit_ticket(grown);
  std::string got = merged(o, *o, grown);
  DESK_FUZZ_CHECK(got == want, got, want);
  got = merged(o, grown, *o);
  DESK_FUZZ_CHECK(got == want, got, want);
  // Both sides grew from the base: nothing of either is lost, and the order of the sides does not matter.
  check_merge(o, grown, descendant(*o, *b));
  return 0;
}
