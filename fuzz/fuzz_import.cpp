// desk import (core/store/transfer): desk JSON, GitHub JSON and CSV. Input: one byte choosing
// the format ('j' desk JSON, 'g' GitHub, 'c' CSV, 'm' CSV with --map Subject=title, anything
// else: guessed as desk import does), then the source text. Properties:
//  - any text gives tickets, row errors or an Error, never a crash;
//  - every imported ticket is written as a file desk reads back to the same bytes;
//  - desk's JSON export of imported tickets imports back to the same files (lossless);
//  - CSV fields written by csv_field split back into the same fields.
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/model/config.hpp"
#include "core/model/ticket.hpp"
#include "core/store/transfer.hpp"
#include "core/util/error.hpp"
#include "fuzz/fuzz.hpp"

using namespace desk;

namespace {

const Config& config() {
  static const Config cfg = parse_config(default_config_text(), ".desk/config.toml");
  return cfg;
}

std::string files(const std::vector<Ticket>& tickets) {
  std::string s;
  for (const auto& t : tickets) s += emit_ticket(t) + "\n%%%%\n";
  return s;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  ImportOptions opt;
  opt.now = *parse_time("2026-11-23T09:00:00Z");
  opt.actor = "Ada Agent <ada@example.com>";
  switch (data[0]) {
    case 'j': opt.format = ImportFormat::json; break;
    case 'g': opt.format = ImportFormat::github; break;
    case 'c': opt.format = ImportFormat::csv; break;
    case 'm':
      opt.format = ImportFormat::csv;
      opt.map = {{"Subject", "title"}};
      break;
    default: opt.format = detect_import_format(text, "fuzz"); break;
  }
  if (opt.format == ImportFormat::csv) {
    std::vector<RowError> errors;
    auto records = parse_csv(text, errors);
    // A blank first line: a field starting with a byte order mark must not open the text
    // (parse_csv drops a leading one; desk's own CSV always opens with its header).
    std::string written = "\r\n";
    for (const auto& r : records) {
      for (size_t i = 0; i < r.fields.size(); ++i) written += (i ? "," : "") + csv_field(r.fields[i]);
      written += "\r\n";
    }
    std::vector<RowError> errors2;
    auto again = parse_csv(written, errors2);
    DESK_FUZZ_CHECK(errors2.empty(), written);
    // A record of one empty field is a blank line, which parse_csv skips.
    size_t blank = 0;
    for (const auto& r : records) blank += r.fields.size() == 1 && r.fields[0].empty();
    DESK_FUZZ_CHECK(again.size() + blank == records.size(), written);
    for (size_t i = 0, j = 0; i < records.size(); ++i) {
      if (records[i].fields.size() == 1 && records[i].fields[0].empty()) continue;
      DESK_FUZZ_CHECK(again[j++].fields == records[i].fields, written);
    }
  }
  ImportSource src;
  try {
    src = parse_import(text, config(), opt);
  } catch (const Error&) {
    return 0;
  }
  if (!src.errors.empty()) return 0;
  for (const auto& t : src.tickets) {
    std::string file = emit_ticket(t);
    Ticket back;
    try {
      back = parse_ticket(file, "imported.toml");
    } catch (const Error& e) {
      DESK_FUZZ_CHECK(false, std::string("an imported ticket's file does not parse: ") + e.what(), file);
    }
    DESK_FUZZ_CHECK(emit_ticket(back) == file, emit_ticket(back), file);
  }
  // Export and import again: the same ticket files.
  std::string json = export_json(src.tickets);
  ImportOptions jopt = opt;
  jopt.format = ImportFormat::json;
  jopt.map.clear();
  ImportSource again;
  try {
    again = parse_import(json, config(), jopt);
  } catch (const Error& e) {
    DESK_FUZZ_CHECK(false, std::string("desk's own export does not import: ") + e.what(), json);
  }
  std::string errors;
  for (const auto& e : again.errors) errors += e.where + ": " + e.message + "\n";
  DESK_FUZZ_CHECK(again.errors.empty(), errors, json);
  DESK_FUZZ_CHECK(files(again.tickets) == files(src.tickets), files(again.tickets), files(src.tickets));
  (void)export_csv(src.tickets);
  auto plan = plan_import(src.tickets, [](const std::string&) { return std::optional<std::string>(); });
  DESK_FUZZ_CHECK(plan.added.size() == src.tickets.size());
  return 0;
}
