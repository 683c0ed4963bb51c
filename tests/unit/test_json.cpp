#include <limits>
#include <string>

#include "catch.hpp"
#include "core/report/json.hpp"
#include "core/util/person.hpp"
#include "core/util/text.hpp"
#include "core/model/ticket.hpp"

using namespace desk;
using namespace std::string_literals;

TEST_CASE("json_quote escapes quotes, backslashes and every control character", "[json]") {
  auto [input, expected] = GENERATE(table<std::string, std::string>({
      {"plain", "\"plain\""},
      {"", "\"\""},
      {"say \"hi\"", "\"say \\\"hi\\\"\""},
      {"back\\slash", "\"back\\\\slash\""},
      {"a\nb\tc\rd", "\"a\\nb\\tc\\rd\""},
      {"\b\f", "\"\\b\\f\""},
      {"nul "s + '\0', "\"nul \\u0000\""},
      {"esc \x1b[31m", "\"esc \\u001b[31m\""},
      {"del \x7f", "\"del \\u007f\""},
      {"c1 \xc2\x85\xc2\x9b", "\"c1 \\u0085\\u009b\""},
      {"nbsp \xc2\xa0", "\"nbsp \xc2\xa0\""},
      {"caf\xc3\xa9 \xe6\x97\xa5 \xf0\x9f\x98\x80", "\"caf\xc3\xa9 \xe6\x97\xa5 \xf0\x9f\x98\x80\""},
      {"</script>", "\"</script>\""},
      {"rlo \xe2\x80\xae" "evil\xe2\x80\xac", "\"rlo \\u202eevil\\u202c\""},             // bidi controls: data kept, escaped
      {"\xe2\x81\xa6" "x\xe2\x81\xa9 \xe2\x80\x8e\xe2\x80\x8f\xd8\x9c", "\"\\u2066x\\u2069 \\u200e\\u200f\\u061c\""},
      {"zwj \xe2\x80\x8d arabic \xd8\xb9", "\"zwj \xe2\x80\x8d arabic \xd8\xb9\""},          // not controls
  }));
  CAPTURE(input);
  CHECK(json_quote(input) == expected);
}

TEST_CASE("json_quote never produces invalid UTF-8", "[json]") {
  // JSON text must be UTF-8 (RFC 8259). Commit authors, subjects and bodies that `desk log --json`
  // prints come from git, which allows any bytes; json_quote copies invalid bytes through.
  for (std::string bad : {"caf\xe9"s, "\xff\xfe"s, "cut \xe2\x82"s}) {
    CAPTURE(bad);
    CHECK_FALSE(has_controls(json_quote(bad), false));
  }
}

TEST_CASE("JsonWriter writes indented objects and arrays, and empty ones inline", "[json]") {
  JsonWriter w;
  w.begin_object();
  w.key("n").value(3);
  w.key("big").value(static_cast<long long>(1) << 40);
  w.key("x").value(0.5);
  w.key("nan").value(std::numeric_limits<double>::quiet_NaN());
  w.key("ok").value(true);
  w.key("none").null();
  w.field("skipped", "");
  w.field("kept", "v");
  w.key("list").begin_array().value("a").value(1).begin_object().end_object().end_array();
  w.key("empty").begin_array().end_array();
  w.end_object();
  CHECK(w.str() ==
        "{\n"
        "  \"n\": 3,\n"
        "  \"big\": 1099511627776,\n"
        "  \"x\": 0.5,\n"
        "  \"nan\": null,\n"
        "  \"ok\": true,\n"
        "  \"none\": null,\n"
        "  \"kept\": \"v\",\n"
        "  \"list\": [\n"
        "    \"a\",\n"
        "    1,\n"
        "    {}\n"
        "  ],\n"
        "  \"empty\": []\n"
        "}\n");
}

TEST_CASE("JsonWriter writes TOML values: scalars as themselves, dates and times as strings", "[json]") {
  toml::table t = toml::parse(R"(
s = "text"
i = 42
f = 1.5
b = false
d = 2026-11-22
dt = 2026-11-22T09:00:00Z
a = [1, "two"]
[sub]
k = "v"
)",
                              std::string_view("x.toml"));
  JsonWriter w;
  w.toml(t);
  std::string out = w.str();
  CHECK_THAT(out, Catch::Contains("\"s\": \"text\""));
  CHECK_THAT(out, Catch::Contains("\"i\": 42"));
  CHECK_THAT(out, Catch::Contains("\"f\": 1.5"));
  CHECK_THAT(out, Catch::Contains("\"b\": false"));
  CHECK_THAT(out, Catch::Contains("\"d\": \"2026-11-22\""));
  CHECK_THAT(out, Catch::Contains("\"dt\": \"2026-11-22T09:00:00Z\""));
  CHECK_THAT(out, Catch::Contains("\"a\": [\n"));
  CHECK_THAT(out, Catch::Contains("\"sub\": {\n"));
}

TEST_CASE("a ticket as JSON uses the ticket file's field names and leaves out empty ones", "[json]") {
  Ticket t = parse_ticket(R"(id = "7kq2x9ab3d"
title = "VPN \"drops\""
status = "pending"
waiting_on = "customer"
tier = "L2"
tags = ["vpn"]
created = 2026-11-22T09:00:00Z
csat = 4
x_custom = "kept"

[[checklist]]
text = "step"
done = true

[[history]]
id = "aaaaaaaaaa"
at = 2026-11-22T09:00:00Z
by = "Alice <a@example.com>"
action = "comment"
internal = true
text = "note"
)",
                          "t.toml");
  JsonWriter w;
  write_ticket_json(w, t);
  std::string out = w.str();
  CHECK_THAT(out, Catch::StartsWith("{\n  \"format\": 1,\n  \"id\": \"7kq2x9ab3d\",\n  \"title\": \"VPN \\\"drops\\\"\",\n"));
  CHECK_THAT(out, Catch::Contains("\"waiting_on\": \"customer\""));
  CHECK_THAT(out, Catch::Contains("\"tags\": [\n    \"vpn\"\n  ]"));
  CHECK_THAT(out, Catch::Contains("\"updated\": \"2026-11-22T09:00:00Z\""));
  CHECK_THAT(out, Catch::Contains("\"csat\": 4"));
  CHECK_THAT(out, Catch::Contains("\"x_custom\": \"kept\""));
  CHECK_THAT(out, Catch::Contains("\"done\": true"));
  CHECK_THAT(out, Catch::Contains("\"internal\": true"));
  CHECK_THAT(out, Catch::Contains("\"assignee\": null"));  // format 2: always there
  CHECK(out.find("\"priority\"") == std::string::npos);
  CHECK(out.back() == '\n');
}

TEST_CASE("split_person and join_person read people the way desk records them", "[json][person]") {
  auto [text, name, email, canonical] = GENERATE(table<std::string, std::string, std::string, bool>({
      {"Ada Agent <ada@example.com>", "Ada Agent", "ada@example.com", true},
      {"bo", "bo", "", true},
      {"kim@example.com", "", "kim@example.com", true},
      {"<ops@example.com>", "", "ops@example.com", false},
      {"\"Kim, Sales\" <kim@example.com>", "Kim, Sales", "kim@example.com", false},
      {"a <b> <c@d>", "a <b> <c@d>", "", true},  // more brackets than one address: all name
      {"Ada <b <a@x>>", "Ada <b <a@x>>", "", true},
      {" ", "", "", false},
      {"Bo Lind", "Bo Lind", "", true},
  }));
  PersonParts p = split_person(text);
  CHECK(p.name == name);
  CHECK(p.email == email);
  CHECK((join_person(p) == text) == canonical);
}

TEST_CASE("JsonWriter::person: an object in format 2 with the text when it differs, a string in format 1", "[json][person]") {
  JsonWriter w2;
  w2.begin_array().person("Ada Agent <ada@example.com>").person("bo").person("").person("<ops@example.com>").end_array();
  CHECK(w2.str() ==
        "[\n  {\n    \"name\": \"Ada Agent\",\n    \"email\": \"ada@example.com\"\n  },\n  {\n    \"name\": \"bo\",\n    \"email\": null\n  },\n"
        "  null,\n  {\n    \"name\": null,\n    \"email\": \"ops@example.com\",\n    \"text\": \"<ops@example.com>\"\n  }\n]\n");
  JsonWriter w1(1);
  w1.begin_array().person("Ada Agent <ada@example.com>").person("").end_array();
  CHECK(w1.str() == "[\n  \"Ada Agent <ada@example.com>\",\n  \"\"\n]\n");
}

TEST_CASE("JsonWriter::only_keys leaves out other keys at one depth, with whatever they hold", "[json]") {
  std::set<std::string, std::less<>> keep = {"id", "tags"};
  JsonWriter w;
  w.only_keys(&keep, 2);
  w.begin_array().begin_object();
  w.key("id").value("a").key("history").begin_array().begin_object().key("id").value("x").end_object().end_array();
  w.key("n").value(3).key("tags").begin_array().value("vpn").end_array().key("none").null().key("o").begin_object().end_object();
  w.end_object().end_array();
  CHECK(w.str() == "[\n  {\n    \"id\": \"a\",\n    \"tags\": [\n      \"vpn\"\n    ]\n  }\n]\n");
}
