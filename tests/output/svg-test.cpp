// Tests for include/inspectsim/svg.hpp.
#include "inspectsim/output/svg.hpp"

#include <cmath>
#include <limits>
#include <string>

#include <doctest/doctest.h>

#include "support/support.hpp"

using namespace inspectsim;
using namespace inspectsim::output;
using namespace inspectsim::output::svg;
using inspectsim::test::xml_problems;

namespace {

constexpr double k_nan = std::numeric_limits<double>::quiet_NaN();
constexpr double k_inf = std::numeric_limits<double>::infinity();

std::size_t count(const std::string& s, const std::string& what) {
  std::size_t n = 0;
  for (std::size_t at = s.find(what); at != std::string::npos; at = s.find(what, at + 1)) ++n;
  return n;
}

// Every chart: well-formed XML, a text alternative, no ids, no NaN or infinity anywhere, and the
// force name with its ampersand escaped (never raw).
void check_chart(const std::string& svg, const std::string& title) {
  INFO(svg);
  CHECK(xml_problems(svg) == "");
  CHECK(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
  CHECK(svg.find("role=\"img\"") != std::string::npos);
  CHECK(svg.find("aria-label=\"" + title + "\"") != std::string::npos);
  CHECK(svg.find("<title>" + title + "</title>") != std::string::npos);
  CHECK(svg.find("<desc>") != std::string::npos);
  CHECK(svg.find(" id=") == std::string::npos);
  CHECK_FALSE(test::contains_word(svg, "nan"));
  CHECK_FALSE(test::contains_word(svg, "inf"));
  CHECK(svg.find("Avon & ") == std::string::npos);
}

IntervalRow row(std::string label, double estimate, double lower, double upper, bool highlight = false) {
  IntervalRow r;
  r.label = std::move(label);
  r.estimate = estimate;
  r.lower = lower;
  r.upper = upper;
  r.highlight = highlight;
  return r;
}

Frame titled(std::string title) {
  Frame f;
  f.title = std::move(title);
  return f;
}

Series series(std::string name, std::vector<Point> points) {
  Series s;
  s.name = std::move(name);
  s.points = std::move(points);
  return s;
}

}  // namespace

TEST_CASE("xml_escape escapes markup characters and drops forbidden control characters") {
  CHECK(xml_escape("Avon & Somerset <\"a\"> 'b'") ==
        "Avon &amp; Somerset &lt;&quot;a&quot;&gt; &apos;b&apos;");
  CHECK(xml_escape(std::string("a\x01"
                               "b\tc\nd",
                               7)) == "ab\tc\nd");
  CHECK(xml_escape("Dyfed–Powys") == "Dyfed–Powys");  // UTF-8 passes through
}

TEST_CASE("nice ticks: steps of 1, 2 or 5 times a power of ten covering the range") {
  // Expected values follow Heckbert's (1990) loose labelling worked by hand: the range rounded up
  // to a nice number, divided by the target count and rounded to the nearest nice number.
  Ticks t = nice_ticks(0, 1);
  CHECK(t.step == doctest::Approx(0.2));
  CHECK(t.lo == 0);
  CHECK(t.hi == doctest::Approx(1));
  CHECK(t.values.size() == 6);
  CHECK(t.decimals == 1);

  t = nice_ticks(0, 17);  // a count distribution over 0..17
  CHECK(t.step == 5);
  CHECK(t.hi == 20);
  CHECK(t.decimals == 0);

  t = nice_ticks(0.031, 0.29);
  CHECK(t.step == doctest::Approx(0.1));
  CHECK(t.lo == 0);
  CHECK(t.hi == doctest::Approx(0.3));

  t = nice_ticks(-0.3, 0.2);  // a difference of two rates: zero is a tick, exactly
  CHECK(t.step == doctest::Approx(0.1));
  CHECK(t.values.size() == 6);
  CHECK(t.values[3] == 0.0);

  t = nice_ticks(0, 3, 5, true);  // counts: never a half
  CHECK(t.step == 1);
  CHECK(t.values.size() == 4);

  t = nice_ticks(14, 400);  // sample sizes of a national funnel plot
  CHECK(t.step == 100);
  CHECK(t.lo == 0);
  CHECK(t.hi == 400);

  t = nice_ticks(1200, 1200);  // a degenerate range is widened around the value
  CHECK(t.lo < 1200);
  CHECK(t.hi > 1200);
}

TEST_CASE("nice ticks hold their properties on many ranges") {
  for (int i = 1; i < 400; ++i) {
    const double lo = std::sin(i) * std::pow(10.0, i % 7 - 3);
    const double hi = lo + std::abs(std::cos(i * 1.3)) * std::pow(10.0, (i * 3) % 7 - 3) + 1e-6;
    const Ticks t = nice_ticks(lo, hi);
    INFO(lo, " ", hi);
    REQUIRE(t.step > 0);
    const double mantissa = t.step / std::pow(10.0, std::floor(std::log10(t.step) + 1e-9));
    CHECK((std::abs(mantissa - 1) < 1e-9 || std::abs(mantissa - 2) < 1e-9 || std::abs(mantissa - 5) < 1e-9));
    CHECK(t.lo <= lo);
    CHECK(t.hi >= hi);
    const double intervals = (t.hi - t.lo) / t.step;
    CHECK(std::abs(intervals - std::round(intervals)) < 1e-6);
    CHECK(intervals >= 2);
    CHECK(intervals <= 12);
    CHECK(t.values.size() == static_cast<std::size_t>(std::round(intervals)) + 1);
  }
}

TEST_CASE("line chart: series, markers, reference line and units") {
  LineChart c;
  c.frame.title = "Coverage of 95% intervals, n = 17";
  c.x = share_axis("True error rate");
  c.y = share_axis("Coverage", 0.7, 1);
  c.series = {series("Wilson", {{0.1, 0.93}, {0.2, 0.95}, {0.3, 0.96}}),
              series("Clopper-Pearson", {{0.1, 0.98}, {0.2, 0.97}, {0.3, 0.975}}),
              series("Wald", {{0.1, 0.80}, {0.15, 0.85}, {0.2, k_nan}, {0.25, 0.9}, {0.3, 0.92}})};
  c.y_references = {Reference{0.95, "nominal 95%"}};
  const std::string svg = line_chart(c);
  check_chart(svg, "Coverage of 95% intervals, n = 17");
  CHECK(count(svg, "<polyline") == 4);  // Wald is split in two at its missing point
  CHECK(svg.find("nominal 95%") != std::string::npos);
  CHECK(svg.find("stroke-dasharray=\"7 4\"") != std::string::npos);  // series differ without colour
  CHECK(svg.find(">90%</text>") != std::string::npos);               // percentage ticks
  CHECK(svg.find("1 point was not a finite number and is not drawn.") != std::string::npos);
}

TEST_CASE("bar chart: the truth is marked and the exact distribution overlaid") {
  BarChart c;
  c.frame.title = "Observed count, Avon & Somerset";
  c.x = count_axis("Records found wrong", "records");
  c.y = share_axis("Probability", 0, 0.25);
  c.bar_name = "simulated";
  for (int x = 0; x <= 17; ++x) c.bars.push_back({static_cast<double>(x), x == 9 ? 0.19 : 0.05});
  c.overlay = series("exact", {{9, 0.185}, {10, k_inf}});
  c.x_marks = {Reference{8.5, "truth: 8.5 of 17"}};
  const std::string svg = bar_chart(c);
  check_chart(svg, "Observed count, Avon &amp; Somerset");
  CHECK(svg.find("Records found wrong (records)") != std::string::npos);
  CHECK(svg.find("truth: 8.5 of 17") != std::string::npos);
  CHECK(svg.find("Marked: truth: 8.5 of 17 at 8.") != std::string::npos);
  CHECK(svg.find("not a finite number") != std::string::npos);
}

TEST_CASE("interval chart: sorted rows, highlighted rows, reference line, escaped labels") {
  IntervalChart c;
  c.frame.title = "Cancelled wrongly, by force";
  c.x = share_axis("Share cancelled wrongly");
  c.highlight_name = "above the 99.8% limit";
  c.rows = {row("Kent", 0.2, 0.1, 0.35), row("Avon & Somerset", 0.53, 0.31, 0.74, true),
            row("Lancashire", 0.05, 0.01, 0.24), row("Broken", k_nan, 0, 1),
            row("No interval", 0.4, k_nan, k_inf)};
  c.x_references = {Reference{0.25, "pooled 25%"}};
  const std::string svg = interval_chart(c);
  check_chart(svg, "Cancelled wrongly, by force");
  // Largest estimate first.
  const auto avon = svg.find(">Avon &amp; Somerset</text>");
  const auto kent = svg.find(">Kent</text>");
  const auto lancs = svg.find(">Lancashire</text>");
  REQUIRE(avon != std::string::npos);
  CHECK(avon < kent);
  CHECK(kent < lancs);
  CHECK(svg.find("above the 99.8% limit: Avon &amp; Somerset.") != std::string::npos);
  CHECK(svg.find("1 row was not a finite number") != std::string::npos);
  CHECK(svg.find("1 rows have no finite interval") != std::string::npos);

  // One row per force: the chart grows with the rows.
  IntervalChart big = c;
  big.rows.clear();
  for (int i = 0; i < 43; ++i) big.rows.push_back(row("Force " + std::to_string(i), i / 100.0, 0, i / 50.0));
  const std::string tall = interval_chart(big);
  CHECK(xml_problems(tall) == "");
  CHECK(tall.find("height=\"420.0\"") == std::string::npos);
  CHECK(tall.find(">Force 42</text>") < tall.find(">Force 0</text>"));
}

TEST_CASE("funnel chart: limits at several levels and labelled outliers") {
  FunnelChart c;
  c.frame.title = "Funnel plot: rape, 2018";
  c.x = count_axis("Records sampled", "records");
  c.y = share_axis("Share wrong");
  c.target = Reference{0.2, "pooled rate 20%"};
  for (double n = 10; n <= 40; n += 10) {
    const double h = 2 * std::sqrt(0.16 / n);
    c.limits.resize(2);
    c.limits[0].name = "95% limits";
    c.limits[0].lower.push_back({n, std::max(0.0, 0.2 - h)});
    c.limits[0].upper.push_back({n, 0.2 + h});
    c.limits[1].name = "99.8% limits";
    c.limits[1].lower.push_back({n, std::max(0.0, 0.2 - 1.5 * h)});
    c.limits[1].upper.push_back({n, n == 20 ? k_nan : 0.2 + 1.5 * h});
  }
  c.points = {FunnelPoint{"Avon & Somerset", 17, 0.53, true}, FunnelPoint{"Kent", 20, 0.2, false},
              FunnelPoint{"Humberside", 20, 0.4, false}};
  const std::string svg = funnel_chart(c);
  check_chart(svg, "Funnel plot: rape, 2018");
  CHECK(svg.find(">Avon &amp; Somerset</text>") != std::string::npos);  // the outlier is labelled
  CHECK(svg.find(">Kent</text>") == std::string::npos);                 // the others are not
  CHECK(count(svg, "<polyline") == 4);
  CHECK(svg.find("outside the widest limits: Avon &amp; Somerset.") != std::string::npos);
}

TEST_CASE("stacked bar chart: one bar per cell, segments in the legend") {
  StackedBarChart c;
  c.frame.title = "Grades awarded";
  c.value = share_axis("Probability");
  c.segments = {"good", "requires improvement", "inadequate"};
  c.bars = {StackedBar{"true rate 4%", {0.8, 0.15, 0.05}}, StackedBar{"true rate 6%", {0.45, 0.4, k_nan}}};
  const std::string svg = stacked_bar_chart(c);
  check_chart(svg, "Grades awarded");
  CHECK(svg.find(">requires improvement</text>") != std::string::npos);
  CHECK(svg.find(">80%</text>") != std::string::npos);  // values written in wide segments
  CHECK(svg.find("1 segment was not a finite number") != std::string::npos);
}

TEST_CASE("grouped bar chart: hatching tells series apart without colour") {
  GroupedBarChart c;
  c.frame.title = "Mean interval width";
  c.group_label = "Cell";
  c.y = number_axis("Mean width", "percentage points");
  c.groups = {"Hampshire / rape", "Hampshire / robbery"};
  c.series = {"Wilson", "Clopper-Pearson", "Jeffreys"};
  c.values = {{0.4, 0.41}, {0.45, 0.46}, {0.39, -k_inf}};
  const std::string svg = grouped_bar_chart(c);
  check_chart(svg, "Mean interval width");
  CHECK(svg.find("stroke=\"#FFFFFF\" stroke-width=\"1.3\"") != std::string::npos);
  CHECK(svg.find("Mean width (percentage points)") != std::string::npos);
  CHECK(svg.find("1 bar was not a finite number") != std::string::npos);
}

TEST_CASE("scatter chart: identity line and labels") {
  ScatterChart c;
  c.frame.title = "Shrunk against raw estimates";
  c.x = share_axis("Raw estimate");
  c.y = share_axis("Shrunk estimate");
  c.point_name = "force";
  c.points = {ScatterPoint{"Avon & Somerset", 0.53, 0.35, true}, ScatterPoint{"Kent", 0.2, 0.21, false},
              ScatterPoint{"Nowhere", k_nan, 0.1, false}};
  const std::string svg = scatter_chart(c);
  check_chart(svg, "Shrunk against raw estimates");
  CHECK(svg.find("y = x") != std::string::npos);
  CHECK(svg.find("Scatter plot of 2 points.") != std::string::npos);
}

TEST_CASE("empty charts are still well-formed") {
  LineChart line;
  line.frame = titled("Empty");
  check_chart(line_chart(line), "Empty");
  BarChart bar;
  bar.frame = titled("Empty");
  check_chart(bar_chart(bar), "Empty");
  IntervalChart interval;
  interval.frame = titled("Empty");
  check_chart(interval_chart(interval), "Empty");
  FunnelChart funnel;
  funnel.frame = titled("Empty");
  check_chart(funnel_chart(funnel), "Empty");
  StackedBarChart stacked;
  stacked.frame = titled("Empty");
  check_chart(stacked_bar_chart(stacked), "Empty");
  GroupedBarChart grouped;
  grouped.frame = titled("Empty");
  check_chart(grouped_bar_chart(grouped), "Empty");
  ScatterChart scatter;
  scatter.frame = titled("Empty");
  check_chart(scatter_chart(scatter), "Empty");
}

TEST_CASE("xml_escape gives well-formed XML for any string: noncharacters, bidi controls, bad bytes") {
  CHECK(xml_escape("a\xEF\xBF\xBE"
                   "b\xEF\xBF\xBF") ==
        "a\xEF\xBF\xBD"
        "b\xEF\xBF\xBD");
  CHECK(xml_escape("Evil\xE2\x80\xAE"
                   "3 of 20") ==
        "Evil\xEF\xBF\xBD"
        "3 of 20");
  CHECK(xml_escape("Caf\xE9") == "Caf\xEF\xBF\xBD");
  CHECK(xml_escape("x\x01y<z") == "xy&lt;z");
  CHECK(xml_escape("Ynys Môn") == "Ynys Môn");
  // Every chart built with hostile labels parses as XML.
  const std::string hostile = "A\xEF\xBF\xBE\xE2\x80\xAE\x1b[2J\xC2\x9B\xFF<&>\"'";
  IntervalChart chart;
  chart.frame.title = hostile;
  chart.frame.description = hostile;
  chart.x = share_axis(hostile);
  chart.rows = {{hostile, 0.2, 0.1, 0.3, false}, {"B", 0.4, 0.3, 0.5, true}};
  chart.highlight_name = hostile;
  const std::string svg_text = interval_chart(chart);
  CHECK(inspectsim::test::xml_problems(svg_text) == "");
  CHECK(svg_text.find("\xE2\x80\xAE") == std::string::npos);
}

TEST_CASE("small multiples: one panel per series on shared axes, reference line in every panel") {
  LineChart c;
  c.frame.title = "Coverage for Avon & Somerset";
  c.x = share_axis("True error rate");
  c.y = data_share_axis("Coverage");
  c.y.max = 1;
  for (const std::string name : {"Wald", "Wilson", "Jeffreys", "Clopper-Pearson", "Agresti-Coull"})
    c.series.push_back(series(name, {{0.1, 0.9}, {0.5, 0.95}, {0.9, 0.92}}));
  c.series[0].points[0].y = 0.5;  // Wald's low point sets every panel's vertical range
  c.series[4].points[1].y = k_nan;
  c.y_references = {Reference{0.95, "nominal 95%"}};
  const std::string svg = small_multiples(c, 3);
  check_chart(svg, "Coverage for Avon &amp; Somerset");
  // Five panels, each titled by its series, each with the nominal line (5 panels + legend key).
  for (const std::string name : {"Wald", "Wilson", "Jeffreys", "Clopper-Pearson", "Agresti-Coull"})
    CHECK(svg.find(">" + name + "</text>") != std::string::npos);
  CHECK(count(svg, "stroke-dasharray=\"5 3\"") == 6);
  // Shared axes: the vertical ticks run from 50% in every panel, labelled once per row (2 rows).
  CHECK(count(svg, ">50%</text>") == 2);
  CHECK(svg.find("5 panels, one per series, on shared axes") != std::string::npos);
  CHECK(svg.find("Wald (3 points, lowest 50.0% at 10.0%)") != std::string::npos);
  CHECK(svg.find("1 point was not a finite number and is not drawn.") != std::string::npos);
}

TEST_CASE("heat map: five classes of one hue, values written, the lowest named") {
  HeatMap h;
  h.frame.title = "P(correct grade): Avon & Somerset";
  h.column_label = "True error rate";
  h.row_label = "Sample size";
  h.value_label = "P(correct grade)";
  h.columns = {"5%", "10%", "15%"};
  h.rows = {"n = 20", "n = 40"};
  h.values = {{0.95, 0.45, 0.1}, {0.99, 0.5, k_nan}};
  const std::string svg = heat_map(h);
  check_chart(svg, "P(correct grade): Avon &amp; Somerset");
  // ColorBrewer Blues: 10% in the lightest class, 45% in the third, 95% and 99% in the darkest
  // (with white text), 50% in the third boundary class [40%, 60%).
  CHECK(count(svg, "fill=\"#EFF3FF\" stroke") == 1);
  CHECK(count(svg, "fill=\"#6BAED6\" stroke") == 2);
  CHECK(count(svg, "fill=\"#08519C\" stroke") == 2);
  CHECK(svg.find(">45%</text>") != std::string::npos);
  CHECK(svg.find("fill=\"#FFFFFF\">95%</text>") != std::string::npos);
  CHECK(svg.find("from 10.0% (n = 20, 15%) to 99.0%") != std::string::npos);
  CHECK(svg.find("1 cell was not a finite number and is not drawn.") != std::string::npos);
}
