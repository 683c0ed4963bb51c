#pragma once
// A small JSON writer for --json output. Field names are the ticket file's TOML keys.
#include <toml++/toml.h>

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/sla/sla.hpp"
#include "core/model/ticket.hpp"

namespace desk {

/// Version of desk's JSON shapes, carried as "desk_format" so scripts can detect changes.
inline constexpr int json_format = 1;

class JsonWriter {
 public:
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
  std::string out_;
  std::vector<bool> first_;  // per open container: no element written yet
  bool after_key_ = false;
};

/// Escapes a string as a JSON string literal, quotes included.
std::string json_quote(std::string_view s);

/// Writes SLA clocks as a JSON array.
void write_clocks_json(JsonWriter& w, const std::vector<ClockStatus>& clocks);

/// Writes a ticket as a JSON object.
void write_ticket_json(JsonWriter& w, const Ticket& t);

/// Writes a ticket's fields into an object the caller has opened.
void write_ticket_fields(JsonWriter& w, const Ticket& t);

}  // namespace desk
