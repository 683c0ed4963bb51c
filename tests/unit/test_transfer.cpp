#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "catch.hpp"
#include "core/model/config.hpp"
#include "core/util/error.hpp"
#include "core/model/id.hpp"
#include "core/model/ticket.hpp"
#include "core/store/transfer.hpp"

using namespace desk;
using namespace std::string_literals;

namespace {

Config cfg() { return parse_config(default_config_text(), ".desk/config.toml"); }

Timestamp at(const char* s) { return *parse_time(s); }

ImportOptions options(ImportFormat f) {
  ImportOptions o;
  o.format = f;
  o.now = at("2026-11-23T09:00:00Z");
  o.actor = "Ada Agent <ada@example.com>";
  return o;
}

// A canonical ticket file with unknown keys of every TOML kind.
const std::string rich_ticket = R"(# desk ticket: edit with `desk edit`, or by hand and commit; desk rewrites it canonically
format = 1
id = "7kq2x9abcd"
title = "VPN drops \"every\" hour"
status = "pending"
waiting_on = "customer"
tier = "L2"
priority = "P2"
type = "incident"
tags = ["vpn", "remote work"]
requester = "Bob <bob@example.com>"
assignee = "Ada Agent <ada@example.com>"
created = 2026-11-20T08:00:00Z
updated = 2026-11-21T10:30:00Z
description = """
Line one
Line two, with a tab	and a "quote\""""
x_count = 42
x_date = 1979-05-27
x_float = 1.0
x_half = 2.5
x_list = [1, "two", 3.0]
x_local = 1979-05-27T07:32:00
x_time = 07:32:00
x_when = 1979-05-27T07:32:00Z
x_fake = { "toml:date" = "not a date" }

[x_nested]
deep = { at = 2026-01-01T00:00:00Z }
name = "n"

[sla]
priority = "P2"
calendar = "24x7"
first_response = "1h"
resolution = "1d"
x_contract = 2026-01-01
x_weight = 1.0

[[checklist]]
text = "Check the client version"
done = true
x_note = "v5"

[[history]]
id = "aaaaaaaaaa"
at = 2026-11-20T08:00:00Z
by = "Bob <bob@example.com>"
action = "create"
to = "L1"
status = "new"

[[history]]
id = "bbbbbbbbbb"
at = 2026-11-21T10:30:00Z
by = "Ada Agent <ada@example.com>"
action = "escalate"
from = "L1"
to = "L2"
text = "needs the VPN logs"
x_ref = 2026-11-21

[[history]]
id = "cccccccccc"
at = 2026-11-21T11:00:00Z
by = "Ada Agent <ada@example.com>"
action = "triage"

[[history.changes]]
field = "priority"
from = "P3"
to = "P2"
x_why = 2026-11-21T10:59:00Z
)";

}  // namespace

TEST_CASE("a JSON export imports back to byte-identical ticket files", "[transfer]") {
  Ticket t = parse_ticket(rich_ticket, "t.toml");
  std::string canonical = emit_ticket(t);
  REQUIRE(emit_ticket(parse_ticket(canonical, "t.toml")) == canonical);
  std::string json = export_json({t});
  auto src = parse_import(json, cfg(), options(ImportFormat::json));
  INFO(json);
  REQUIRE(src.errors.empty());
  REQUIRE(src.tickets.size() == 1);
  CHECK(emit_ticket(src.tickets[0]) == canonical);
  // And again: export(import(export)) is the same text.
  CHECK(export_json(src.tickets) == json);
}

TEST_CASE("detect_import_format tells desk JSON, GitHub JSON and CSV apart", "[transfer]") {
  CHECK(detect_import_format("{\"tickets\": []}", "x") == ImportFormat::json);
  CHECK(detect_import_format("[{\"number\": 1}]", "x") == ImportFormat::github);
  CHECK(detect_import_format("[{\"id\": \"x\"}]", "x") == ImportFormat::json);
  CHECK(detect_import_format("Subject,Status\n", "x") == ImportFormat::csv);
  CHECK(detect_import_format("[1]", "tickets.CSV") == ImportFormat::csv);
}

TEST_CASE("bad JSON records are reported with their index and line, good ones still parse", "[transfer]") {
  std::string text = R"({"desk_format": 1, "tickets": [
  {"id": "7kq2x9abcd", "title": "ok", "status": "new", "created": "2026-11-20T08:00:00Z"},
  {"id": "7kq2x9abce", "title": "bad status",
   "status": "bogus", "created": "2026-11-20T08:00:00Z"},
  {"id": "7kq2x9abcf", "title": "bad tier", "status": "new", "tier": "L9", "created": "2026-11-20T08:00:00Z"},
  {"id": "not-an-id", "title": "x", "status": "new", "created": "2026-11-20T08:00:00Z"},
  {"id": "7kq2x9abcd", "title": "duplicate", "status": "new", "created": "2026-11-20T08:00:00Z"},
  {"id": "7kq2x9abcg", "title": "two\nlines", "status": "new", "created": "2026-11-20T08:00:00Z"}
]}
)";
  auto src = parse_import(text, cfg(), options(ImportFormat::json));
  REQUIRE(src.errors.size() == 5);
  CHECK(src.errors[0].line == 3);
  CHECK(src.errors[0].where == "tickets[1]");
  CHECK_THAT(src.errors[0].message, Catch::Contains("unknown status 'bogus'"));
  CHECK(src.errors[1].line == 5);
  CHECK_THAT(src.errors[1].message, Catch::Contains("L9"));
  CHECK(src.errors[2].line == 6);
  CHECK_THAT(src.errors[2].message, Catch::Contains("not a ticket id"));
  CHECK(src.errors[3].line == 7);
  CHECK_THAT(src.errors[3].message, Catch::Contains("also element 0"));
  CHECK(src.errors[4].line == 8);
  CHECK_THAT(src.errors[4].message, Catch::Contains("line break"));
  CHECK(src.tickets.size() == 1);
}

TEST_CASE("text that is not JSON is an error naming line and column", "[transfer]") {
  try {
    parse_import("{\"tickets\": [\n  {,}\n]}", cfg(), options(ImportFormat::json));
    FAIL("no error");
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::invalid);
    CHECK_THAT(std::string(e.what()), Catch::Contains("line 2"));
  }
}

TEST_CASE("a JSON number too large for a double is an Error like any bad JSON", "[transfer]") {
  // Found by fuzz/fuzz_import (crashes/import/json-number-overflow): nlohmann reports it as
  // out_of_range, not parse_error, and it escaped parse_import as a bare std::exception.
  for (auto f : {ImportFormat::json, ImportFormat::github}) {
    try {
      parse_import("[{\"number\": 1e999}]", cfg(), options(f));
      FAIL("no error");
    } catch (const Error& e) {
      CHECK(e.kind() == ErrorKind::invalid);
      CHECK(std::string(e.what()) == "not valid JSON: number overflow parsing '1e999'");
    }
  }
}

TEST_CASE("tagged values cannot smuggle keys into a ticket", "[transfer]") {
  std::string text = R"([{"id": "7kq2x9abcd", "title": "t", "status": "new", "created": "2026-11-20T08:00:00Z",
    "x": {"toml:date": "1979-05-27\nstatus = \"closed\""}}])";
  auto src = parse_import(text, cfg(), options(ImportFormat::json));
  REQUIRE(src.errors.size() == 1);
  CHECK_THAT(src.errors[0].message, Catch::Contains("is not a TOML date"));
}

namespace {
const std::string gh_issues = R"([
  {
    "number": 12,
    "title": "Login page 500s",
    "body": "Steps:\r\n1. open /login",
    "state": "CLOSED",
    "labels": [{"id": "L1", "name": "bug", "color": "d73a4a"}, {"name": "auth"}],
    "assignees": [{"login": "octocat", "name": "Mona"}],
    "createdAt": "2026-10-01T12:00:00Z",
    "closedAt": "2026-10-03T08:00:00Z",
    "comments": [
      {"author": {"login": "hubot"}, "body": "Cannot reproduce", "createdAt": "2026-10-02T09:00:00Z"},
      {"author": {"login": "octocat"}, "body": "Fixed in #13", "createdAt": "2026-10-03T07:59:00Z"}
    ]
  },
  {"number": 14, "title": "Dark mode", "body": "", "state": "OPEN", "labels": [], "assignees": [],
   "createdAt": "2026-10-05T12:00:00Z", "closedAt": null, "comments": []}
]
)";
}

TEST_CASE("a GitHub issue becomes a ticket with create, comment and close entries", "[transfer]") {
  auto src = parse_import(gh_issues, cfg(), options(ImportFormat::github));
  REQUIRE(src.errors.empty());
  REQUIRE(src.tickets.size() == 2);
  const Ticket& t = src.tickets[0];
  CHECK(is_ticket_id(t.id));
  CHECK(t.title == "Login page 500s");
  CHECK(t.description == "Steps:\r\n1. open /login");  // kept as it came
  CHECK(t.status == "closed");
  CHECK(t.tags == std::vector<std::string>{"bug", "auth"});
  CHECK(t.assignee == "octocat");
  CHECK(t.created == at("2026-10-01T12:00:00Z"));
  CHECK(t.updated == at("2026-10-03T08:00:00Z"));
  REQUIRE(t.extra.get("github_number"));
  CHECK(t.extra.get("github_number")->value<int64_t>() == 12);
  REQUIRE(t.history.size() == 4);
  CHECK(t.history[0].action == "create");
  CHECK(t.history[1].action == "comment");
  CHECK(t.history[1].by == "hubot");
  CHECK(t.history[2].text == "Fixed in #13");
  CHECK(t.history[3].action == "close");
  CHECK(t.history[3].status == "closed");
  for (const auto& e : t.history) CHECK(is_ticket_id(e.id));
  CHECK(src.tickets[1].status == "open");
  CHECK(src.tickets[1].history.size() == 1);
  // The emitted file parses back to the same thing.
  CHECK(emit_ticket(parse_ticket(emit_ticket(t), "t")) == emit_ticket(t));
}

TEST_CASE("importing the same GitHub export twice gives the same ids and files", "[transfer]") {
  auto a = parse_import(gh_issues, cfg(), options(ImportFormat::github));
  auto o = options(ImportFormat::github);
  o.now = at("2027-01-01T00:00:00Z");
  auto b = parse_import(gh_issues, cfg(), o);
  REQUIRE(a.tickets.size() == b.tickets.size());
  for (size_t i = 0; i < a.tickets.size(); ++i) CHECK(emit_ticket(a.tickets[i]) == emit_ticket(b.tickets[i]));
  CHECK(a.tickets[0].id != a.tickets[1].id);
}

TEST_CASE("a bad GitHub issue is reported by number and line", "[transfer]") {
  std::string text = "[\n{\"number\": 1, \"title\": \"ok\", \"createdAt\": \"2026-10-01T12:00:00Z\"},\n"
                     "{\"number\": 2, \"title\": \"\", \"createdAt\": \"2026-10-01T12:00:00Z\"},\n"
                     "{\"number\": 3, \"title\": \"t\", \"createdAt\": \"yesterday\"}\n]";
  auto src = parse_import(text, cfg(), options(ImportFormat::github));
  REQUIRE(src.errors.size() == 2);
  CHECK(src.errors[0].line == 3);
  CHECK(src.errors[0].where == "issue #2");
  CHECK_THAT(src.errors[0].message, Catch::Contains("title is empty"));
  CHECK(src.errors[1].line == 4);
  CHECK_THAT(src.errors[1].message, Catch::Contains("createdAt 'yesterday'"));
}

TEST_CASE("parse_csv follows RFC 4180", "[transfer][csv]") {
  std::vector<RowError> errors;
  auto recs = parse_csv("\xEF\xBB\xBF" "a,b,c\r\n\"x, y\",\"say \"\"hi\"\"\",\"two\nlines\"\r\n,,\n\nlast,row,here", errors);
  REQUIRE(errors.empty());
  REQUIRE(recs.size() == 4);
  CHECK(recs[0].fields == std::vector<std::string>{"a", "b", "c"});
  CHECK(recs[1].line == 2);
  CHECK(recs[1].fields == std::vector<std::string>{"x, y", "say \"hi\"", "two\nlines"});
  CHECK(recs[2].line == 4);
  CHECK(recs[2].fields == std::vector<std::string>{"", "", ""});
  CHECK(recs[3].line == 6);
}

TEST_CASE("malformed CSV is reported with the line", "[transfer][csv]") {
  SECTION("an unclosed quote") {
    std::vector<RowError> errors;
    parse_csv("a,b\n1,\"open\n\n", errors);
    REQUIRE(errors.size() == 1);
    CHECK(errors[0].line == 2);
  }
  SECTION("a stray quote") {
    std::vector<RowError> errors;
    auto recs = parse_csv("a,b\n1,x\"y\n2,z\n", errors);
    REQUIRE(errors.size() == 1);
    CHECK(errors[0].line == 2);
    CHECK(recs.size() == 2);
  }
}

TEST_CASE("csv_field quotes only when needed and round-trips through parse_csv", "[transfer][csv]") {
  auto value = GENERATE(as<std::string>{}, "plain", "", "a,b", "say \"hi\"", "two\nlines", "cr\r\nlf", " spaced ");
  std::vector<RowError> errors;
  auto recs = parse_csv(csv_field(value) + ",end\r\n", errors);
  REQUIRE(errors.empty());
  REQUIRE(recs.size() == 1);
  CHECK(recs[0].fields[0] == value);
}

TEST_CASE("a help-desk CSV maps columns to fields", "[transfer][csv]") {
  std::string text =
      "Ticket #,Subject,Details,State,Pri,Opened,Site\r\n"
      "1001,Printer jammed,\"Paper stuck,\nagain\",Open,P3,2026-11-01T10:00:00Z,B4\r\n"
      "1002,VPN down,,closed,P1,2026-11-02T10:00:00Z,HQ\r\n";
  auto o = options(ImportFormat::csv);
  o.map = {{"Ticket #", "key"}, {"Subject", "title"}, {"Details", "description"}, {"State", "status"},
           {"Pri", "priority"}, {"Opened", "created"}, {"Site", "x_site"}};
  auto src = parse_import(text, cfg(), o);
  REQUIRE(src.errors.empty());
  REQUIRE(src.tickets.size() == 2);
  const Ticket& t = src.tickets[0];
  CHECK(t.title == "Printer jammed");
  CHECK(t.description == "Paper stuck,\nagain");
  CHECK(t.status == "open");
  CHECK(t.priority == "P3");
  CHECK(t.created == at("2026-11-01T10:00:00Z"));
  CHECK(t.extra.get("source_key")->value<std::string>() == "1001");
  CHECK(t.extra.get("x_site")->value<std::string>() == "B4");
  CHECK(t.id == stable_ticket_id("csv:key:1001"));
  const Ticket& closed = src.tickets[1];
  CHECK(closed.status == "closed");
  REQUIRE(closed.history.size() == 3);
  CHECK(closed.history.back().action == "close");
}

TEST_CASE("bad CSV rows are reported with their line, counting multi-line fields", "[transfer][csv]") {
  std::string text =
      "title,description,status,priority,created\n"
      "ok,\"spans\nthree\nlines\",new,P3,\n"
      "bad status,,done,P3,\n"
      "bad priority,,new,P9,\n"
      ",,new,P3,\n"
      "bad time,,new,P3,tuesday\n"
      "short row\n";
  auto src = parse_import(text, cfg(), options(ImportFormat::csv));
  REQUIRE(src.errors.size() == 5);
  CHECK(src.errors[0].line == 5);
  CHECK_THAT(src.errors[0].message, Catch::Contains("unknown status 'done'"));
  CHECK(src.errors[1].line == 6);
  CHECK_THAT(src.errors[1].message, Catch::Contains("P9"));
  CHECK(src.errors[2].line == 7);
  CHECK_THAT(src.errors[2].message, Catch::Contains("title is empty"));
  CHECK(src.errors[3].line == 8);
  CHECK(src.errors[4].line == 9);
  CHECK_THAT(src.errors[4].message, Catch::Contains("1 fields, the header 5"));
}

TEST_CASE("a CSV mapping that cannot work is a usage error", "[transfer][csv]") {
  auto o = options(ImportFormat::csv);
  SECTION("no title column") {
    CHECK_THROWS_WITH(parse_import("Subject\nx\n", cfg(), o), Catch::Contains("no CSV column maps to the ticket title"));
  }
  SECTION("an unknown column") {
    o.map = {{"Nope", "title"}};
    CHECK_THROWS_WITH(parse_import("Subject\nx\n", cfg(), o), Catch::Contains("no column 'Nope'"));
  }
  SECTION("a field desk manages itself") {
    o.map = {{"Subject", "history"}};
    CHECK_THROWS_WITH(parse_import("Subject\nx\n", cfg(), o), Catch::Contains("cannot map a column to 'history'"));
  }
}

TEST_CASE("key-less CSV rows get ids from their content, repeated rows distinct ones", "[transfer][csv]") {
  std::string text = "title\nsame\nsame\nother\n";
  auto a = parse_import(text, cfg(), options(ImportFormat::csv));
  auto b = parse_import(text, cfg(), options(ImportFormat::csv));
  REQUIRE(a.errors.empty());
  REQUIRE(a.tickets.size() == 3);
  CHECK(a.tickets[0].id != a.tickets[1].id);
  for (size_t i = 0; i < 3; ++i) CHECK(a.tickets[i].id == b.tickets[i].id);
}

TEST_CASE("a CSV export reads back through the default mapping", "[transfer][csv]") {
  Ticket t = parse_ticket(rich_ticket, "t.toml");
  std::string csv = export_csv({t});
  CHECK(csv.starts_with("id,title,status,"));
  auto src = parse_import(csv, cfg(), options(ImportFormat::csv));
  REQUIRE(src.errors.empty());
  REQUIRE(src.tickets.size() == 1);
  const Ticket& back = src.tickets[0];
  CHECK(back.id == t.id);
  CHECK(back.title == t.title);
  CHECK(back.description == t.description);
  CHECK(back.tags == t.tags);
  CHECK(back.status == "pending");
  CHECK(back.waiting_on == "customer");
}

TEST_CASE("CSV export cells are spreadsheet-safe: formulas guarded, controls shown, never raw", "[transfer][csv]") {
  auto [input, expected] = GENERATE(table<std::string, std::string>({
      {"plain", "plain"},
      {"", ""},
      {"=1+2", "\"'=1+2\""},
      {"+1", "\"'+1\""},
      {"-1", "\"'-1\""},
      {"@SUM(A1)", "\"'@SUM(A1)\""},
      {"\tx", "\"'\tx\""},
      {"'already", "\"''already\""},
      {"=HYPERLINK(\"http://x\")", "\"'=HYPERLINK(\"\"http://x\"\")\""},
      {"a = b", "a = b"},
      {"red \x1b[31mRED\x1b[0m", "red RED"},
      {"\x1b]52;c;cHduZWQ=\x07" "clip", "clip"},
      {"rlo \xe2\x80\xae" "x", "rlo <U+202E>x"},
      {"c1 \xc2\x9b" "2J", "c1 <U+009B>2J"},
      {"bell\x07", "bell^G"},
      {"two\nlines, comma", "\"two\nlines, comma\""},
      {"\x1b[31m=1", "\"'=1\""},  // guarded after the escape is gone
  }));
  CAPTURE(input);
  CHECK(csv_export_cell(input) == expected);
}

TEST_CASE("desk's own CSV reads back with its guards taken off, other CSVs keep their quotes", "[transfer][csv]") {
  Ticket t = parse_ticket(rich_ticket, "t.toml");
  t.title = "=1+2 and more";
  t.description = "'quoted\n-dash";
  t.category = "@cat";
  std::string csv = export_csv({t});
  CHECK(csv.find("\"'=1+2 and more\"") != std::string::npos);
  CHECK(csv.find("\"''quoted\n-dash\"") != std::string::npos);
  auto src = parse_import(csv, cfg(), options(ImportFormat::csv));
  REQUIRE(src.errors.empty());
  REQUIRE(src.tickets.size() == 1);
  CHECK(src.tickets[0].title == t.title);
  CHECK(src.tickets[0].description == t.description);
  CHECK(src.tickets[0].category == t.category);
  CHECK(is_desk_csv_header(csv_export_columns()));
  // Another CSV (its header is not desk's) is taken as it is.
  auto other = parse_import("title,description\n'Quoted,'kept\n", cfg(), options(ImportFormat::csv));
  REQUIRE(other.tickets.size() == 1);
  CHECK(other.tickets[0].title == "'Quoted");
  CHECK(other.tickets[0].description == "'kept");
}

TEST_CASE("import refuses records over desk's limits", "[transfer][limits]") {
  std::string csv = "title,description\nfine,short\nlong," + std::string((1 << 20) + 1, 'x') + "\n";
  auto src = parse_import(csv, cfg(), options(ImportFormat::csv));
  REQUIRE(src.errors.size() == 1);
  CHECK(src.errors[0].line == 3);
  CHECK_THAT(src.errors[0].message, Catch::Contains("the description is over 1.0 MiB"));
}

TEST_CASE("stable_ticket_id is a valid id that depends only on the key", "[transfer]") {
  CHECK(is_ticket_id(stable_ticket_id("a")));
  CHECK(stable_ticket_id("a") == stable_ticket_id("a"));
  CHECK(stable_ticket_id("a") != stable_ticket_id("b"));
}

TEST_CASE("plan_import adds new tickets and leaves identical and changed ones alone", "[transfer]") {
  auto src = parse_import(gh_issues, cfg(), options(ImportFormat::github));
  REQUIRE(src.tickets.size() == 2);
  std::map<std::string, std::string> files;
  auto read = [&](const std::string& p) -> std::optional<std::string> {
    auto it = files.find(p);
    if (it == files.end()) return std::nullopt;
    return it->second;
  };
  auto first = plan_import(src.tickets, read);
  CHECK(first.added.size() == 2);
  for (const auto& f : first.files) files[f.path] = *f.content;
  auto second = plan_import(src.tickets, read);
  CHECK(second.files.empty());
  CHECK(second.unchanged.size() == 2);
  files[ticket_path(src.tickets[0].id)] += "# changed in the desk\n";
  size_t calls = 0;
  auto third = plan_import(src.tickets, read, [&](size_t done, size_t total) {
    ++calls;
    CHECK(done <= total);
  });
  CHECK(third.files.empty());
  CHECK(third.kept == std::vector<std::string>{src.tickets[0].id});
  CHECK(calls == 2);
}

TEST_CASE("JSON nested deeper than the limit is refused before it is read", "[transfer]") {
  auto nested = [](size_t n) { return "{\"tickets\": [{\"x\": " + std::string(n, '[') + std::string(n, ']') + "}]}"; };
  // 30,000 levels inside a ticket overflowed the stack converting them to TOML.
  for (auto f : {ImportFormat::json, ImportFormat::github}) {
    try {
      parse_import(nested(30000), cfg(), options(f));
      FAIL("30,000 levels of JSON were read");
    } catch (const Error& e) {
      CHECK(e.kind() == ErrorKind::invalid);
      CHECK(std::string(e.what()) == "the JSON is nested more than 256 levels deep (line 1, column 273)");
    }
  }
  std::string deep_array = std::string(max_json_depth + 1, '[') + std::string(max_json_depth + 1, ']');
  CHECK_THROWS_WITH(parse_import(deep_array, cfg(), options(ImportFormat::json)), Catch::Contains("nested more than 256"));
  // Brackets inside strings do not count; the depth limit itself is allowed.
  std::string in_string = "[{\"title\": \"" + std::string(1000, '[') + "\"}]";
  CHECK(parse_import(in_string, cfg(), options(ImportFormat::json)).errors.size() == 1);
  std::string at_limit = std::string(max_json_depth, '[') + std::string(max_json_depth, ']');
  auto src = parse_import(at_limit, cfg(), options(ImportFormat::json));
  REQUIRE(src.errors.size() == 1);
  CHECK(src.errors[0].message == "not a JSON object");
  // Within the JSON limit, a ticket is still held to the TOML limit of ticket files: one bad record.
  std::string deep_key = R"({"tickets": [{"id": "7kq2x9abcd", "title": "t", "status": "new", "created": {"toml:date-time": "2026-11-01T10:00:00Z"}, "x": )" +
                         std::string(100, '[') + std::string(100, ']') + "}]}";
  src = parse_import(deep_key, cfg(), options(ImportFormat::json));
  REQUIRE(src.errors.size() == 1);
  CHECK_THAT(src.errors[0].message, Catch::Contains("nested more than 64 levels deep"));
}

TEST_CASE("a CSV row that is not UTF-8 is a bad record, not a ticket file desk cannot read", "[transfer][csv]") {
  // Found by fuzz/fuzz_import (crashes/import/csv-latin1-byte): the row's bytes went into the
  // ticket file as they were, and toml++ refused the file desk had just committed.
  std::string csv = "title,resolution\nPrinter,fixed\nDone,f\x9dxed\nCaf\xe9 machine,\n";
  auto src = parse_import(csv, cfg(), options(ImportFormat::csv));
  REQUIRE(src.errors.size() == 2);
  CHECK(src.errors[0].line == 3);
  CHECK(src.errors[1].line == 4);
  CHECK_THAT(src.errors[0].message, Catch::Contains("not valid UTF-8") && Catch::Contains("iconv"));
  REQUIRE(src.tickets.size() == 1);
  CHECK(parse_ticket(emit_ticket(src.tickets[0]), "t.toml").title == "Printer");
}

TEST_CASE("people of any form survive a format 2 export and import, and a format 1 export still imports", "[transfer]") {
  Ticket t = parse_ticket(rich_ticket, "t.toml");
  t.requester = "\"Kim, Sales\" <kim@example.com>";  // quoted: the object carries the text too
  t.assignee = "bo";
  t.watchers = {"<ops@example.com>", "ann@example.com", "Ann  Lee <ann@example.com> ", "Zoë 张 <zoe@example.com>", "", " "};
  t.history[0].by = "no address here";
  t.history[1].by = " ";
  std::string canonical = emit_ticket(t);
  for (int format : {2, 1}) {
    ExportStream x(false, JsonWriter(format));
    std::string json = x.begin();  // in order: begin, ticket, end
    json += x.ticket(t);
    json += x.end();
    INFO(json);
    CHECK(json.find("\"desk_format\": " + std::to_string(format)) != std::string::npos);
    auto src = parse_import(json, cfg(), options(ImportFormat::json));
    REQUIRE(src.errors.empty());
    REQUIRE(src.tickets.size() == 1);
    CHECK(emit_ticket(src.tickets[0]) == canonical);
  }
}

TEST_CASE("an export of chosen fields keeps those keys and id, JSON and CSV alike", "[transfer]") {
  Ticket t = parse_ticket(rich_ticket, "t.toml");
  std::set<std::string, std::less<>> fields = {"title", "history", "id"};
  ExportStream j(false);
  j.only(&fields);
  std::string json = j.begin();
  json += j.ticket(t);
  json += j.end();
  INFO(json);
  auto doc = nlohmann::ordered_json::parse(json);
  REQUIRE(doc["tickets"].size() == 1);
  std::vector<std::string> keys;
  for (auto it = doc["tickets"][0].begin(); it != doc["tickets"][0].end(); ++it) keys.push_back(it.key());
  CHECK(keys == std::vector<std::string>{"id", "title", "history"});
  CHECK(doc["tickets"][0]["history"].size() == t.history.size());  // nested keys are all kept
  CHECK(doc["desk_format"] == 2);
  ExportStream c(true);
  c.only(&fields);
  std::string csv = c.begin();
  csv += c.ticket(t);
  csv += c.end();
  CHECK(csv.substr(0, csv.find("\r\n")) == "id,title");
}
