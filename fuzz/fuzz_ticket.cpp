// Ticket files: parse -> emit -> parse -> emit is stable, what desk emits always parses back, the
// fast reader for canonical files agrees with toml++, and the index's binary form is lossless.
// Input: a ticket file's text.
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/model/ticket.hpp"
#include "core/model/ticket_codec.hpp"
#include "core/util/error.hpp"
#include "fuzz/fuzz.hpp"

using namespace desk;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  std::optional<Ticket> fast = parse_canonical_ticket(text);
  Ticket t;
  try {
    t = parse_ticket_toml(text, "fuzz.toml");
  } catch (const Error& e) {
    DESK_FUZZ_CHECK(!fast, std::string("the fast reader accepted a file toml++ refuses: ") + e.what());
    return 0;
  }
  std::string once = emit_ticket(t);
  if (fast) {
    // Accepted only when it re-emits to the input itself, and then it must read what toml++ reads.
    DESK_FUZZ_CHECK(emit_ticket(*fast) == text, emit_ticket(*fast), text);
    DESK_FUZZ_CHECK(once == text, once, text);
  }
  Ticket again;
  try {
    again = parse_ticket(once, "emitted.toml");
  } catch (const Error& e) {
    DESK_FUZZ_CHECK(false, std::string("desk's own output does not parse: ") + e.what(), once);
  }
  std::string twice = emit_ticket(again);
  DESK_FUZZ_CHECK(once == twice, once, twice);
  // What desk writes is canonical: toml++ and the fast reader read it alike.
  Ticket slow_again = parse_ticket_toml(once, "emitted.toml");
  DESK_FUZZ_CHECK(emit_ticket(slow_again) == once, emit_ticket(slow_again), once);
  // The index's binary form gives the same ticket back.
  if (auto code = encode_ticket(t)) {
    std::string decoded = emit_ticket(decode_ticket(*code));
    DESK_FUZZ_CHECK(decoded == once, decoded, once);
  }
  // A reader that skips files by their status line must see the status the file has.
  if (auto st = peek_status(text)) DESK_FUZZ_CHECK(*st == t.status, *st, t.status);
  return 0;
}
