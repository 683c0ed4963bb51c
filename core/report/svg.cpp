#include "core/report/svg.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>

#include "core/util/text.hpp"

namespace desk::svg {

namespace {

constexpr const char* ink = "#222222";
constexpr const char* grid = "#DDDDDD";

double finite(double v) { return std::isfinite(v) ? v : 0.0; }

// The opening tag of a chart: a scalable viewBox, role="img", a label, and the <title>.
std::string open_svg(const std::string& title, int width, int height) {
  std::string t = escape(title);
  return fmt::format(
      "<svg class=\"chart\" viewBox=\"0 0 {0} {1}\" width=\"{0}\" height=\"{1}\" role=\"img\" aria-label=\"{2}\">"
      "<title>{2}</title>\n",
      width, height, t);
}

std::string text(double x, double y, const std::string& content, const char* anchor = "middle", int size = 11,
                 const char* extra = "") {
  return fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"{}\" font-size=\"{}\" fill=\"{}\"{}>{}</text>\n", num(x), num(y), anchor, size,
                     ink, extra, escape(content));
}

std::string placeholder(const std::string& title, int width, int height) {
  std::string out = open_svg(title, width, height);
  out += fmt::format("<rect x=\"1\" y=\"1\" width=\"{}\" height=\"{}\" fill=\"#FAFAFA\" stroke=\"#BBBBBB\" stroke-dasharray=\"4 4\"/>\n",
                     width - 2, height - 2);
  out += text(width / 2.0, height / 2.0 + 4, "no data in this period", "middle", 14);
  out += "</svg>\n";
  return out;
}

struct Plot {
  double x0, y0, x1, y1;  // the plotting area
  double top;             // the value at y0
  double y_of(double v) const { return top > 0 ? y1 - (y1 - y0) * finite(v) / top : y1; }
};

// Legend (when several series), y grid, ticks, axis lines and labels. Returns the plot area.
std::string frame(const BarChart& c, const std::vector<double>& ticks, Plot& p) {
  std::string out;
  if (c.series.size() > 1) {
    double x = p.x0;
    for (const auto& s : c.series) {
      out += fmt::format("<rect x=\"{}\" y=\"8\" width=\"12\" height=\"12\" fill=\"{}\" stroke=\"{}\" stroke-width=\"0.5\"/>\n", num(x),
                         escape(s.color), ink);
      out += text(x + 16, 18, s.name, "start", 12);
      x += 16 + 7.2 * static_cast<double>(display_width(s.name)) + 18;
    }
  }
  for (double t : ticks) {
    double y = p.y_of(t);
    out += fmt::format("<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{}\" stroke-width=\"1\"/>\n", num(p.x0), num(y), num(p.x1), num(y),
                       t == 0 ? ink : grid);
    out += text(p.x0 - 6, y + 4, tick_label(t), "end");
  }
  out += fmt::format("<line x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\" stroke=\"{3}\" stroke-width=\"1\"/>\n", num(p.x0), num(p.y0), num(p.y1), ink);
  if (!c.y_label.empty()) {
    double cy = (p.y0 + p.y1) / 2;
    out += fmt::format("<text x=\"14\" y=\"{0}\" text-anchor=\"middle\" font-size=\"11\" fill=\"{1}\" transform=\"rotate(-90 14 {0})\">{2}</text>\n",
                       num(cy), ink, escape(c.y_label));
  }
  size_t n = c.categories.size();
  size_t every = std::max<size_t>(1, (n + c.max_x_labels - 1) / std::max<size_t>(1, c.max_x_labels));
  double band = (p.x1 - p.x0) / static_cast<double>(n);
  for (size_t i = 0; i < n; i += every) out += text(p.x0 + band * (static_cast<double>(i) + 0.5), p.y1 + 16, c.categories[i]);
  return out;
}

// The largest value the y axis must reach: the tallest stack or the tallest bar.
double peak(const BarChart& c) {
  double top = 0;
  for (size_t i = 0; i < c.categories.size(); ++i) {
    double sum = 0;
    for (const auto& s : c.series) {
      double v = i < s.values.size() ? std::max(0.0, finite(s.values[i])) : 0.0;
      sum += v;
      top = std::max(top, v);
    }
    if (c.stacked) top = std::max(top, sum);
  }
  return top;
}

double value(const Series& s, size_t i) { return i < s.values.size() ? std::max(0.0, finite(s.values[i])) : 0.0; }

// Sets up the plot area and axis; false when there is nothing to draw.
bool prepare(const BarChart& c, Plot& p, std::vector<double>& ticks) {
  double top = peak(c);
  if (c.categories.empty() || c.series.empty() || !(top > 0)) return false;
  ticks = nice_ticks(top, 5);
  p = Plot{52, c.series.size() > 1 ? 32.0 : 16.0, static_cast<double>(c.width) - 12, static_cast<double>(c.height) - 28, ticks.back()};
  return true;
}

}  // namespace

std::string escape(std::string_view raw) {
  std::string clean = strip_controls(raw);
  std::string out;
  out.reserve(clean.size());
  for (char ch : clean) {
    switch (ch) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += ch;
    }
  }
  return out;
}

std::string num(double v) {
  if (!std::isfinite(v)) return "0";
  double r = std::round(v * 10) / 10;
  if (r == 0) return "0";
  std::string s = fmt::format("{:.1f}", r);
  if (s.size() > 2 && s.compare(s.size() - 2, 2, ".0") == 0) s.resize(s.size() - 2);
  return s;
}

std::vector<double> nice_ticks(double max, int max_ticks, bool integer_steps) {
  if (!std::isfinite(max) || max <= 0 || max_ticks < 1) return {0, 1};
  double raw = max / max_ticks;
  double mag = std::pow(10.0, std::floor(std::log10(raw)));
  double step = 10 * mag;
  for (double m : {1.0, 2.0, 5.0, 10.0})
    if (m * mag >= raw * (1 - 1e-9)) {
      step = m * mag;
      break;
    }
  if (integer_steps && step < 1) step = 1;
  auto n = static_cast<int>(std::ceil(max / step - 1e-9));
  std::vector<double> ticks;
  for (int i = 0; i <= std::max(n, 1); ++i) ticks.push_back(static_cast<double>(i) * step);
  return ticks;
}

std::string tick_label(double v) {
  if (!std::isfinite(v)) return "0";
  if (std::abs(v) >= 10000 && std::fmod(v, 1000) == 0) return fmt::format("{}k", static_cast<long long>(v / 1000));
  std::string s = fmt::format("{:.2f}", v);
  while (s.back() == '0') s.pop_back();
  if (s.back() == '.') s.pop_back();
  return s == "-0" ? "0" : s;
}

std::string bar_chart(const BarChart& c) {
  Plot p{};
  std::vector<double> ticks;
  if (!prepare(c, p, ticks)) return placeholder(c.title, c.width, c.height);
  std::string out = open_svg(c.title, c.width, c.height) + frame(c, ticks, p);
  size_t n = c.categories.size(), k = c.series.size();
  double band = (p.x1 - p.x0) / static_cast<double>(n);
  for (size_t i = 0; i < n; ++i) {
    double left = p.x0 + band * static_cast<double>(i), base = 0;
    for (size_t j = 0; j < k; ++j) {
      const Series& s = c.series[j];
      double v = value(s, i);
      if (v <= 0) continue;
      double x, w, y_top, y_bottom;
      if (c.stacked) {
        w = std::max(1.0, band * 0.72);
        x = left + (band - w) / 2;
        y_bottom = p.y_of(base);
        y_top = p.y_of(base + v);
        base += v;
      } else {
        double group = band * 0.8;
        w = std::max(1.0, group / static_cast<double>(k));
        x = left + (band - group) / 2 + w * static_cast<double>(j);
        y_bottom = p.y_of(0);
        y_top = p.y_of(v);
      }
      out += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\"><title>{}: {} {}</title></rect>\n", num(x), num(y_top),
                         num(w), num(std::max(0.5, y_bottom - y_top)), escape(s.color), escape(c.categories[i]), tick_label(v), escape(s.name));
    }
  }
  out += "</svg>\n";
  return out;
}

std::string area_chart(const BarChart& c) {
  Plot p{};
  std::vector<double> ticks;
  BarChart stacked = c;
  stacked.stacked = true;
  if (!prepare(stacked, p, ticks)) return placeholder(c.title, c.width, c.height);
  std::string out = open_svg(c.title, c.width, c.height) + frame(stacked, ticks, p);
  size_t n = c.categories.size();
  double band = (p.x1 - p.x0) / static_cast<double>(n);
  // Points at the middle of each category's band, held flat to both edges of the plot.
  std::vector<double> xs;
  xs.push_back(p.x0);
  for (size_t i = 0; i < n; ++i) xs.push_back(p.x0 + band * (static_cast<double>(i) + 0.5));
  xs.push_back(p.x1);
  auto at = [n](const std::vector<double>& v, size_t point) { return v[std::min(n - 1, point == 0 ? 0 : point - 1)]; };
  std::vector<double> below(n, 0.0);
  for (const auto& s : c.series) {
    std::vector<double> above(n);
    for (size_t i = 0; i < n; ++i) above[i] = below[i] + value(s, i);
    std::string d;
    for (size_t q = 0; q < xs.size(); ++q) d += fmt::format("{}{} {} ", q == 0 ? "M" : "L", num(xs[q]), num(p.y_of(at(above, q))));
    for (size_t q = xs.size(); q-- > 0;) d += fmt::format("L{} {} ", num(xs[q]), num(p.y_of(at(below, q))));
    d += "Z";
    out += fmt::format("<path d=\"{}\" fill=\"{}\" stroke=\"{}\" stroke-width=\"1\"><title>{}</title></path>\n", d,
                       escape(s.color), ink, escape(s.name));
    below = above;
  }
  out += "</svg>\n";
  return out;
}

std::string flow_chart(FlowChart c) {
  // Tiers named only by a flow join at the right, in order of appearance.
  auto index_of = [&](const std::string& name) -> size_t {
    for (size_t i = 0; i < c.tiers.size(); ++i)
      if (c.tiers[i].name == name) return i;
    c.tiers.push_back({name, ""});
    return c.tiers.size() - 1;
  };
  double most = 0;
  for (const auto* flows : {&c.up, &c.down})
    for (const auto& f : *flows)
      if (finite(f.count) > 0) {
        index_of(f.from);
        index_of(f.to);
        most = std::max(most, finite(f.count));
      }
  if (c.tiers.empty()) return placeholder(c.title, c.width, c.height);

  std::string out = open_svg(c.title, c.width, c.height);
  double w = c.width, h = c.height, pad = 12;
  double col = (w - 2 * pad) / static_cast<double>(c.tiers.size());
  double box_w = std::min(124.0, col * 0.72), box_h = 64;
  double box_top = h / 2 - box_h / 2, box_bottom = box_top + box_h;
  auto cx = [&](size_t i) { return pad + col * (static_cast<double>(i) + 0.5); };

  // Legend.
  out += fmt::format("<rect x=\"{}\" y=\"8\" width=\"12\" height=\"12\" fill=\"{}\"/>\n", num(pad), palette::vermillion);
  out += text(pad + 16, 18, "escalations (above)", "start", 12);
  out += fmt::format("<rect x=\"{}\" y=\"8\" width=\"12\" height=\"12\" fill=\"{}\"/>\n", num(pad + 170), palette::blue);
  out += text(pad + 186, 18, "de-escalations (below)", "start", 12);

  size_t max_span = std::max<size_t>(1, c.tiers.size() - 1);
  auto arcs = [&](const std::vector<Flow>& flows, bool above, const char* color) {
    for (const auto& f : flows) {
      double count = finite(f.count);
      if (count <= 0) continue;
      size_t a = index_of(f.from), b = index_of(f.to);
      if (a == b) continue;
      double span = static_cast<double>(a > b ? a - b : b - a);
      double sw = 2 + 12 * count / most;
      double sign = above ? -1 : 1;
      // Leave from the right of a box and arrive at the left of the next, so up and back do not cross.
      double shift = box_w * 0.22 * (a < b ? 1 : -1);
      double x_start = cx(a) + shift, x_end = cx(b) - shift;
      double y_edge = above ? box_top : box_bottom;
      double room = above ? box_top - 30 : h - box_bottom - 8;
      double lift = std::min(2 * room, 2 * room * (0.45 + 0.55 * (span - 1) / static_cast<double>(max_span)));
      double ctl_x = (x_start + x_end) / 2, ctl_y = y_edge + sign * lift;
      // The arrowhead sits on the box edge; the stroke stops short of its tip.
      double dx = x_end - ctl_x, dy = y_edge - ctl_y, len = std::hypot(dx, dy);
      if (len <= 0) continue;
      dx /= len;
      dy /= len;
      double head = 7 + sw * 0.8, half = 4 + sw * 0.6;
      double sx = x_end - dx * head * 0.8, sy = y_edge - dy * head * 0.8;
      std::string label = fmt::format("{} {} {}: {}", f.from, above ? "up to" : "down to", f.to, f.label.empty() ? tick_label(count) : f.label);
      out += fmt::format("<path d=\"M{} {} Q{} {} {} {}\" fill=\"none\" stroke=\"{}\" stroke-width=\"{}\"><title>{}</title></path>\n",
                         num(x_start), num(y_edge), num(ctl_x), num(ctl_y), num(sx), num(sy), color, num(sw), escape(label));
      double bx = x_end - dx * head, by = y_edge - dy * head;
      out += fmt::format("<polygon points=\"{},{} {},{} {},{}\" fill=\"{}\"/>\n", num(x_end), num(y_edge), num(bx - dy * half), num(by + dx * half),
                         num(bx + dy * half), num(by - dx * half), color);
      // The count at the top (or bottom) of the curve: a quadratic's midpoint.
      double mx = (x_start + 2 * ctl_x + sx) / 4, my = (y_edge + 2 * ctl_y + sy) / 4;
      out += text(mx, above ? my - sw / 2 - 4 : my + sw / 2 + 13, f.label.empty() ? tick_label(count) : f.label, "middle", 12,
                  " font-weight=\"bold\" stroke=\"#FFFFFF\" stroke-width=\"3\" paint-order=\"stroke\"");
    }
  };
  arcs(c.up, true, palette::vermillion);
  arcs(c.down, false, palette::blue);

  for (size_t i = 0; i < c.tiers.size(); ++i) {
    double x = cx(i) - box_w / 2;
    out += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"6\" fill=\"#F4F4F4\" stroke=\"{}\" stroke-width=\"1.5\"/>\n", num(x),
                       num(box_top), num(box_w), num(box_h), ink);
    out += text(cx(i), box_top + 20, truncate(c.tiers[i].name, 14), "middle", 15, " font-weight=\"bold\"");
    double y = box_top + 36;
    for (const auto& line : split(c.tiers[i].caption, '\n')) {
      out += text(cx(i), y, truncate(line, 20), "middle", 11);
      y += 14;
    }
  }
  if (most <= 0) out += text(w / 2, box_bottom + 40, "no escalations or de-escalations in this period", "middle", 12);
  out += "</svg>\n";
  return out;
}

}  // namespace desk::svg
