#pragma once
// A small kit of SVG charts for the HTML report: stacked or grouped bars, stacked areas and a
// tier-flow diagram. Pure and deterministic: numbers in, well-formed SVG text out (XML syntax,
// every text escaped, no NaN or infinity ever written; empty data draws a placeholder).
#include <string>
#include <string_view>
#include <vector>

namespace desk::svg {

/// Colour-blind-safe colours (Okabe and Ito), dark enough or drawn with a dark outline.
namespace palette {
inline constexpr const char* orange = "#E69F00";
inline constexpr const char* sky = "#56B4E9";
inline constexpr const char* green = "#009E73";
inline constexpr const char* yellow = "#F0E442";
inline constexpr const char* blue = "#0072B2";
inline constexpr const char* vermillion = "#D55E00";
inline constexpr const char* purple = "#CC79A7";
inline constexpr const char* grey = "#6B6B6B";
}  // namespace palette

/// Text made safe for XML and HTML content and attribute values: control characters and
/// invalid UTF-8 removed or replaced, then & < > " ' escaped.
std::string escape(std::string_view text);

/// A number as SVG coordinate text with at most one decimal ("12", "3.5"); NaN and infinities
/// are written as 0.
std::string num(double v);

/// Round axis ticks from 0 covering [0, max]: steps of 1, 2 or 5 times a power of ten, at most
/// max_ticks + 1 of them, the last one >= max. With integer_steps, steps are at least 1. An
/// empty, negative or non-finite max gives {0, 1}.
std::vector<double> nice_ticks(double max, int max_ticks, bool integer_steps = true);

/// A tick label: "0", "25", "1.5", "2k" (thousands), without trailing zeros.
std::string tick_label(double v);

struct Series {
  std::string name;
  std::string color;
  std::vector<double> values;  // one per category
};

struct BarChart {
  std::string title;      // the chart's <title> and aria-label
  std::string y_label;    // the y axis label, e.g. "tickets"
  std::vector<std::string> categories;  // x labels
  std::vector<Series> series;
  bool stacked = false;   // stacked, else grouped side by side
  int width = 640, height = 300;
  size_t max_x_labels = 12;  // every k-th category is labelled when there are more
};

/// Vertical bars: one group or stack per category, a legend for several series.
std::string bar_chart(const BarChart& c);

/// The same data drawn as stacked areas (the series from bottom to top), for a time series.
std::string area_chart(const BarChart& c);

struct Flow {
  std::string from, to;
  double count = 0;
  std::string label;  // drawn on the arc (default: the count)
};

struct TierNode {
  std::string name;
  std::string caption;  // up to two short lines ('\n'): "4 resolved here"
};

struct FlowChart {
  std::string title;
  std::vector<TierNode> tiers;  // left to right, lowest tier first
  std::vector<Flow> up;         // escalations, drawn above the nodes
  std::vector<Flow> down;       // de-escalations, drawn below
  int width = 640, height = 320;
};

/// Tiers as boxes in a row; each escalation pair an arc above them and each de-escalation pair
/// an arc below, with a width proportional to its count and the count written on it. Flows that
/// name a tier missing from `tiers` are drawn to a node added at the right.
std::string flow_chart(FlowChart c);

}  // namespace desk::svg
