// The HTML report and its SVG chart kit: round axis ticks, escaping of hostile text, the
// placeholder for empty data, no NaN or infinity in the output, the backlog replayed day by day
// against hand-computed counts, byte-identical renders, and well-formed XML syntax.
#include <cmath>
#include <limits>
#include <regex>

#include "catch.hpp"
#include <fmt/format.h>
#include "core/model/config.hpp"
#include "core/report/report.hpp"
#include "core/report/svg.hpp"
#include "core/model/workflow.hpp"

using namespace desk;
using namespace std::chrono;

namespace {

// Also used to initialize constants, before Catch2 runs: no REQUIRE here.
Timestamp T(const char* s) { return parse_time(s).value(); }

const Config& config() {
  static Config c = parse_config(default_config_text(), "config.toml");
  return c;
}

Context at(const char* when) {
  static uint64_t seed = 500;
  return Context{T(when), "Ada Agent <ada@example.com>", seeded_random(seed++)};
}

Ticket make(const char* when, const char* title) {
  NewTicketArgs args;
  args.title = title;
  args.priority = "P3";
  args.requester = "Lee Customer <lee@example.com>";
  return create_ticket(config(), at(when), args, nullptr, [](const std::string&) { return false; }).ticket;
}

// Monday 2026-11-23 to Friday 27; the clock stops Friday at noon.
const StatsPeriod week{T("2026-11-23T00:00:00Z"), T("2026-11-27T23:59:59Z")};
const Timestamp friday_noon = T("2026-11-27T12:00:00Z");

std::vector<Ticket> fixture() {
  std::vector<Ticket> out;
  // A: new Mon, pending Tue, resolved Wed, reopened Thu (open).
  Ticket a = make("2026-11-23T09:00:00Z", "A");
  a = wait(a, at("2026-11-24T10:00:00Z"), "customer", "which office?").ticket;
  a = resume(a, at("2026-11-25T09:00:00Z"), "").ticket;
  a = resolve(a, at("2026-11-25T11:00:00Z"), "fixed").ticket;
  a = reopen(a, at("2026-11-26T09:00:00Z"), "broken again").ticket;
  out.push_back(a);
  // B: filed Tue noon (new), answered Wed (open), escalated to L2 Thu and to L3, back to L2 Fri.
  Ticket b = make("2026-11-24T12:00:00Z", "B");
  b = comment(b, at("2026-11-25T10:00:00Z"), "on it", false).ticket;
  b = escalate(b, config(), at("2026-11-26T10:00:00Z"), {std::nullopt, "needs access", std::nullopt, std::nullopt, std::nullopt}).ticket;
  b = escalate(b, config(), at("2026-11-26T11:00:00Z"), {std::nullopt, "a bug", std::nullopt, std::nullopt, std::nullopt}).ticket;
  b = deescalate(b, config(), at("2026-11-27T10:00:00Z"), std::nullopt, "patched, verify with the customer").ticket;
  out.push_back(b);
  // C: filed Friday after the clock: not yet there.
  out.push_back(make("2026-11-27T13:00:00Z", "C"));
  // D: filed and resolved the week before: never in this backlog.
  Ticket d = make("2026-11-16T09:00:00Z", "D");
  d = resolve(d, at("2026-11-18T09:00:00Z"), "done").ticket;
  out.push_back(d);
  // E: filed the week before and never touched: new every day.
  out.push_back(make("2026-11-20T09:00:00Z", "E"));
  return out;
}

// A small well-formedness check of XML syntax: balanced tags, quoted attributes, only the XML
// entities and numeric references. Returns "" when well-formed, else what is wrong.
std::string xml_problem(const std::string& doc) {
  std::vector<std::string> open;
  static const std::regex attr(R"re(\s+[A-Za-z_:][-A-Za-z0-9_:.]*="[^"<]*")re");
  static const std::regex name(R"re([A-Za-z_:][-A-Za-z0-9_:.]*)re");
  static const std::regex entity(R"re(&(amp|lt|gt|quot|apos|#[0-9]+|#x[0-9A-Fa-f]+);)re");
  for (size_t i = 0; i < doc.size();) {
    if (doc[i] == '&') {
      std::smatch m;
      std::string rest = doc.substr(i, 12);
      if (!std::regex_search(rest, m, entity, std::regex_constants::match_continuous)) return "bad entity at " + std::to_string(i);
      i += static_cast<size_t>(m.length(0));
      continue;
    }
    if (doc[i] != '<') {
      ++i;
      continue;
    }
    if (doc.compare(i, 9, "<!DOCTYPE") == 0 || doc.compare(i, 4, "<!--") == 0) {
      size_t end = doc.compare(i, 4, "<!--") == 0 ? doc.find("-->", i) : doc.find('>', i);
      if (end == std::string::npos) return "unterminated declaration";
      i = end + 1;
      continue;
    }
    size_t end = doc.find('>', i);
    if (end == std::string::npos) return "unterminated tag at " + std::to_string(i);
    std::string tag = doc.substr(i + 1, end - i - 1);
    i = end + 1;
    if (!tag.empty() && tag[0] == '/') {
      std::string n = tag.substr(1);
      if (open.empty() || open.back() != n) return "</" + n + "> closes " + (open.empty() ? "nothing" : "<" + open.back() + ">");
      open.pop_back();
      continue;
    }
    bool self = !tag.empty() && tag.back() == '/';
    if (self) tag.pop_back();
    std::smatch m;
    if (!std::regex_search(tag, m, name, std::regex_constants::match_continuous)) return "bad tag <" + tag + ">";
    std::string n = m.str(0);
    std::string attrs = tag.substr(n.size());
    std::string rest = std::regex_replace(attrs, attr, "");
    if (rest.find_first_not_of(" \n\t") != std::string::npos) return "bad attributes in <" + tag + ">";
    if (!self) open.push_back(n);
  }
  if (!open.empty()) return "<" + open.back() + "> is never closed";
  return "";
}

bool has_nan_or_inf(const std::string& s) {
  static const std::regex bad(R"(\b(nan|inf|infinity)\b)", std::regex::icase);
  return std::regex_search(s, bad);
}

size_t count(const std::string& s, const std::string& what) {
  size_t n = 0;
  for (size_t i = s.find(what); i != std::string::npos; i = s.find(what, i + 1)) ++n;
  return n;
}

}  // namespace

TEST_CASE("axis ticks are round steps from zero that cover the maximum", "[report][svg]") {
  CHECK(svg::nice_ticks(10, 5) == std::vector<double>{0, 2, 4, 6, 8, 10});
  CHECK(svg::nice_ticks(7, 5) == std::vector<double>{0, 2, 4, 6, 8});
  CHECK(svg::nice_ticks(3, 5) == std::vector<double>{0, 1, 2, 3});
  CHECK(svg::nice_ticks(1, 5) == std::vector<double>{0, 1});
  CHECK(svg::nice_ticks(1234, 5) == std::vector<double>{0, 500, 1000, 1500});
  CHECK(svg::nice_ticks(0, 5) == std::vector<double>{0, 1});
  CHECK(svg::nice_ticks(std::nan(""), 5) == std::vector<double>{0, 1});
  CHECK(svg::nice_ticks(std::numeric_limits<double>::infinity(), 5) == std::vector<double>{0, 1});
  auto fine = svg::nice_ticks(0.37, 4, false);
  REQUIRE(fine.size() == 5);
  CHECK(fine.back() == Approx(0.4));
  double max = GENERATE(1.0, 2.5, 9.0, 11.0, 99.0, 101.0, 4999.0, 123456.0);
  int ticks = GENERATE(3, 5, 8);
  auto v = svg::nice_ticks(max, ticks);
  CHECK(v.front() == 0);
  CHECK(v.back() >= max);
  CHECK(v.size() <= static_cast<size_t>(ticks) + 1);
  CHECK(v.back() - v[v.size() - 2] <= max);  // the steps are not coarser than the data
}

TEST_CASE("tick labels and coordinates are short and never NaN or infinite", "[report][svg]") {
  CHECK(svg::tick_label(0) == "0");
  CHECK(svg::tick_label(2.5) == "2.5");
  CHECK(svg::tick_label(20000) == "20k");
  CHECK(svg::tick_label(std::nan("")) == "0");
  CHECK(svg::num(12.04) == "12");
  CHECK(svg::num(3.46) == "3.5");
  CHECK(svg::num(-0.01) == "0");
  CHECK(svg::num(std::nan("")) == "0");
  CHECK(svg::num(-std::numeric_limits<double>::infinity()) == "0");
}

TEST_CASE("hostile text is escaped in every chart", "[report][svg]") {
  const std::string evil = "</svg><script>alert('x')</script>&\"\x1b[31m";
  CHECK(svg::escape(evil) == "&lt;/svg&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;&quot;");
  svg::BarChart c;
  c.title = evil;
  c.y_label = evil;
  c.categories = {evil, "b"};
  c.series = {{evil, evil, {1, 2}}, {"two", "#000000", {3, 4}}};
  svg::FlowChart f;
  f.title = evil;
  f.tiers = {{evil, evil}, {"L2", ""}};
  f.up = {{evil, "L2", 3, ""}, {"L2", evil + "2", 1, ""}};
  f.down = {{"L2", evil, 1, ""}};
  for (const std::string& out : {svg::bar_chart(c), svg::area_chart(c), svg::flow_chart(f)}) {
    CHECK(out.find("<script") == std::string::npos);
    CHECK(out.find("</svg>") == out.rfind("</svg>"));
    CHECK(out.find('\x1b') == std::string::npos);
    CHECK(xml_problem(out) == "");
  }
}

TEST_CASE("charts without data draw a placeholder", "[report][svg]") {
  svg::BarChart none;
  none.title = "nothing";
  CHECK(svg::bar_chart(none).find("no data in this period") != std::string::npos);
  svg::BarChart zeros = none;
  zeros.categories = {"a", "b"};
  zeros.series = {{"s", "#000000", {0, 0}}};
  CHECK(svg::bar_chart(zeros).find("no data in this period") != std::string::npos);
  CHECK(svg::area_chart(zeros).find("no data in this period") != std::string::npos);
  svg::FlowChart flow;
  flow.title = "no tiers";
  CHECK(svg::flow_chart(flow).find("no data in this period") != std::string::npos);
  for (const auto& out : {svg::bar_chart(none), svg::flow_chart(flow)}) {
    CHECK(out.find("<title>") != std::string::npos);
    CHECK(out.find("role=\"img\"") != std::string::npos);
    CHECK(xml_problem(out) == "");
  }
}

TEST_CASE("NaN and infinite values never reach the SVG", "[report][svg]") {
  double nan = std::nan(""), inf = std::numeric_limits<double>::infinity();
  svg::BarChart c;
  c.title = "odd values";
  c.categories = {"a", "b", "c"};
  c.series = {{"x", "#000000", {nan, inf, 2}}, {"y", "#111111", {-inf, 1, nan}}};
  for (bool stacked : {false, true}) {
    c.stacked = stacked;
    auto bars = svg::bar_chart(c), area = svg::area_chart(c);
    CHECK_FALSE(has_nan_or_inf(bars));
    CHECK_FALSE(has_nan_or_inf(area));
    CHECK(bars.find("<rect") != std::string::npos);
  }
  svg::FlowChart f;
  f.title = "flows";
  f.tiers = {{"L1", ""}, {"L2", ""}};
  f.up = {{"L1", "L2", nan, ""}, {"L1", "L2", inf, ""}};
  CHECK_FALSE(has_nan_or_inf(svg::flow_chart(f)));
}

TEST_CASE("the backlog over time matches hand-computed counts per day", "[report]") {
  auto points = backlog_series(fixture(), week, friday_noon);
  REQUIRE(points.size() == 5);
  struct Expected {
    const char* day;
    size_t fresh, open, pending;
  };
  const Expected expected[] = {
      {"2026-11-23T00:00:00Z", 2, 0, 0},  // A new, E new
      {"2026-11-24T00:00:00Z", 2, 0, 1},  // A pending, B and E new
      {"2026-11-25T00:00:00Z", 1, 1, 0},  // A resolved, B open, E new
      {"2026-11-26T00:00:00Z", 1, 2, 0},  // A reopened
      {"2026-11-27T00:00:00Z", 1, 2, 0},  // counted at noon: C not filed yet
  };
  for (size_t i = 0; i < 5; ++i) {
    INFO("day " << expected[i].day);
    CHECK(format_time(points[i].day) == expected[i].day);
    CHECK(points[i].new_count == expected[i].fresh);
    CHECK(points[i].open == expected[i].open);
    CHECK(points[i].pending == expected[i].pending);
  }
  CHECK(format_time(points[0].at) == "2026-11-23T23:59:59Z");
  CHECK(points[4].at == friday_noon);
  // The last point agrees with desk stats' backlog.
  Stats st = compute_stats(fixture(), config(), week, GroupBy::none, friday_noon);
  CHECK(st.total.backlog == points[4].new_count + points[4].open + points[4].pending);
  // A period that starts after now has no points; a long one is sampled.
  CHECK(backlog_series(fixture(), {T("2026-12-01T00:00:00Z"), T("2026-12-31T00:00:00Z")}, friday_noon).empty());
  auto years = backlog_series(fixture(), {T("2020-01-01T00:00:00Z"), T("2026-11-27T12:00:00Z")}, friday_noon);
  CHECK(years.size() <= 401);
  CHECK(years.back().at == friday_noon);
}

TEST_CASE("the report is one well-formed document with the charts, tiles and tier table", "[report]") {
  std::string html = render_report_html(fixture(), config(), week, friday_noon, {"Week 48"});
  CHECK(html.rfind("<!DOCTYPE html>\n<html lang=\"en\">", 0) == 0);
  CHECK(html.find("Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\"") != std::string::npos);
  CHECK(xml_problem(html) == "");
  CHECK(count(html, "<svg ") == 6);
  CHECK(count(html, "role=\"img\"") == 6);
  CHECK(html.find("<script") == std::string::npos);
  CHECK(html.find("://") == std::string::npos);  // nothing external, not even a namespace URI
  CHECK(html.find("<h1>Week 48</h1>") != std::string::npos);
  CHECK(html.find("generated 2026-11-27 12:00 UTC") != std::string::npos);
  CHECK(html.find("no data in this period") != std::string::npos);  // no CSAT ratings this week
  CHECK_FALSE(has_nan_or_inf(html));
  // Escalations L1->L2, L2->L3 and the de-escalation L3->L2 are drawn with their counts.
  CHECK(html.find("L1 up to L2: 1") != std::string::npos);
  CHECK(html.find("L2 up to L3: 1") != std::string::npos);
  CHECK(html.find("L3 down to L2: 1") != std::string::npos);
  // The knowledge-base tile carries desk stats' numbers.
  Stats st = compute_stats(fixture(), config(), week, GroupBy::none, friday_noon);
  CHECK(html.find("Knowledge-base link rate") != std::string::npos);
  CHECK(html.find(fmt::format("{} of {} resolved; {} duplicates", st.total.kb_linked, st.total.resolved, st.total.duplicates)) !=
        std::string::npos);
}

TEST_CASE("the knowledge-base tile shows the share of resolved tickets linked to an article", "[report]") {
  auto tickets = fixture();
  Stats before = compute_stats(tickets, config(), week, GroupBy::none, friday_noon);
  REQUIRE(before.total.resolved > 0);
  // Link every ticket to an article by hand (as a desk edit would leave it): all resolved ones count.
  for (auto& t : tickets) t.kb = {"vpn-reset"};
  Stats st = compute_stats(tickets, config(), week, GroupBy::none, friday_noon);
  CHECK(st.total.kb_linked == st.total.resolved);
  std::string html = render_report_html(tickets, config(), week, friday_noon, {});
  CHECK(html.find(fmt::format("{} of {} resolved", st.total.resolved, st.total.resolved)) != std::string::npos);
  CHECK(html.find(">100%<") != std::string::npos);
}

TEST_CASE("the report escapes hostile config names and titles", "[report]") {
  Config cfg = config();
  cfg.name = "x</title><script>alert(1)</script>";
  for (auto& tier : cfg.tiers)
    if (tier.name == "L2") tier.name = "</svg><script>alert('L2')</script>";
  std::string html = render_report_html(fixture(), cfg, week, friday_noon, {"<b onload=\"x\">title</b>"});
  CHECK(html.find("<script") == std::string::npos);
  CHECK(html.find("<b ") == std::string::npos);
  CHECK(html.find("&lt;/svg&gt;&lt;script&gt;") != std::string::npos);
  CHECK(xml_problem(html) == "");
}

TEST_CASE("an empty desk gives a report of placeholders without NaN", "[report]") {
  std::string html = render_report_html({}, config(), week, friday_noon, {});
  CHECK(xml_problem(html) == "");
  CHECK_FALSE(has_nan_or_inf(html));
  CHECK(count(html, "no data in this period") == 5);  // all but the tier flow, which shows the tiers
  CHECK(html.find("<h1>desk report</h1>") != std::string::npos);
}

TEST_CASE("the same input renders the same bytes", "[report]") {
  auto tickets = fixture();
  std::string a = render_report_html(tickets, config(), week, friday_noon, {});
  std::string b = render_report_html(tickets, config(), week, friday_noon, {});
  CHECK(a == b);
  std::reverse(tickets.begin(), tickets.end());
  CHECK(render_report_html(tickets, config(), week, friday_noon, {}) == a);
}

TEST_CASE("bar heights and flow widths are proportional to the values", "[report][svg]") {
  auto numbers = [](const std::string& svg, const std::string& pattern) {
    std::vector<double> out;
    std::regex re(pattern);
    for (auto it = std::sregex_iterator(svg.begin(), svg.end(), re); it != std::sregex_iterator(); ++it) out.push_back(std::stod((*it)[1]));
    return out;
  };
  svg::BarChart c;
  c.title = "two bars";
  c.categories = {"a", "b"};
  c.series = {{"n", "#0072B2", {2, 4}}};  // ticks 0..4: the second bar fills the plot
  auto heights = numbers(svg::bar_chart(c), R"re(height="([0-9.]+)" fill="#0072B2")re");
  REQUIRE(heights.size() == 2);
  CHECK(heights[1] == Approx(2 * heights[0]).margin(0.2));
  svg::FlowChart f;
  f.title = "flows";
  f.tiers = {{"L1", ""}, {"L2", ""}, {"L3", ""}};
  f.up = {{"L1", "L2", 6, ""}, {"L2", "L3", 3, ""}};
  f.down = {{"L2", "L1", 1, ""}};
  auto widths = numbers(svg::flow_chart(f), R"re(fill="none" stroke="#[0-9A-F]+" stroke-width="([0-9.]+)")re");
  CHECK(widths == std::vector<double>{14, 8, 4});  // 2 + 12 * n / 6
}
