#include "inspectsim/report.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <tuple>

#include "inspectsim/compare_plots.hpp"
#include "inspectsim/html.hpp"
#include "inspectsim/svg.hpp"
#include "inspectsim/version.hpp"

namespace inspectsim {

namespace {

// ---- Shared by the reports ---------------------------------------------------------------------

std::string pct(double v, int decimals = 1) { return std::isfinite(v) ? format_percent(v, decimals) : "-"; }
std::string pct(const std::optional<double>& v, int decimals = 1) { return v ? pct(*v, decimals) : "-"; }

// A share axis whose range follows the data (share_axis fixes 0..100%).
svg::Axis data_share_axis(std::string label) {
  svg::Axis a;
  a.label = std::move(label);
  a.percent = true;
  return a;
}

// The 95% Monte Carlo interval of a simulated share, clipped to [0, 1].
std::pair<double, double> mc_interval(const Estimate& e) {
  return {std::clamp(e.value - 1.96 * e.se, 0.0, 1.0), std::clamp(e.value + 1.96 * e.se, 0.0, 1.0)};
}

// At most `limit` indices out of 0..n-1, evenly spread, first and last included.
std::vector<std::size_t> spread(std::size_t n, std::size_t limit) {
  std::vector<std::size_t> out;
  if (n <= limit) {
    for (std::size_t i = 0; i < n; ++i) out.push_back(i);
    return out;
  }
  for (std::size_t k = 0; k < limit; ++k) out.push_back(k * (n - 1) / (limit - 1));
  return out;
}

std::string shown_of(std::size_t shown, std::size_t total, std::string_view what) {
  if (shown >= total) return "";
  return "The charts show " + std::to_string(shown) + " of the " + std::to_string(total) + " " +
         std::string(what) + ", evenly spread; the tables hold every one.";
}

// ---- The simulate report -----------------------------------------------------------------------

std::string cell_name(const CellPoint& c) { return c.force + " / " + c.category; }

std::string truth_text(const PointResult& p) {
  const Truth& t = p.point.truth;
  if (t.kind == Truth::Kind::beta)
    return "Beta(" + format_number(t.a) + ", " + format_number(t.b) + "), mean " + pct(p.true_rate);
  std::string s = pct(p.true_rate);
  if (p.true_count && p.point.population)
    s += " (" + std::to_string(*p.true_count) + " of " + std::to_string(*p.point.population) + ")";
  return s;
}

std::string population_text(const CellPoint& c) {
  return c.population ? std::to_string(*c.population) + " records" : "an unlimited stream";
}

class SimulationReport {
 public:
  explicit SimulationReport(const SimulationResult& r) : r_(r) {
    for (const auto& p : r.points) ++points_per_cell_[p.point.cell];
    // Points that read the same (a list repeating a rate) are told apart by their position.
    std::map<std::string, std::size_t> seen;
    for (const auto& p : r.points) ++seen[base_label(p)];
    std::map<std::string, std::size_t> nth;
    for (const auto& p : r.points) {
      const std::string b = base_label(p);
      labels_.push_back(seen[b] > 1 ? b + " (#" + std::to_string(++nth[b]) + ")" : b);
    }
    find_sweeps();
  }

  std::string render() {
    html::Document d;
    const SimulationSpec& spec = r_.spec;
    d.title = spec.title.empty() ? "Simulation report" : spec.title;
    d.subtitle = std::to_string(r_.points.size()) + (r_.points.size() == 1 ? " cell point" : " cell points") +
                 ", " + std::to_string(spec.replicates) + " simulated inspections of each, " +
                 pct(spec.confidence, 1) + " intervals.";
    d.findings = findings();
    d.provenance.version = r_.version.empty() ? version() : r_.version;
    d.provenance.seed = spec.seed;
    d.provenance.replicates = spec.replicates;
    d.provenance.input_path = spec.source_path;
    d.provenance.input_sha256 = spec.source_sha256;
    d.provenance.settings = {{"Confidence", pct(spec.confidence, 1)}, {"Interval methods", method_list()}};
    d.sections.push_back(coverage_section());
    d.sections.push_back(count_section());
    d.sections.push_back(width_section());
    if (std::any_of(r_.points.begin(), r_.points.end(), [](const auto& p) { return !p.grades.empty(); }))
      d.sections.push_back(grade_section());
    if (!r_.comparisons.empty()) d.sections.push_back(comparison_section());
    return html::render_html(d);
  }

 private:
  const SimulationResult& r_;
  std::map<std::size_t, std::size_t> points_per_cell_;
  std::vector<std::string> labels_;               // one per point, distinct
  std::vector<std::vector<std::size_t>> sweeps_;  // points of one cell and sample, by true rate
  std::vector<std::size_t> singles_;              // points in no sweep

  std::string method_list() const {
    std::string s;
    for (const Method m : r_.spec.methods) s += (s.empty() ? "" : ", ") + std::string(method_label(m));
    return s;
  }

  std::string base_label(const PointResult& p) const {
    std::string s = cell_name(p.point);
    if (points_per_cell_.at(p.point.cell) > 1)
      s += ", true rate " + truth_text(p) + ", n = " + std::to_string(p.point.sample);
    return s;
  }

  const std::string& label(const PointResult& p) const {
    return labels_[static_cast<std::size_t>(&p - r_.points.data())];
  }

  // A sweep: the points of one cell with one sample size and population and at least three
  // distinct fixed true rates; drawn as curves against the true rate. Every other point stands alone.
  void find_sweeps() {
    std::map<std::tuple<std::size_t, std::int64_t, std::int64_t>, std::vector<std::size_t>> groups;
    std::vector<std::tuple<std::size_t, std::int64_t, std::int64_t>> order;
    for (std::size_t i = 0; i < r_.points.size(); ++i) {
      const CellPoint& c = r_.points[i].point;
      const auto key = std::make_tuple(c.cell, c.sample, c.population.value_or(-1));
      if (!groups.contains(key)) order.push_back(key);
      groups[key].push_back(i);
    }
    for (const auto& key : order) {
      auto idx = groups[key];
      const bool fixed = std::all_of(idx.begin(), idx.end(), [&](std::size_t i) {
        return r_.points[i].point.truth.kind == Truth::Kind::fixed;
      });
      std::stable_sort(idx.begin(), idx.end(), [&](std::size_t a, std::size_t b) {
        return r_.points[a].true_rate < r_.points[b].true_rate;
      });
      const bool distinct = std::adjacent_find(idx.begin(), idx.end(), [&](std::size_t a, std::size_t b) {
                              return r_.points[a].true_rate == r_.points[b].true_rate;
                            }) == idx.end();
      if (fixed && distinct && idx.size() >= 3) {
        sweeps_.push_back(idx);
      } else {
        singles_.insert(singles_.end(), idx.begin(), idx.end());
      }
    }
    std::sort(singles_.begin(), singles_.end());
  }

  std::string sweep_name(const std::vector<std::size_t>& sweep) const {
    const CellPoint& c = r_.points[sweep.front()].point;
    return cell_name(c) + ", n = " + std::to_string(c.sample) +
           (c.population ? " of " + std::to_string(*c.population) : std::string());
  }

  // One sentence per cell: how often its intervals hold the truth, and its grades.
  std::vector<std::string> findings() const {
    std::vector<std::string> out;
    std::map<std::size_t, std::vector<const PointResult*>> by_cell;
    for (const auto& p : r_.points) by_cell[p.point.cell].push_back(&p);
    for (const auto& [cell, points] : by_cell) {
      if (points.size() == 1) {
        out.push_back(point_finding(*points.front()));
        continue;
      }
      // Several points: the worst coverage of each method over the cell's points.
      std::string s = cell_name(points.front()->point) + " (" + std::to_string(points.size()) +
                      " combinations of true rate and sample size): the lowest coverage of a nominal " +
                      pct(r_.spec.confidence, 0) + " interval is ";
      std::vector<std::string> parts;
      for (std::size_t m = 0; m < r_.spec.methods.size(); ++m) {
        const PointResult* worst = nullptr;
        for (const auto* p : points)
          if (m < p->methods.size() &&
              (!worst || p->methods[m].coverage.value < worst->methods[m].coverage.value))
            worst = p;
        if (worst)
          parts.push_back(pct(worst->methods[m].coverage.value) + " for " +
                          std::string(method_label(worst->methods[m].method)) + " (true rate " +
                          pct(worst->true_rate) + ", n = " + std::to_string(worst->point.sample) + ")");
      }
      for (std::size_t i = 0; i < parts.size(); ++i) s += (i == 0 ? "" : "; ") + parts[i];
      const PointResult* worst_grade = nullptr;
      for (const auto* p : points)
        if (p->p_correct_grade &&
            (!worst_grade || p->p_correct_grade->value < worst_grade->p_correct_grade->value))
          worst_grade = p;
      if (worst_grade)
        s += ". The grade the true rate deserves is given in as few as " +
             pct(worst_grade->p_correct_grade->value) + " of inspections (true rate " +
             pct(worst_grade->true_rate) + ", n = " + std::to_string(worst_grade->point.sample) +
             ", deserved grade " + worst_grade->correct_grade + ")";
      out.push_back(s + ".");
    }
    return out;
  }

  std::string point_finding(const PointResult& p) const {
    std::string s = cell_name(p.point) + ": sampling " + std::to_string(p.point.sample) + " records from " +
                    population_text(p.point) + " with a true error rate of " + truth_text(p) +
                    ", the observed share is off by " + format_fixed(100 * p.rmse, 1) +
                    " percentage points on average (RMSE); ";
    std::vector<std::string> parts;
    for (const auto& m : p.methods)
      parts.push_back(std::string(method_label(m.method)) + " " + pct(m.coverage.value));
    s += "a " + pct(r_.spec.confidence, 0) + " interval holds the true rate in ";
    for (std::size_t i = 0; i < parts.size(); ++i)
      s += (i == 0 ? "" : i + 1 == parts.size() ? " and " : ", ") + parts[i];
    s += " of inspections";
    if (p.p_correct_grade)
      s += "; the grade the true rate deserves (" + p.correct_grade + ") is given in " +
           pct(p.p_correct_grade->value) + " of inspections";
    return s + ".";
  }

  // One curve per method against the true rate of a sweep, with the table behind it.
  template <class Value>
  html::Figure sweep_figure(const std::vector<std::size_t>& sweep, const std::string& title,
                            const std::string& description, const svg::Axis& y,
                            const std::optional<svg::Reference>& reference, int decimals, Value value) const {
    svg::LineChart chart;
    chart.frame.title = title + sweep_name(sweep);
    chart.frame.description = description;
    chart.x = data_share_axis("True error rate");
    chart.y = y;
    if (reference) chart.y_references.push_back(*reference);
    html::Figure fig;
    fig.table.header = {"true rate"};
    for (const Method m : r_.spec.methods) {
      svg::Series s;
      s.name = std::string(method_label(m));
      chart.series.push_back(s);
      fig.table.header.push_back(s.name);
    }
    for (const std::size_t i : sweep) {
      const PointResult& p = r_.points[i];
      std::vector<std::string> row{truth_text(p)};
      for (std::size_t m = 0; m < p.methods.size() && m < chart.series.size(); ++m) {
        chart.series[m].points.push_back({p.true_rate, value(p.methods[m])});
        row.push_back(pct(value(p.methods[m]), decimals));
      }
      fig.table.add_row(row);
    }
    fig.svg = svg::line_chart(chart);
    fig.caption = chart.frame.title;
    return fig;
  }

  html::Section coverage_section() const {
    html::Section sec;
    sec.heading = "Coverage: how often the interval holds the true rate";
    sec.paragraphs.push_back(
        "Coverage is the share of simulated inspections whose interval contains the true error rate. A "
        "method that keeps its promise stays close to the nominal level " +
        pct(r_.spec.confidence, 1) +
        "; below it, the interval claims more certainty than the sample supports.");
    for (const auto& sweep : sweeps_) {
      svg::Axis y = data_share_axis("Coverage");
      y.max = 1;
      sec.figures.push_back(sweep_figure(
          sweep,
          "Coverage against the true rate: ", "Simulated coverage of each interval method at each true rate.",
          y, svg::Reference{r_.spec.confidence, "nominal " + pct(r_.spec.confidence, 1)}, 2,
          [](const MethodResult& m) { return m.coverage.value; }));
    }
    if (!singles_.empty()) {
      svg::IntervalChart chart;
      chart.frame.title = "Coverage of each method";
      chart.frame.description =
          "Simulated coverage of each interval method for each cell point, with its 95% Monte Carlo "
          "interval.";
      chart.x = data_share_axis("Coverage");
      chart.x.max = 1;
      chart.estimate_name = "simulated coverage";
      chart.interval_name = "95% Monte Carlo interval";
      chart.order = svg::Order::as_given;
      chart.x_references.push_back({r_.spec.confidence, "nominal " + pct(r_.spec.confidence, 1)});
      html::Figure fig;
      fig.table.header = {"cell point", "method", "coverage", "Monte Carlo 95% interval", "exact coverage"};
      fig.table.align = {Align::left, Align::left};
      for (const std::size_t i : singles_) {
        const PointResult& p = r_.points[i];
        for (const auto& m : p.methods) {
          const auto [lo, hi] = mc_interval(m.coverage);
          svg::IntervalRow row;
          row.label = std::string(method_label(m.method)) + ": " + label(p);
          row.estimate = m.coverage.value;
          row.lower = lo;
          row.upper = hi;
          row.highlight = hi < r_.spec.confidence;
          chart.rows.push_back(row);
          fig.table.add_row({label(p), std::string(method_label(m.method)), pct(m.coverage.value, 2),
                             pct(lo, 2) + " to " + pct(hi, 2), pct(m.exact_coverage, 2)});
        }
      }
      chart.highlight_name = "clearly below nominal";
      fig.svg = svg::interval_chart(chart);
      fig.caption = chart.frame.title;
      sec.figures.push_back(std::move(fig));
    }
    return sec;
  }

  html::Section count_section() const {
    html::Section sec;
    sec.heading = "What the inspection sees: the distribution of the observed count";
    sec.paragraphs.push_back(
        "Each bar is the share of simulated inspections that found that many wrong records; diamonds give "
        "the exact probability where it can be enumerated, and the dashed line marks what the true rate "
        "would give (sample size times true rate). Counts with a probability below 0.01% are left out.");
    const auto chosen = spread(r_.points.size(), 12);
    if (const auto note = shown_of(chosen.size(), r_.points.size(), "cell points"); !note.empty())
      sec.paragraphs.push_back(note + " (every probability is in the JSON output)");
    for (const std::size_t i : chosen) {
      const PointResult& p = r_.points[i];
      svg::BarChart chart;
      chart.frame.title = "Observed count: " + label(p);
      chart.frame.description = "Probability of each number of wrong records found in a sample of " +
                                std::to_string(p.point.sample) + ".";
      chart.x = svg::count_axis("Wrong records found in the sample", "records");
      chart.y = data_share_axis("Probability");
      chart.bar_name = "simulated";
      html::Figure fig;
      fig.table.header = {"wrong records found", "observed share", "simulated", "exact"};
      const bool exact = !p.exact_count_distribution.empty();
      svg::Series overlay;
      overlay.name = "exact";
      const std::size_t n = std::max(p.count_distribution.size(), p.exact_count_distribution.size());
      for (std::size_t x = 0; x < n; ++x) {
        const double sim = x < p.count_distribution.size() ? p.count_distribution[x] : 0;
        // Without an exact distribution the exact column reads "-" (pct prints NaN so).
        const double ex =
            x < p.exact_count_distribution.size() ? p.exact_count_distribution[x] : std::nan("");
        if (sim < 1e-4 && !(ex >= 1e-4)) continue;
        const double xd = static_cast<double>(x);
        chart.bars.push_back({xd, sim});
        if (std::isfinite(ex)) overlay.points.push_back({xd, ex});
        fig.table.add_row({std::to_string(x),
                           pct(p.point.sample > 0 ? xd / static_cast<double>(p.point.sample) : 0.0, 1),
                           pct(sim, 2), pct(ex, 2)});
      }
      if (exact) chart.overlay = overlay;
      const double expected = static_cast<double>(p.point.sample) * p.true_rate;
      chart.x_marks.push_back(
          {expected, "truth: " + format_fixed(expected, 1) + " of " + std::to_string(p.point.sample)});
      fig.svg = svg::bar_chart(chart);
      fig.caption = chart.frame.title;
      sec.figures.push_back(std::move(fig));
    }
    return sec;
  }

  html::Section width_section() const {
    html::Section sec;
    sec.heading = "Interval width by method";
    sec.paragraphs.push_back(
        "The mean width of the interval, in percentage points: the price of each method's coverage. A "
        "narrow interval that misses the truth too often is no bargain.");
    for (const auto& sweep : sweeps_) {
      svg::Axis y = data_share_axis("Mean interval width");
      y.min = 0;
      sec.figures.push_back(sweep_figure(sweep, "Mean interval width against the true rate: ",
                                         "Mean width of each interval method at each true rate.", y,
                                         std::nullopt, 1,
                                         [](const MethodResult& m) { return m.mean_width; }));
    }
    if (!singles_.empty()) {
      const auto chosen = spread(singles_.size(), 24);
      svg::GroupedBarChart chart;
      chart.frame.title = "Mean interval width by method";
      chart.group_label = "Cell point";
      chart.y = data_share_axis("Mean interval width");
      chart.y.min = 0;
      for (const Method m : r_.spec.methods) chart.series.push_back(std::string(method_label(m)));
      chart.values.assign(chart.series.size(), {});
      html::Figure fig;
      fig.table.header = {"cell point"};
      fig.table.align = {Align::left};
      for (const auto& s : chart.series) fig.table.header.push_back(s);
      for (const std::size_t k : chosen) {
        const PointResult& p = r_.points[singles_[k]];
        chart.groups.push_back(label(p));
        std::vector<std::string> row{label(p)};
        for (std::size_t m = 0; m < chart.series.size(); ++m) {
          const double w = m < p.methods.size() ? p.methods[m].mean_width : std::nan("");
          chart.values[m].push_back(w);
          row.push_back(pct(w, 1));
        }
        fig.table.add_row(row);
      }
      if (const auto note = shown_of(chosen.size(), singles_.size(), "cell points"); !note.empty())
        sec.paragraphs.push_back(note);
      fig.svg = svg::grouped_bar_chart(chart);
      fig.caption = chart.frame.title;
      sec.figures.push_back(std::move(fig));
    }
    html::TableBlock all;
    all.caption = "Every cell point and method";
    all.table.header = {"cell point", "method",     "coverage",   "Monte Carlo SE", "exact coverage",
                        "mean width", "miss below", "miss above", "no interval"};
    all.table.align = {Align::left, Align::left};
    for (const auto& p : r_.points)
      for (const auto& m : p.methods)
        all.table.add_row({label(p), std::string(method_label(m.method)), pct(m.coverage.value, 2),
                           pct(m.coverage.se, 2), pct(m.exact_coverage, 2), pct(m.mean_width, 1),
                           pct(m.miss_below, 2), pct(m.miss_above, 2), std::to_string(m.undefined)});
    sec.tables.push_back(std::move(all));
    return sec;
  }

  html::Section grade_section() const {
    html::Section sec;
    sec.heading = "Grades: how often the inspection gives each grade";
    sec.paragraphs.push_back(
        "Each bar splits the simulated inspections of a cell point by the grade their observed share earns. "
        "The table gives the grade the true rate deserves and how often it is given.");
    std::vector<std::size_t> graded;
    for (std::size_t i = 0; i < r_.points.size(); ++i)
      if (!r_.points[i].grades.empty()) graded.push_back(i);
    svg::StackedBarChart chart;
    chart.frame.title = "Probability of each grade";
    chart.frame.description = "The share of simulated inspections giving each grade, for each cell point.";
    chart.value = svg::share_axis("Share of inspections");
    for (const auto& g : r_.points[graded.front()].grades) chart.segments.push_back(g.name);
    html::Figure fig;
    fig.table.header = {"cell point", "true rate", "deserved grade"};
    fig.table.align = {Align::left, Align::right, Align::left};
    for (const auto& s : chart.segments) fig.table.header.push_back("P(" + s + ")");
    fig.table.header.insert(fig.table.header.end(), {"P(deserved grade)", "Monte Carlo SE", "exact"});
    const auto chosen = spread(graded.size(), 40);
    for (std::size_t k = 0; k < graded.size(); ++k) {
      const PointResult& p = r_.points[graded[k]];
      std::vector<std::string> row{label(p), truth_text(p), p.correct_grade};
      svg::StackedBar bar;
      bar.label = label(p);
      for (const auto& name : chart.segments) {
        const auto g =
            std::find_if(p.grades.begin(), p.grades.end(), [&](const auto& x) { return x.name == name; });
        const double v = g == p.grades.end() ? 0.0 : g->probability.value;
        bar.values.push_back(v);
        row.push_back(pct(v, 2));
      }
      row.push_back(p.p_correct_grade ? pct(p.p_correct_grade->value, 2) : "-");
      row.push_back(p.p_correct_grade ? pct(p.p_correct_grade->se, 2) : "-");
      row.push_back(pct(p.exact_p_correct_grade, 2));
      fig.table.add_row(row);
      if (std::find(chosen.begin(), chosen.end(), k) != chosen.end()) chart.bars.push_back(bar);
    }
    if (const auto note = shown_of(chosen.size(), graded.size(), "graded cell points"); !note.empty())
      sec.paragraphs.push_back(note);
    fig.svg = svg::stacked_bar_chart(chart);
    fig.caption = chart.frame.title;
    sec.figures.push_back(std::move(fig));
    return sec;
  }

  html::Section comparison_section() const {
    html::Section sec;
    sec.heading = "Comparisons: how often a difference is declared";
    sec.paragraphs.push_back(
        "For two cells with different true rates this is the power of the comparison: how often the "
        "inspection can tell them apart. For equal true rates it is the false-alarm rate, which should "
        "stay near " +
        pct(1 - r_.spec.confidence, 0) + ".");
    svg::IntervalChart chart;
    chart.frame.title = "Probability of declaring a difference";
    chart.x = svg::share_axis("Probability of declaring a difference");
    chart.estimate_name = "simulated probability";
    chart.interval_name = "95% Monte Carlo interval";
    chart.order = svg::Order::as_given;
    chart.x_references.push_back(
        {1 - r_.spec.confidence, "false-alarm level " + pct(1 - r_.spec.confidence, 0)});
    chart.x_references.push_back({0.8, "80% power"});
    html::Figure fig;
    fig.table.header = {"comparison", "test",       "true rate a",    "true rate b",
                        "reads as",   "P(declare)", "Monte Carlo SE", "exact"};
    fig.table.align = {Align::left, Align::left, Align::right, Align::right, Align::left};
    for (const auto& c : r_.comparisons) {
      const auto [lo, hi] = mc_interval(c.p_declare);
      const PointResult* a = c.spec.a < r_.points.size() ? &r_.points[c.spec.a] : nullptr;
      const PointResult* b = c.spec.b < r_.points.size() ? &r_.points[c.spec.b] : nullptr;
      const std::string test = c.spec.fisher ? "Fisher" : std::string(diff_method_name(c.spec.method));
      svg::IntervalRow row;
      // What tells the rows apart first: the test and the two true rates.
      row.label =
          test + ", " + (a ? truth_text(*a) : "-") + " vs " + (b ? truth_text(*b) : "-") + ": " + c.spec.name;
      row.estimate = c.p_declare.value;
      row.lower = lo;
      row.upper = hi;
      chart.rows.push_back(row);
      const bool equal = a && b && a->point.truth.kind == b->point.truth.kind && a->true_rate == b->true_rate;
      fig.table.add_row(
          {c.spec.name, c.spec.fisher ? "Fisher's exact test" : std::string(diff_method_name(c.spec.method)),
           a ? truth_text(*a) : "-", b ? truth_text(*b) : "-", equal ? "false-alarm rate" : "power",
           pct(c.p_declare.value, 2), pct(c.p_declare.se, 2), pct(c.exact, 2)});
    }
    fig.svg = svg::interval_chart(chart);
    fig.caption = chart.frame.title;
    sec.figures.push_back(std::move(fig));
    return sec;
  }
};

}  // namespace

std::string render_simulation_report(const SimulationResult& result) {
  return SimulationReport(result).render();
}

}  // namespace inspectsim

// ---- The compare report ------------------------------------------------------------------------

namespace inspectsim {

namespace {

std::string level_text(double level) { return format_number(100 * level) + "%"; }
std::string p_text(double p) { return !std::isfinite(p) ? "-" : p < 0.001 ? "<0.001" : format_fixed(p, 3); }
std::string range_text(double lo, double hi) { return pct(lo) + " to " + pct(hi); }

class ComparisonReport {
 public:
  explicit ComparisonReport(const Comparison& c) : c_(c), plots_(comparison_plots(c)) {}

  std::string render() const {
    const CompareRequest& q = c_.request;
    html::Document d;
    d.title = "Comparing inspection results: " + file_name(q.input_path);
    d.subtitle = std::to_string(c_.table.rows.size()) + " published results in " +
                 std::to_string(c_.groups.size()) + " groups; " + level_text(q.confidence) + " " +
                 std::string(method_label(q.method)) + " intervals.";
    d.findings = findings();
    d.provenance.version = version();
    d.provenance.seed = q.seed;
    d.provenance.replicates = q.draws;
    d.provenance.replicates_label = "Monte Carlo draws (ranks, totals)";
    d.provenance.input_path = q.input_path;
    d.provenance.input_sha256 = q.input_sha256;
    std::string levels;
    for (double l : q.levels) levels += (levels.empty() ? "" : ", ") + level_text(l);
    d.provenance.settings = {
        {"Confidence", level_text(q.confidence)},
        {"Interval method", std::string(method_label(q.method))},
        {"Difference method", std::string(diff_method_name(q.diff_method))},
        {"Funnel limits", levels},
        {"Overdispersion", std::string(overdispersion_name(q.overdispersion))},
        {"Groups", std::string(group_by_name(q.group_by))},
        {"Ranks from", std::string(rank_posterior_name(q.rank_posterior)) + " posteriors"}};
    for (std::size_t i = 0; i < c_.groups.size(); ++i) d.sections.push_back(group_section(i));
    if (!c_.changes.empty()) d.sections.push_back(change_section());
    if (!c_.totals.empty() || !c_.national.empty()) d.sections.push_back(total_section());
    return html::render_html(d);
  }

 private:
  const Comparison& c_;
  std::vector<PlotFile> plots_;  // three per group: funnel, caterpillar, ranks

  static std::string file_name(const std::string& path) {
    const auto slash = path.find_last_of('/');
    return slash == std::string::npos ? path : path.substr(slash + 1);
  }

  static std::string group_title(const GroupResult& g) {
    return g.inspection.empty() ? g.category + " (all inspections)" : g.inspection + ", " + g.category;
  }

  const ResultRow& row_of(const RowResult& r) const { return c_.table.rows[r.row]; }

  std::string count_text(const ResultRow& r) const {
    return (r.approximate() ? "about " : "") + std::to_string(r.incorrect) + " of " +
           std::to_string(r.sampled);
  }

  std::string interval_text(const RowResult& r) const {
    return r.interval.defined ? range_text(r.interval.lower, r.interval.upper) : "-";
  }

  std::size_t widest_level() const {
    const auto& l = c_.request.levels;
    return static_cast<std::size_t>(std::max_element(l.begin(), l.end()) - l.begin());
  }

  // One sentence per result while they are few; per group otherwise.
  std::vector<std::string> findings() const {
    std::vector<std::string> out;
    const std::size_t w = widest_level();
    const std::string limit = level_text(c_.request.levels[w]);
    const bool per_row = c_.table.rows.size() <= 60;
    for (const GroupResult& g : c_.groups) {
      std::vector<std::string> above, below;
      for (const RowResult& r : g.rows) {
        const FunnelFlag f = r.funnel.empty() ? FunnelFlag::within : r.funnel[w].flag;
        if (f == FunnelFlag::above) above.push_back(r.label);
        if (f == FunnelFlag::below) below.push_back(r.label);
        if (!per_row) continue;
        const ResultRow& row = row_of(r);
        std::string s = r.label + " (" + group_title(g) + "): " + count_text(row) + " (" + pct(r.estimate) +
                        "): the true rate is plausibly anywhere from " + interval_text(r) + " (" +
                        level_text(c_.request.confidence) + " " +
                        std::string(method_label(c_.request.method)) + " interval)";
        if (f != FunnelFlag::within)
          s += "; " + std::string(funnel_flag_name(f)) + " the " + limit + " funnel limits";
        s += "; rank " + std::to_string(r.rank.lower) + " to " + std::to_string(r.rank.upper) + " of " +
             std::to_string(g.rows.size());
        out.push_back(s + ".");
      }
      std::string s = group_title(g) + ": pooled rate " + pct(g.funnel.target) + " over " +
                      std::to_string(g.rows.size()) + (g.rows.size() == 1 ? " force; " : " forces; ");
      if (above.empty() && below.empty()) {
        s += "none lies outside the " + limit + " funnel limits";
      } else {
        s += std::to_string(above.size()) + " above and " + std::to_string(below.size()) + " below the " +
             limit + " funnel limits";
        std::vector<std::string> named = above;
        named.insert(named.end(), below.begin(), below.end());
        s += " (";
        for (std::size_t i = 0; i < named.size() && i < 8; ++i) s += (i > 0 ? ", " : "") + named[i];
        s += named.size() > 8 ? ", ...)" : ")";
      }
      out.push_back(s + ".");
    }
    if (!c_.changes.empty()) {
      std::size_t worse = 0, better = 0;
      for (const ChangeResult& x : c_.changes) {
        worse += x.verdict == Verdict::worse ? 1 : 0;
        better += x.verdict == Verdict::better ? 1 : 0;
      }
      out.push_back("Between inspections: " + std::to_string(c_.changes.size()) +
                    " changes of a force's rate; " + std::to_string(worse) + " got detectably worse, " +
                    std::to_string(better) + " detectably better, and " +
                    std::to_string(c_.changes.size() - worse - better) +
                    " show no change the samples can detect.");
    }
    return out;
  }

  html::Figure plot(std::size_t group, std::size_t kind, std::string caption) const {
    html::Figure f;
    const std::size_t at = 3 * group + kind;
    if (at < plots_.size()) f.svg = plots_[at].svg;
    f.caption = std::move(caption);
    return f;
  }

  html::Section group_section(std::size_t gi) const {
    const GroupResult& g = c_.groups[gi];
    const CompareRequest& q = c_.request;
    html::Section sec;
    sec.heading = group_title(g);
    std::string intro = std::to_string(g.rows.size()) + " forces; " + std::to_string(g.incorrect) + " of " +
                        std::to_string(g.sampled) + " records found wrong in all, a pooled rate of " +
                        pct(g.funnel.target) + ".";
    if (g.funnel.kind == Overdispersion::multiplicative)
      intro += " Overdispersion factor phi = " + format_fixed(g.funnel.phi, 2) +
               (g.funnel.widened ? ": the limits are widened." : ": the limits are not widened.");
    if (g.funnel.kind == Overdispersion::additive)
      intro += " Between-force variance tau^2 = " + format_fixed(g.funnel.tau2, 3) +
               " on the log-odds scale" + (g.funnel.widened ? ": the limits are widened." : ".");
    sec.paragraphs.push_back(intro);

    // Forest plot and the rows behind it.
    html::Figure forest =
        plot(gi, 1, "Share wrong by force, sorted, with the pooled rate: " + group_title(g));
    forest.table.header = {"force", "wrong of sampled", "share", level_text(q.confidence) + " interval"};
    forest.table.align = {Align::left, Align::right, Align::right, Align::right};
    const bool populations = std::any_of(
        g.rows.begin(), g.rows.end(), [&](const RowResult& r) { return r.population_interval.has_value(); });
    if (populations) forest.table.header.push_back("wrong records in the population");
    forest.table.header.push_back("source");
    forest.table.align.resize(forest.table.header.size(), Align::right);
    forest.table.align.back() = Align::left;
    std::vector<const RowResult*> sorted;
    for (const RowResult& r : g.rows) sorted.push_back(&r);
    std::stable_sort(sorted.begin(), sorted.end(),
                     [](auto* a, auto* b) { return a->estimate > b->estimate; });
    for (const RowResult* r : sorted) {
      const ResultRow& row = row_of(*r);
      std::vector<std::string> cells{r->label, count_text(row), pct(r->estimate), interval_text(*r)};
      if (populations)
        cells.push_back(r->population_interval && row.population
                            ? std::to_string(r->population_interval->lower) + " to " +
                                  std::to_string(r->population_interval->upper) + " of " +
                                  std::to_string(*row.population)
                            : "-");
      cells.push_back(row.source);
      forest.table.add_row(cells);
    }
    sec.figures.push_back(std::move(forest));

    // Funnel plot and its limits at each force's sample size.
    html::Figure funnel =
        plot(gi, 0, "Funnel plot with control limits and labelled outliers: " + group_title(g));
    funnel.table.header = {"force", "sampled", "share"};
    funnel.table.align = {Align::left};
    for (double l : q.levels) {
      funnel.table.header.push_back(level_text(l) + " limits");
      funnel.table.header.push_back(level_text(l) + " flag");
    }
    for (const RowResult& r : g.rows) {
      std::vector<std::string> cells{r.label, std::to_string(row_of(r).sampled), pct(r.estimate)};
      for (const auto& f : r.funnel) {
        cells.push_back(range_text(f.limits.lower, f.limits.upper));
        cells.push_back(std::string(funnel_flag_name(f.flag)));
      }
      funnel.table.add_row(cells);
    }
    sec.figures.push_back(std::move(funnel));

    // Rank intervals.
    html::Figure ranks = plot(gi, 2, "Rank intervals (1 = highest share wrong): " + group_title(g));
    ranks.table.header = {"force", "mean rank", level_text(q.confidence) + " rank interval", "P(worst)",
                          "P(among the worst three)"};
    ranks.table.align = {Align::left};
    std::vector<const RowResult*> by_rank = sorted;
    std::stable_sort(by_rank.begin(), by_rank.end(),
                     [](auto* a, auto* b) { return a->rank.mean_rank < b->rank.mean_rank; });
    for (const RowResult* r : by_rank)
      ranks.table.add_row({r->label, format_fixed(r->rank.mean_rank, 1),
                           std::to_string(r->rank.lower) + " to " + std::to_string(r->rank.upper),
                           pct(r->rank.p_worst), pct(r->rank.p_worst_three)});
    sec.figures.push_back(std::move(ranks));

    if (g.fit) sec.figures.push_back(shrinkage_figure(g));
    if (!g.pairs.empty()) sec.tables.push_back(pair_table(g));
    return sec;
  }

  html::Figure shrinkage_figure(const GroupResult& g) const {
    const CompareRequest& q = c_.request;
    svg::ScatterChart chart;
    chart.frame.title = "Shrunk against raw estimates: " + group_title(g);
    chart.frame.description =
        "Each force's observed share (horizontal) against its shrunk estimate under a beta-binomial model "
        "fitted to the group (vertical). Points below the diagonal are pulled down toward the group mean "
        "of " +
        pct(g.fit->mean) +
        ", points above it up; small samples move most. Forces that move more than 5 "
        "percentage points are labelled.";
    chart.x = data_share_axis("Observed share (raw)");
    chart.y = data_share_axis("Shrunk estimate");
    chart.point_name = "force";
    html::Figure f;
    f.table.header = {"force",
                      "sampled",
                      "raw share",
                      "shrunk estimate",
                      level_text(q.confidence) + " interval",
                      "weight on the group mean"};
    f.table.align = {Align::left};
    for (const RowResult& r : g.rows) {
      if (!r.shrunk) continue;
      const bool moved = std::abs(r.shrunk->estimate - r.estimate) > 0.05;
      chart.points.push_back({r.label, r.estimate, r.shrunk->estimate, moved});
      f.table.add_row({r.label, std::to_string(row_of(r).sampled), pct(r.estimate), pct(r.shrunk->estimate),
                       range_text(r.shrunk->lower, r.shrunk->upper), pct(r.shrunk->weight)});
    }
    f.svg = svg::scatter_chart(chart);
    f.caption = chart.frame.title + " (between-force spread " + pct(g.fit->spread) +
                (g.fit->no_spread ? "; the data show no spread beyond sampling noise)" : ")");
    return f;
  }

  html::TableBlock pair_table(const GroupResult& g) const {
    html::TableBlock t;
    t.caption = "Pairs of forces: " + group_title(g) + " (" + std::to_string(g.distinguishable) + " of " +
                std::to_string(g.pairs.size()) + " pairs distinguishable after Holm's adjustment)";
    t.table.header = {"force a",  "force b", "difference",     "interval",
                      "Fisher p", "Holm p",  "distinguishable"};
    t.table.align = {Align::left, Align::left};
    for (const PairResult& p : g.pairs)
      t.table.add_row({g.rows[p.a].label, g.rows[p.b].label, pct(p.difference),
                       p.interval.defined ? range_text(p.interval.lower, p.interval.upper) : "-", p_text(p.p),
                       p_text(p.p_holm), p.distinguishable ? "yes" : "no"});
    return t;
  }

  html::Section change_section() const {
    const CompareRequest& q = c_.request;
    html::Section sec;
    sec.heading = "Changes between inspections";
    sec.paragraphs.push_back(
        "For each force and category inspected more than once: the later rate minus the earlier one with "
        "its " +
        level_text(q.confidence) + " " + std::string(diff_method_name(q.diff_method)) +
        " interval. Worse: the interval lies above zero; better: below zero; otherwise the samples cannot "
        "detect a change.");
    svg::IntervalChart chart;
    chart.frame.title = "Change in the share wrong between inspections";
    chart.x = svg::number_axis("Later minus earlier share wrong", "percentage points");
    chart.x.percent = true;
    chart.estimate_name = "change";
    chart.interval_name = level_text(q.confidence) + " interval";
    chart.highlight_name = "detectably worse or better";
    chart.x_references.push_back({0, "no change"});
    html::Figure f;
    f.table.header = {"force", "category", "from",     "to",       "earlier",
                      "later", "change",   "interval", "Fisher p", "verdict"};
    f.table.align = {Align::left, Align::left, Align::left, Align::left};
    for (const ChangeResult& x : c_.changes) {
      const ResultRow& a = c_.table.rows[x.from];
      const ResultRow& b = c_.table.rows[x.to];
      svg::IntervalRow row;
      row.label = a.force + ", " + a.category + ": " + a.inspection + " to " + b.inspection;
      row.estimate = x.difference;
      row.lower = x.interval.defined ? x.interval.lower : std::nan("");
      row.upper = x.interval.defined ? x.interval.upper : std::nan("");
      row.highlight = x.verdict != Verdict::no_change;
      chart.rows.push_back(row);
      f.table.add_row({a.force, a.category, a.inspection, b.inspection, count_text(a), count_text(b),
                       pct(x.difference),
                       x.interval.defined ? range_text(x.interval.lower, x.interval.upper) : "-", p_text(x.p),
                       std::string(verdict_name(x.verdict))});
    }
    f.svg = svg::interval_chart(chart);
    f.caption = chart.frame.title;
    sec.figures.push_back(std::move(f));
    return sec;
  }

  html::Section total_section() const {
    const CompareRequest& q = c_.request;
    html::Section sec;
    sec.heading = "Totals across categories";
    sec.paragraphs.push_back(
        "Each force's overall share wrong per inspection across the categories inspected, weighted by "
        "population "
        "where every category has one (else by sample size), with a " +
        level_text(q.confidence) + " interval from the stratified posterior; then the national figures.");
    auto table = [&](const std::vector<TotalResult>& totals, std::string caption, bool national) {
      html::TableBlock t;
      t.caption = std::move(caption);
      t.table.header = {national ? "inspection" : "force",
                        "categories",
                        "wrong of sampled",
                        "share",
                        "interval",
                        "weighted by",
                        "wrong records (estimate)",
                        "wrong records (interval)"};
      t.table.align = {Align::left};
      for (const TotalResult& x : totals) {
        const StratifiedTotal& s = x.total;
        t.table.add_row({national ? x.inspection : x.force + " (" + x.inspection + ")",
                         std::to_string(s.strata),
                         std::to_string(s.incorrect) + " of " + std::to_string(s.sampled), pct(s.estimate),
                         range_text(s.lower, s.upper), s.by_population ? "population" : "sample size",
                         s.wrong_estimate ? format_fixed(*s.wrong_estimate, 0) : "-",
                         s.wrong_lower && s.wrong_upper && s.population
                             ? std::to_string(*s.wrong_lower) + " to " + std::to_string(*s.wrong_upper) +
                                   " of " + std::to_string(*s.population)
                             : "-"});
      }
      return t;
    };
    if (!c_.totals.empty()) sec.tables.push_back(table(c_.totals, "Each force, per inspection", false));
    if (!c_.national.empty())
      sec.tables.push_back(table(c_.national, "National figures, per inspection", true));
    return sec;
  }
};

}  // namespace

std::string render_comparison_report(const Comparison& comparison) {
  return ComparisonReport(comparison).render();
}

}  // namespace inspectsim
