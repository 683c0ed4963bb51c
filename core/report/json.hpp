#pragma once
// A small JSON writer for --json output. Field names are the ticket file's TOML keys.
#include <toml++/toml.h>

#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/sla/sla.hpp"
#include "core/model/ticket.hpp"

namespace desk {

/// Version of desk's JSON shapes, carried as "desk_format" so scripts can detect changes.
/// 2: people as {name, email} objects, "assignee" always present (null when unassigned), log
/// entries with a "tickets" array. 1, the older shape, is still printed on request
/// (--json-format 1) for one release.
inline constexpr int json_format = 2;
inline constexpr int json_format_oldest = 1;

class JsonWriter {
 public:
  explicit JsonWriter(int format = json_format) : format_(format) {}
  /// The JSON format version this writer prints (desk_format).
  int format() const { return format_; }
  /// `{"desk_format": N`: the start of every document desk prints.
  JsonWriter& begin_document();
  /// A person as recorded ("Name <email>"): a string in format 1; in format 2 an object
  /// {name, email} (null for a missing part) with "text" when the recorded text is not exactly
  /// what name and email spell, so nothing is lost; null for nobody.
  JsonWriter& person(std::string_view p);
  /// A duration as two members: `k` as desk writes durations ("1h30m") and `k`_seconds, an
  /// integer a script can compare.
  JsonWriter& duration(std::string_view k, std::chrono::seconds d);
  /// Keys of the objects at container depth `depth` (1: the document's members) that are not
  /// in `keys` are left out with their values; nullptr keeps every key.
  void only_keys(const std::set<std::string, std::less<>>* keys, size_t depth) {
    only_ = keys;
    only_depth_ = depth;
  }
  JsonWriter& begin_object();
  JsonWriter& end_object();
  JsonWriter& begin_array();
  JsonWriter& end_array();
  JsonWriter& key(std::string_view k);
  JsonWriter& value(std::string_view s);
  JsonWriter& value(const char* s) { return value(std::string_view(s)); }
  JsonWriter& value(const std::string& s) { return value(std::string_view(s)); }
  JsonWriter& value(long long n);
  JsonWriter& value(int n) { return value(static_cast<long long>(n)); }
  JsonWriter& value(size_t n) { return value(static_cast<long long>(n)); }
  JsonWriter& value(double d);
  JsonWriter& value(bool b);
  JsonWriter& null();
  JsonWriter& toml(const toml::node& n);
  /// key + string value, skipped when the value is empty.
  JsonWriter& field(std::string_view k, std::string_view v);
  const std::string& str() const { return out_; }
  /// What has been written since the last take(), for output streamed piece by piece; the
  /// writer keeps its place (open containers, commas).
  std::string take() { return std::exchange(out_, std::string()); }

 private:
  void before_value();
  void newline();
  bool skipping();
  int format_;
  const std::set<std::string, std::less<>>* only_ = nullptr;
  size_t only_depth_ = 0;
  size_t skip_ = 0;  // > 0: leaving out a value; 1 + the containers open inside it
  std::string out_;
  std::vector<bool> first_;  // per open container: no element written yet
  bool after_key_ = false;
};

/// Escapes a string as a JSON string literal, quotes included.
std::string json_quote(std::string_view s);

/// Writes SLA clocks as a JSON array. Durations are strings such as "1h30m" and, beside each,
/// integer seconds ("target_seconds").
void write_clocks_json(JsonWriter& w, const std::vector<ClockStatus>& clocks);

/// Writes a ticket as a JSON object.
void write_ticket_json(JsonWriter& w, const Ticket& t);

/// Writes a ticket's fields into an object the caller has opened.
void write_ticket_fields(JsonWriter& w, const Ticket& t);

}  // namespace desk
