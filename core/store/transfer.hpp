#pragma once
// Import and export of tickets as pure functions: source text -> tickets and row errors, tickets
// -> JSON or CSV text, and the plan that turns imported tickets into one commit's files.
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/model/config.hpp"
#include "core/store/desk.hpp"
#include "core/report/json.hpp"
#include "core/model/ticket.hpp"
#include "core/util/timeutil.hpp"

namespace desk {

enum class ImportFormat {
  json,    // desk's own export (`desk export --json`), lossless
  csv,     // a help-desk CSV with a header row, columns mapped to ticket fields
  github,  // `gh issue list --json number,title,body,state,labels,assignees,createdAt,closedAt,comments`
};

/// The format named json, csv or github, or nullopt.
std::optional<ImportFormat> parse_import_format(std::string_view name);

/// Guesses the format: a .csv file name or text not starting with '[' or '{' is CSV; an array
/// whose first element has a "number" is GitHub's; other JSON is desk's.
ImportFormat detect_import_format(std::string_view text, std::string_view file_name);

/// A record of the source that cannot be imported: its line (1-based; for JSON the line where
/// the array element starts), where in the source ("tickets[3]", "issue #12"; empty for CSV) and why.
struct RowError {
  size_t line = 0;
  std::string where;
  std::string message;
};

struct ImportOptions {
  ImportFormat format = ImportFormat::json;
  std::vector<std::pair<std::string, std::string>> map;  // CSV: column -> field
  Timestamp now{};    // stands in for a missing CSV creation time
  std::string actor;  // "Name <email>": requester and author when the source names none
};

struct ImportSource {
  std::vector<Ticket> tickets;       // in source order, each with an id derived from the source
  std::vector<RowError> errors;      // when not empty, nothing may be imported
  std::vector<std::string> notes;    // e.g. CSV columns no field takes
};

/// The deepest a JSON source may nest arrays and objects (a ticket's own TOML nesting is bounded
/// by max_toml_depth, which its export keeps well within this).
inline constexpr size_t max_json_depth = 256;

/// Parses a source into tickets, validating each record against the config. Bad records are
/// collected in `errors`, not thrown. Throws Error(invalid) when the text as a whole is not JSON
/// or nests deeper than max_json_depth (with line and column), and Error(usage) for a bad column mapping.
ImportSource parse_import(std::string_view text, const Config& cfg, const ImportOptions& opt);

/// The CSV field names a column can map to with --map COLUMN=FIELD (besides `-` to skip it and
/// lowercase names of keys desk does not know, kept as strings).
const std::vector<std::string>& csv_import_fields();

struct CsvRecord {
  size_t line = 0;  // where the record starts
  std::vector<std::string> fields;
};

/// Splits RFC 4180 CSV (quoted fields may hold commas, quotes as "" and line breaks; CRLF or LF).
/// Malformed records go to `errors` with their line.
std::vector<CsvRecord> parse_csv(std::string_view text, std::vector<RowError>& errors);

/// One CSV field, quoted when it holds a comma, quote, CR or LF.
std::string csv_field(std::string_view s);

/// True when a spreadsheet could take a cell starting like s for a formula (=, +, -, @, tab,
/// CR), or s starts with the ' that marks such a cell.
bool csv_needs_guard(std::string_view s);

/// One cell of desk's CSV export, spreadsheet-safe: the text as a terminal shows it
/// (strip_controls: escape sequences removed, other controls visible as ^X or <U+XXXX>), and a
/// cell that csv_needs_guard is quoted with a ' in front, as OWASP recommends against formula
/// injection. Importing desk's own export (is_desk_csv_header) takes that ' off again.
std::string csv_export_cell(std::string_view s);

/// True for the header row desk's CSV export writes (csv_export_columns, in order): such a CSV
/// is desk's own, whose cells starting with ' carry the guard csv_export_cell added.
bool is_desk_csv_header(const std::vector<std::string>& header);

/// Tickets as desk's JSON export: {"desk_format": 1, "tickets": [...]} with the ticket file's
/// keys; TOML values JSON cannot tell apart (dates, times, whole floats) are tagged so an
/// import restores them.
std::string export_json(const std::vector<Ticket>& tickets);

/// The columns of export_csv, in order.
const std::vector<std::string>& csv_export_columns();

/// Tickets as CSV (RFC 4180, CRLF): a header row of csv_export_columns(), one row per ticket,
/// each cell written by csv_export_cell; tags joined with commas; history and unknown keys are
/// left out.
std::string export_csv(const std::vector<Ticket>& tickets);

/// export_json or export_csv piece by piece, so a large desk streams: begin(), ticket() for each
/// ticket in order, end(); each returns the text to append.
class ExportStream {
 public:
  explicit ExportStream(bool csv, JsonWriter w = JsonWriter()) : csv_(csv), w_(std::move(w)) {}
  /// Only these keys of each ticket (JSON; "id" always) or these columns (CSV, in the order of
  /// csv_export_columns); nullptr for all. The set must outlive the stream.
  void only(const std::set<std::string, std::less<>>* fields);
  std::string begin();
  std::string ticket(const Ticket& t);
  std::string end();

 private:
  bool csv_;
  JsonWriter w_;
  std::vector<std::string> columns_ = csv_export_columns();
};

/// A ticket id derived from a source key: the same key always gives the same valid id.
std::string stable_ticket_id(std::string_view key);

/// What an import changes: a file for each ticket not yet in the desk. A ticket already there
/// is `unchanged` when its file is identical and `kept` (the desk's version wins) otherwise.
struct ImportPlan {
  std::vector<FileWrite> files;
  std::vector<std::string> added, unchanged, kept;
};

/// Plans an import against the files `read` returns (nullopt: no such file); `progress` is
/// called with (done, total) as tickets are compared.
ImportPlan plan_import(const std::vector<Ticket>& tickets,
                       const std::function<std::optional<std::string>(const std::string& path)>& read,
                       const std::function<void(size_t, size_t)>& progress = {});

}  // namespace desk
