// Charts as SVG text, shared by the command line (`compare --plot`) and the HTML reports.
//
// Pure functions: plain data in, one standalone `<svg>` element out (no I/O, no randomness).
// Every chart has a title, labelled axes with units, a legend where there is more than one kind of
// mark, and a text alternative (`role="img"`, `aria-label`, `<title>`, `<desc>`). Every label is
// XML-escaped. Colours come from the Okabe-Ito palette (Okabe and Ito 2008, "Color Universal
// Design"), which colour-blind readers can tell apart; each series also differs by marker shape,
// dash pattern or hatching so the chart still reads in greyscale. Non-finite values are never
// written: they are left out and the chart's description says how many were.
// The SVG uses no ids, so any number of charts can sit in one HTML page.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace inspectsim::output::svg {

// ---- Building blocks ---------------------------------------------------------------------------

// Escapes & < > " ' for use in XML text and attribute values, drops the control characters
// XML 1.0 does not allow (everything below U+0020 except tab, LF and CR), and writes U+FFFD for
// bytes that are not UTF-8, noncharacters (U+FFFE, U+FFFF, which XML forbids) and bidirectional
// controls (U+202E would reverse the figures after a name). So any string gives well-formed XML.
std::string xml_escape(std::string_view text);

// Tick marks for a linear axis: `values` run from `lo` to `hi` (both multiples of `step`) and
// cover [min, max]. The step is 1, 2 or 5 times a power of ten, chosen so there are about
// `target` intervals ("loose labelling", Heckbert 1990, "Nice numbers for graph labels",
// Graphics Gems, pp. 61-63). `integer` forces a whole-number step (for counts).
// Requires finite min <= max; a degenerate range is widened around the value.
struct Ticks {
  double lo = 0;
  double hi = 1;
  double step = 0.2;
  int decimals = 1;  // decimals that show every tick exactly
  std::vector<double> values;
};
Ticks nice_ticks(double min, double max, int target = 5, bool integer = false);

// The colour of series i (cycles through Okabe-Ito without yellow, which is too light for lines):
// blue, vermillion, bluish green, reddish purple, orange, sky blue, black.
std::string_view series_colour(std::size_t i) noexcept;

// An axis. Shares (`percent`) are drawn as 0%..100%. The unit is shown after the label in
// brackets: "Sample size (records)". Without min/max the range comes from the data, widened to
// nice ticks.
struct Axis {
  std::string label;
  std::string unit;
  bool percent = false;
  bool integer = false;  // whole-number ticks (counts, ranks)
  std::optional<double> min;
  std::optional<double> max;
};

// Shorthands: a share axis (0%..100%), a count axis (whole numbers), a plain number axis.
Axis share_axis(std::string label, double min = 0, double max = 1);
Axis count_axis(std::string label, std::string unit);
Axis number_axis(std::string label, std::string unit = "");
// A share axis whose range follows the data (share_axis fixes 0%..100%).
Axis data_share_axis(std::string label);

// A straight reference line across the plot at `value` (on the chart's value axis), labelled.
struct Reference {
  double value = 0;
  std::string label;
};

struct Point {
  double x = 0;
  double y = 0;
};

// Size and text common to every chart. `description` opens the text alternative; the chart adds
// a summary of what it draws.
struct Frame {
  std::string title;
  std::string description;
  double width = 720;
  double height = 420;  // ignored by charts with one row per item (intervals, stacked bars)
};

// ---- Chart types -------------------------------------------------------------------------------

// Several series of (x, y) points joined by lines, e.g. coverage against the true rate for each
// interval method, with horizontal reference lines (the nominal level).
struct Series {
  std::string name;
  std::vector<Point> points;
};
struct LineChart {
  Frame frame;
  Axis x;
  Axis y;
  std::vector<Series> series;
  std::vector<Reference> y_references;
};
std::string line_chart(const LineChart& chart);

// The same data as small multiples (Tufte 1983, "The Visual Display of Quantitative
// Information", ch. 8; Brown, Cai and DasGupta 2001 draw coverage so): one panel per series, in
// rows of `columns`, every panel on the same x and y axes so panels compare at a glance. Each
// series keeps its colour, dash and marker; the reference lines are drawn in every panel. For
// more than about four series, where one panel of overlapping lines cannot be read.
std::string small_multiples(const LineChart& chart, std::size_t columns = 3);

// A histogram or bar chart over numeric x: one bar per point (height y), an optional second
// series drawn as markers over the bars (exact probabilities over simulated ones), and marked x
// values drawn as vertical lines (the true count).
struct BarChart {
  Frame frame;
  Axis x;
  Axis y;
  std::string bar_name;  // legend entry for the bars
  std::vector<Point> bars;
  double bar_width = 1;  // in x units
  std::optional<Series> overlay;
  std::vector<Reference> x_marks;
};
std::string bar_chart(const BarChart& chart);

// Horizontal intervals, one row per item (a forest or caterpillar plot), optionally sorted by the
// estimate, with vertical reference lines (the pooled rate, zero difference).
struct IntervalRow {
  std::string label;
  double estimate = 0;
  double lower = 0;
  double upper = 0;
  bool highlight = false;  // drawn differently and named in the legend by `highlight_name`
};
enum class Order { as_given, ascending, descending };
struct IntervalChart {
  Frame frame;
  Axis x;
  std::string estimate_name = "estimate";  // legend entries
  std::string interval_name = "interval";
  std::string highlight_name;
  std::vector<IntervalRow> rows;
  Order order = Order::descending;  // largest estimate at the top
  std::vector<Reference> x_references;
};
std::string interval_chart(const IntervalChart& chart);

// A funnel plot: each unit's rate (y) against its sample size (x), control limits as curves (one
// dash pattern per level, lower and upper), the target as a horizontal line, and the outliers
// drawn differently and labelled.
struct FunnelPoint {
  std::string label;
  double x = 0;
  double y = 0;
  bool outlier = false;
};
struct FunnelLimits {
  std::string name;  // "99.8% limits"
  std::vector<Point> lower;
  std::vector<Point> upper;
};
struct FunnelChart {
  Frame frame;
  Axis x;
  Axis y;
  std::vector<FunnelPoint> points;
  std::vector<FunnelLimits> limits;
  std::optional<Reference> target;
  std::string point_name = "unit";  // legend entry for the points ("force")
  std::string outlier_name = "outside the widest limits";
};
std::string funnel_chart(const FunnelChart& chart);

// Horizontal bars split into segments (grade probabilities), one bar per item; segment values are
// on the value axis (usually shares adding up to 1).
struct StackedBar {
  std::string label;
  std::vector<double> values;  // one per segment name
};
struct StackedBarChart {
  Frame frame;
  Axis value;
  std::vector<std::string> segments;
  std::vector<StackedBar> bars;
};
std::string stacked_bar_chart(const StackedBarChart& chart);

// A heat map: values[r][c] (a share in [0, 1]) for row r and column c, e.g. P(correct grade) with
// the true rate across and the sample size down. Shares are binned into five classes of a
// sequential single-hue blue scale (ColorBrewer "Blues", Harrower and Brewer 2003; light to dark
// reads the same to colour-blind readers and in greyscale), with the value written in each cell
// wide enough to hold it. Non-finite values are drawn as empty (hatched) cells.
struct HeatMap {
  Frame frame;
  std::string column_label;  // axis titles: "True error rate", "Sample size (records)"
  std::string row_label;
  std::string value_label;  // what the colour shows: "P(correct grade)"
  std::vector<std::string> columns;
  std::vector<std::string> rows;
  std::vector<std::vector<double>> values;
};
std::string heat_map(const HeatMap& chart);

// Vertical bars in groups: values[s][g] is series s in group g (interval width by method for
// each cell).
struct GroupedBarChart {
  Frame frame;
  std::string group_label;  // what the groups are ("Cell")
  Axis y;
  std::vector<std::string> groups;
  std::vector<std::string> series;
  std::vector<std::vector<double>> values;
};
std::string grouped_bar_chart(const GroupedBarChart& chart);

// Points (x, y) with the identity line y = x, e.g. shrunk against raw estimates; points with a
// label are labelled.
struct ScatterPoint {
  std::string label;
  double x = 0;
  double y = 0;
  bool show_label = false;
};
struct ScatterChart {
  Frame frame;
  Axis x;
  Axis y;
  std::string point_name = "point";
  std::vector<ScatterPoint> points;
  bool identity = true;
};
std::string scatter_chart(const ScatterChart& chart);

}  // namespace inspectsim::output::svg
