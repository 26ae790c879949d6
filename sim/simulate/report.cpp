#include "inspectsim/simulate/report.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <tuple>

#include "inspectsim/base/text.hpp"
#include "inspectsim/base/version.hpp"
#include "inspectsim/output/html.hpp"
#include "inspectsim/output/svg.hpp"

namespace inspectsim::simulate {

namespace {

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
    return "Beta(" + base::format_number(t.a) + ", " + base::format_number(t.b) + "), mean " +
           base::share_text(p.true_rate);
  std::string s = base::share_text(p.true_rate);
  if (p.true_count && p.point.population)
    s += " (" + std::to_string(*p.true_count) + " of " + std::to_string(*p.point.population) + ")";
  return s;
}

std::string population_text(const CellPoint& c) {
  return c.population ? std::to_string(*c.population) + " records" : "an unlimited stream";
}

// One curve per series while they are few; more than four curves in one panel cannot be told
// apart, so then one panel per series (small multiples on shared axes).
std::string curves_svg(output::svg::LineChart chart, std::string_view per) {
  if (chart.series.size() <= 4) return output::svg::line_chart(chart);
  chart.frame.description += " One panel per " + std::string(per) + ", all on the same axes.";
  return output::svg::small_multiples(chart);
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
    output::html::Document d;
    const SimulationSpec& spec = r_.spec;
    d.title = spec.title.empty() ? "Simulation report" : spec.title;
    d.subtitle = std::to_string(r_.points.size()) + (r_.points.size() == 1 ? " cell point" : " cell points") +
                 ", " + std::to_string(spec.replicates) + " simulated inspections of each, " +
                 base::share_text(spec.confidence, 1) + " intervals.";
    d.headline = output::html::select_headline(headline());
    d.provenance.version = r_.version.empty() ? base::version() : r_.version;
    d.provenance.seed = spec.seed;
    d.provenance.replicates = spec.replicates;
    d.provenance.input_path = spec.source_path;
    d.provenance.input_sha256 = spec.source_sha256;
    d.provenance.settings = {{"Confidence", base::share_text(spec.confidence, 1)},
                             {"Interval methods", method_list()}};
    d.sections.push_back(coverage_section());
    d.sections.push_back(count_section());
    d.sections.push_back(width_section());
    if (std::any_of(r_.points.begin(), r_.points.end(), [](const auto& p) { return !p.grades.empty(); }))
      d.sections.push_back(grade_section());
    if (!r_.comparisons.empty()) d.sections.push_back(comparison_section());
    for (std::size_t l = 0; l < r_.leagues.size(); ++l) d.sections.push_back(league_section(l));
    return output::html::render_html(d);
  }

 private:
  const SimulationResult& r_;
  std::map<std::size_t, std::size_t> points_per_cell_;
  std::vector<std::string> labels_;               // one per point, distinct
  std::vector<std::vector<std::size_t>> sweeps_;  // points of one cell and sample, by true rate
  std::vector<std::size_t> singles_;              // points in no sweep

  std::string method_list() const {
    std::string s;
    for (const stats::Method m : r_.spec.methods)
      s += (s.empty() ? "" : ", ") + std::string(stats::method_label(m));
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

  std::string design_text(const PointResult& p) const {
    return cell_name(p.point) + ", true rate " + truth_text(p) + ", n = " + std::to_string(p.point.sample);
  }

  // Headline candidates (html::select_headline picks at most five): kind 1, comparisons the
  // samples cannot support (power below 80%); kind 2, each method that falls clearly below its
  // promised coverage (its Monte Carlo interval wholly below nominal), by its worst shortfall;
  // kind 3, designs whose grade is wrong more often than not.
  std::vector<output::html::Finding> headline() const {
    std::vector<output::html::Finding> out;
    const double nominal = r_.spec.confidence;
    for (const auto& c : r_.comparisons) {
      const PointResult* a = c.spec.a < r_.points.size() ? &r_.points[c.spec.a] : nullptr;
      const PointResult* b = c.spec.b < r_.points.size() ? &r_.points[c.spec.b] : nullptr;
      const bool equal = a && b && a->point.truth.kind == b->point.truth.kind && a->true_rate == b->true_rate;
      if (equal || c.p_declare.value >= 0.8) continue;
      const std::string test =
          c.spec.fisher ? "Fisher's exact test" : std::string(stats::diff_method_name(c.spec.method));
      out.push_back({c.spec.name + " (" + test + "): the inspection tells true rates of " +
                         (a ? truth_text(*a) : "-") + " and " + (b ? truth_text(*b) : "-") +
                         " apart in only " + base::share_text(c.p_declare.value) +
                         " of inspections (power below 80%).",
                     "comparisons", 1, 0.8 - c.p_declare.value});
    }
    std::size_t failing = 0;
    for (std::size_t m = 0; m < r_.spec.methods.size(); ++m) {
      const PointResult* worst = nullptr;
      for (const auto& p : r_.points) {
        if (m >= p.methods.size()) continue;
        const auto [lo, hi] = mc_interval(p.methods[m].coverage);
        if (hi < nominal && (!worst || p.methods[m].coverage.value < worst->methods[m].coverage.value))
          worst = &p;
      }
      if (!worst) continue;
      ++failing;
      const double cov = worst->methods[m].coverage.value;
      out.push_back({std::string(stats::method_label(r_.spec.methods[m])) + " intervals promise " +
                         base::share_text(nominal, 0) + " but hold the true rate in as few as " +
                         base::share_text(cov) + " of inspections, " +
                         base::format_fixed(100 * (nominal - cov), 1) + " percentage points short (" +
                         design_text(*worst) + ").",
                     "coverage", 2, nominal - cov});
    }
    if (failing == 0 && !r_.spec.methods.empty())
      out.push_back({"Every interval method keeps its promised " + base::share_text(nominal, 0) +
                         " coverage, within Monte Carlo error, at every cell point.",
                     "coverage", 2, 0});
    std::size_t graded = 0, wrong = 0;
    const PointResult* worst = nullptr;
    for (const auto& p : r_.points) {
      if (!p.p_correct_grade) continue;
      ++graded;
      if (p.p_correct_grade->value >= 0.5) continue;
      ++wrong;
      if (!worst || p.p_correct_grade->value < worst->p_correct_grade->value) worst = &p;
    }
    // None wrong more often than not: the least reliable design, which is still worth knowing.
    const PointResult* least = nullptr;
    for (const auto& p : r_.points)
      if (p.p_correct_grade && (!least || p.p_correct_grade->value < least->p_correct_grade->value))
        least = &p;
    if (!worst && least)
      out.push_back({"Every one of " + std::to_string(graded) + (graded == 1 ? " design" : " designs") +
                         " gives the grade it deserves more often than not; the least reliable, " +
                         design_text(*least) + ", gives it (" + least->correct_grade + ") in " +
                         base::share_text(least->p_correct_grade->value) + " of inspections.",
                     "grades", 3, 0});
    if (worst)
      out.push_back({std::to_string(wrong) + " of " + std::to_string(graded) +
                         (graded == 1 ? " design gives" : " designs give") +
                         " the wrong grade more often than not; at worst " + design_text(*worst) +
                         " gets the grade it deserves (" + worst->correct_grade + ") in only " +
                         base::share_text(worst->p_correct_grade->value) + " of inspections.",
                     "grades", 3, static_cast<double>(wrong)});
    // Kind 1 as comparisons: whether the league table's worst is reliable, i.e. names the truly
    // worst in at least 80% of inspections (the power convention of comparisons).
    for (std::size_t l = 0; l < r_.leagues.size(); ++l) {
      const LeagueResult& lg = r_.leagues[l];
      const double p = lg.p_true_worst_ranked_worst.value;
      std::string text = "League '" + lg.spec.name + "': the truly worst is ranked worst in " +
                         (p < 0.8 ? "only " : "") + base::share_text(p, 0) + " ± " +
                         base::share_text(lg.p_true_worst_ranked_worst.se, 1) + " of inspections";
      for (const auto& t : lg.top)
        if (t.k > 1) {
          text += ", and the one ranked worst is among the truly worst " + std::to_string(t.k) + " in " +
                  base::share_text(t.probability.value, 0);
          break;
        }
      text += p < 0.8 ? ": its worst place is not reliable." : ": its worst place is reliable.";
      out.push_back({text, league_id(l), 1, 1 - p});
    }
    return out;
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
                      base::share_text(r_.spec.confidence, 0) + " interval is ";
      std::vector<std::string> parts;
      for (std::size_t m = 0; m < r_.spec.methods.size(); ++m) {
        const PointResult* worst = nullptr;
        for (const auto* p : points)
          if (m < p->methods.size() &&
              (!worst || p->methods[m].coverage.value < worst->methods[m].coverage.value))
            worst = p;
        if (worst)
          parts.push_back(base::share_text(worst->methods[m].coverage.value) + " for " +
                          std::string(stats::method_label(worst->methods[m].method)) + " (true rate " +
                          base::share_text(worst->true_rate) +
                          ", n = " + std::to_string(worst->point.sample) + ")");
      }
      for (std::size_t i = 0; i < parts.size(); ++i) s += (i == 0 ? "" : "; ") + parts[i];
      const PointResult* worst_grade = nullptr;
      for (const auto* p : points)
        if (p->p_correct_grade &&
            (!worst_grade || p->p_correct_grade->value < worst_grade->p_correct_grade->value))
          worst_grade = p;
      if (worst_grade)
        s += ". The grade the true rate deserves is given in as few as " +
             base::share_text(worst_grade->p_correct_grade->value) + " of inspections (true rate " +
             base::share_text(worst_grade->true_rate) + ", n = " + std::to_string(worst_grade->point.sample) +
             ", deserved grade " + worst_grade->correct_grade + ")";
      out.push_back(s + ".");
    }
    return out;
  }

  std::string point_finding(const PointResult& p) const {
    std::string s = cell_name(p.point) + ": sampling " + std::to_string(p.point.sample) + " records from " +
                    population_text(p.point) + " with a true error rate of " + truth_text(p) +
                    ", the observed share is off by " + base::format_fixed(100 * p.rmse, 1) +
                    " percentage points on average (RMSE); ";
    std::vector<std::string> parts;
    for (const auto& m : p.methods)
      parts.push_back(std::string(stats::method_label(m.method)) + " " + base::share_text(m.coverage.value));
    s += "a " + base::share_text(r_.spec.confidence, 0) + " interval holds the true rate in ";
    for (std::size_t i = 0; i < parts.size(); ++i)
      s += (i == 0 ? "" : i + 1 == parts.size() ? " and " : ", ") + parts[i];
    s += " of inspections";
    if (p.p_correct_grade)
      s += "; the grade the true rate deserves (" + p.correct_grade + ") is given in " +
           base::share_text(p.p_correct_grade->value) + " of inspections";
    return s + ".";
  }

  // One curve per method against the true rate of a sweep, with the table behind it.
  template <class Value>
  output::html::Figure sweep_figure(const std::vector<std::size_t>& sweep, const std::string& title,
                                    const std::string& description, const output::svg::Axis& y,
                                    const std::optional<output::svg::Reference>& reference, int decimals,
                                    Value value) const {
    output::svg::LineChart chart;
    chart.frame.title = title + sweep_name(sweep);
    chart.frame.description = description;
    chart.x = output::svg::data_share_axis("True error rate");
    chart.y = y;
    if (reference) chart.y_references.push_back(*reference);
    output::html::Figure fig;
    fig.table.header = {"true rate"};
    for (const stats::Method m : r_.spec.methods) {
      output::svg::Series s;
      s.name = std::string(stats::method_label(m));
      chart.series.push_back(s);
      fig.table.header.push_back(s.name);
    }
    for (const std::size_t i : sweep) {
      const PointResult& p = r_.points[i];
      std::vector<std::string> row{truth_text(p)};
      for (std::size_t m = 0; m < p.methods.size() && m < chart.series.size(); ++m) {
        chart.series[m].points.push_back({p.true_rate, value(p.methods[m])});
        row.push_back(base::share_text(value(p.methods[m]), decimals));
      }
      fig.table.add_row(row);
    }
    fig.svg = curves_svg(chart, "method");
    fig.caption = chart.frame.title;
    return fig;
  }

  output::html::Section coverage_section() const {
    output::html::Section sec;
    sec.heading = "Coverage: how often the interval holds the true rate";
    sec.id = "coverage";
    sec.notes = findings();
    sec.paragraphs.push_back(
        "Coverage is the share of simulated inspections whose interval contains the true error rate. A "
        "method that keeps its promise stays close to the nominal level " +
        base::share_text(r_.spec.confidence, 1) +
        "; below it, the interval claims more certainty than the sample supports.");
    for (const auto& sweep : sweeps_) {
      output::svg::Axis y = output::svg::data_share_axis("Coverage");
      y.max = 1;
      sec.figures.push_back(sweep_figure(
          sweep,
          "Coverage against the true rate: ", "Simulated coverage of each interval method at each true rate.",
          y, output::svg::Reference{r_.spec.confidence, "nominal " + base::share_text(r_.spec.confidence, 1)},
          2, [](const MethodResult& m) { return m.coverage.value; }));
    }
    if (!singles_.empty()) {
      output::svg::IntervalChart chart;
      chart.frame.title = "Coverage of each method";
      chart.frame.description =
          "Simulated coverage of each interval method for each cell point, with its 95% Monte Carlo "
          "interval.";
      chart.x = output::svg::data_share_axis("Coverage");
      chart.x.max = 1;
      chart.estimate_name = "simulated coverage";
      chart.interval_name = "95% Monte Carlo interval";
      chart.order = output::svg::Order::as_given;
      chart.x_references.push_back(
          {r_.spec.confidence, "nominal " + base::share_text(r_.spec.confidence, 1)});
      output::html::Figure fig;
      fig.table.header = {"cell point", "method", "coverage", "Monte Carlo 95% interval", "exact coverage"};
      fig.table.align = {output::Align::left, output::Align::left};
      for (const std::size_t i : singles_) {
        const PointResult& p = r_.points[i];
        for (const auto& m : p.methods) {
          const auto [lo, hi] = mc_interval(m.coverage);
          output::svg::IntervalRow row;
          row.label = std::string(stats::method_label(m.method)) + ": " + label(p);
          row.estimate = m.coverage.value;
          row.lower = lo;
          row.upper = hi;
          row.highlight = hi < r_.spec.confidence;
          chart.rows.push_back(row);
          fig.table.add_row({label(p), std::string(stats::method_label(m.method)),
                             base::share_text(m.coverage.value, 2),
                             base::share_text(lo, 2) + " to " + base::share_text(hi, 2),
                             base::share_text(m.exact_coverage, 2)});
        }
      }
      chart.highlight_name = "clearly below nominal";
      fig.svg = output::svg::interval_chart(chart);
      fig.caption = chart.frame.title;
      sec.figures.push_back(std::move(fig));
    }
    return sec;
  }

  output::html::Section count_section() const {
    output::html::Section sec;
    sec.heading = "What the inspection sees: the distribution of the observed count";
    sec.id = "counts";
    sec.paragraphs.push_back(
        "Each bar is the share of simulated inspections that found that many wrong records; diamonds give "
        "the exact probability where it can be enumerated, and the dashed line marks what the true rate "
        "would give (sample size times true rate). Counts with a probability below 0.01% are left out.");
    const auto chosen = spread(r_.points.size(), 12);
    if (const auto note = shown_of(chosen.size(), r_.points.size(), "cell points"); !note.empty())
      sec.paragraphs.push_back(note + " (every probability is in the JSON output)");
    for (const std::size_t i : chosen) {
      const PointResult& p = r_.points[i];
      output::svg::BarChart chart;
      chart.frame.title = "Observed count: " + label(p);
      chart.frame.description = "Probability of each number of wrong records found in a sample of " +
                                std::to_string(p.point.sample) + ".";
      chart.x = output::svg::count_axis("Wrong records found in the sample", "records");
      chart.y = output::svg::data_share_axis("Probability");
      chart.bar_name = "simulated";
      output::html::Figure fig;
      fig.table.header = {"wrong records found", "observed share", "simulated", "exact"};
      const bool exact = !p.exact_count_distribution.empty();
      output::svg::Series overlay;
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
        fig.table.add_row(
            {std::to_string(x),
             base::share_text(p.point.sample > 0 ? xd / static_cast<double>(p.point.sample) : 0.0, 1),
             base::share_text(sim, 2), base::share_text(ex, 2)});
      }
      if (exact) chart.overlay = overlay;
      const double expected = static_cast<double>(p.point.sample) * p.true_rate;
      chart.x_marks.push_back(
          {expected, "truth: " + base::format_fixed(expected, 1) + " of " + std::to_string(p.point.sample)});
      fig.svg = output::svg::bar_chart(chart);
      fig.caption = chart.frame.title;
      sec.figures.push_back(std::move(fig));
    }
    return sec;
  }

  output::html::Section width_section() const {
    output::html::Section sec;
    sec.heading = "Interval width by method";
    sec.id = "widths";
    sec.paragraphs.push_back(
        "The mean width of the interval, in percentage points: the price of each method's coverage. A "
        "narrow interval that misses the truth too often is no bargain.");
    for (const auto& sweep : sweeps_) {
      output::svg::Axis y = output::svg::data_share_axis("Mean interval width");
      y.min = 0;
      sec.figures.push_back(sweep_figure(sweep, "Mean interval width against the true rate: ",
                                         "Mean width of each interval method at each true rate.", y,
                                         std::nullopt, 1,
                                         [](const MethodResult& m) { return m.mean_width; }));
    }
    if (!singles_.empty()) {
      const auto chosen = spread(singles_.size(), 24);
      output::svg::GroupedBarChart chart;
      chart.frame.title = "Mean interval width by method";
      chart.group_label = "Cell point";
      chart.y = output::svg::data_share_axis("Mean interval width");
      chart.y.min = 0;
      for (const stats::Method m : r_.spec.methods)
        chart.series.push_back(std::string(stats::method_label(m)));
      chart.values.assign(chart.series.size(), {});
      output::html::Figure fig;
      fig.table.header = {"cell point"};
      fig.table.align = {output::Align::left};
      for (const auto& s : chart.series) fig.table.header.push_back(s);
      for (const std::size_t k : chosen) {
        const PointResult& p = r_.points[singles_[k]];
        chart.groups.push_back(label(p));
        std::vector<std::string> row{label(p)};
        for (std::size_t m = 0; m < chart.series.size(); ++m) {
          const double w = m < p.methods.size() ? p.methods[m].mean_width : std::nan("");
          chart.values[m].push_back(w);
          row.push_back(base::share_text(w, 1));
        }
        fig.table.add_row(row);
      }
      if (const auto note = shown_of(chosen.size(), singles_.size(), "cell points"); !note.empty())
        sec.paragraphs.push_back(note);
      fig.svg = output::svg::grouped_bar_chart(chart);
      fig.caption = chart.frame.title;
      sec.figures.push_back(std::move(fig));
    }
    output::html::TableBlock all;
    all.caption = "Every cell point and method";
    all.table.header = {"cell point", "method",     "coverage",   "Monte Carlo SE", "exact coverage",
                        "mean width", "miss below", "miss above", "no interval"};
    all.table.align = {output::Align::left, output::Align::left};
    for (const auto& p : r_.points)
      for (const auto& m : p.methods)
        all.table.add_row({label(p), std::string(stats::method_label(m.method)),
                           base::share_text(m.coverage.value, 2), base::share_text(m.coverage.se, 2),
                           base::share_text(m.exact_coverage, 2), base::share_text(m.mean_width, 1),
                           base::share_text(m.miss_below, 2), base::share_text(m.miss_above, 2),
                           std::to_string(m.undefined)});
    sec.tables.push_back(std::move(all));
    return sec;
  }

  output::html::Section grade_section() const {
    output::html::Section sec;
    sec.heading = "Grades: how often the inspection gives each grade";
    sec.id = "grades";
    sec.paragraphs.push_back(
        "Each bar splits the simulated inspections of a cell point by the grade their observed share earns. "
        "The table gives the grade the true rate deserves and how often it is given.");
    std::vector<std::size_t> graded;
    for (std::size_t i = 0; i < r_.points.size(); ++i)
      if (!r_.points[i].grades.empty()) graded.push_back(i);
    for (auto& fig : heat_maps(graded)) sec.figures.push_back(std::move(fig));
    for (const auto& sweep : sweeps_)
      if (!r_.points[sweep.front()].grades.empty()) sec.figures.push_back(grade_sweep_figure(sweep));
    output::svg::StackedBarChart chart;
    chart.frame.title = "Probability of each grade";
    chart.frame.description = "The share of simulated inspections giving each grade, for each cell point.";
    chart.value = output::svg::share_axis("Share of inspections");
    for (const auto& g : r_.points[graded.front()].grades) chart.segments.push_back(g.name);
    output::html::Figure fig;
    fig.table.header = {"cell point", "true rate", "deserved grade"};
    fig.table.align = {output::Align::left, output::Align::right, output::Align::left};
    for (const auto& s : chart.segments) fig.table.header.push_back("P(" + s + ")");
    fig.table.header.insert(fig.table.header.end(), {"P(deserved grade)", "Monte Carlo SE", "exact"});
    const auto chosen = spread(graded.size(), 40);
    for (std::size_t k = 0; k < graded.size(); ++k) {
      const PointResult& p = r_.points[graded[k]];
      std::vector<std::string> row{label(p), truth_text(p), p.correct_grade};
      output::svg::StackedBar bar;
      bar.label = label(p);
      for (const auto& name : chart.segments) {
        const auto g =
            std::find_if(p.grades.begin(), p.grades.end(), [&](const auto& x) { return x.name == name; });
        const double v = g == p.grades.end() ? 0.0 : g->probability.value;
        bar.values.push_back(v);
        row.push_back(base::share_text(v, 2));
      }
      row.push_back(p.p_correct_grade ? base::share_text(p.p_correct_grade->value, 2) : "-");
      row.push_back(p.p_correct_grade ? base::share_text(p.p_correct_grade->se, 2) : "-");
      row.push_back(base::share_text(p.exact_p_correct_grade, 2));
      fig.table.add_row(row);
      if (std::find(chosen.begin(), chosen.end(), k) != chosen.end()) chart.bars.push_back(bar);
    }
    if (const auto note = shown_of(chosen.size(), graded.size(), "graded cell points"); !note.empty())
      sec.paragraphs.push_back(note);
    fig.svg = output::svg::stacked_bar_chart(chart);
    fig.caption = chart.frame.title;
    sec.figures.push_back(std::move(fig));
    return sec;
  }

  // The probability of each grade against the true rate of a sweep: one curve per grade, or one
  // panel per grade where more than four would share a panel.
  output::html::Figure grade_sweep_figure(const std::vector<std::size_t>& sweep) const {
    output::svg::LineChart chart;
    chart.frame.title = "Probability of each grade against the true rate: " + sweep_name(sweep);
    chart.frame.description = "The share of simulated inspections giving each grade, at each true rate.";
    chart.x = output::svg::data_share_axis("True error rate");
    chart.y = output::svg::share_axis("Share of inspections");
    output::html::Figure fig;
    fig.table.header = {"true rate"};
    for (const auto& g : r_.points[sweep.front()].grades) {
      chart.series.push_back({g.name, {}});
      fig.table.header.push_back("P(" + g.name + ")");
    }
    for (const std::size_t i : sweep) {
      const PointResult& p = r_.points[i];
      std::vector<std::string> row{truth_text(p)};
      for (auto& series : chart.series) {
        const auto g = std::find_if(p.grades.begin(), p.grades.end(),
                                    [&](const auto& x) { return x.name == series.name; });
        const double v = g == p.grades.end() ? 0.0 : g->probability.value;
        series.points.push_back({p.true_rate, v});
        row.push_back(base::share_text(v, 2));
      }
      fig.table.add_row(row);
    }
    fig.svg = curves_svg(chart, "grade");
    fig.caption = chart.frame.title;
    return fig;
  }

  // P(correct grade) against the true rate (across) and the sample size (down), for each cell
  // whose graded fixed-rate points span at least three true rates.
  std::vector<output::html::Figure> heat_maps(const std::vector<std::size_t>& graded) const {
    std::vector<output::html::Figure> out;
    std::map<std::size_t, std::vector<std::size_t>> by_cell;
    for (const std::size_t i : graded)
      if (r_.points[i].point.truth.kind == Truth::Kind::fixed && r_.points[i].p_correct_grade)
        by_cell[r_.points[i].point.cell].push_back(i);
    for (const auto& [cell, idx] : by_cell) {
      std::vector<double> rates;
      std::vector<std::int64_t> samples;
      for (const std::size_t i : idx) {
        rates.push_back(r_.points[i].true_rate);
        samples.push_back(r_.points[i].point.sample);
      }
      std::sort(rates.begin(), rates.end());
      rates.erase(std::unique(rates.begin(), rates.end()), rates.end());
      std::sort(samples.begin(), samples.end());
      samples.erase(std::unique(samples.begin(), samples.end()), samples.end());
      if (rates.size() < 3) continue;
      auto at = [](const auto& v, const auto& x) {
        return static_cast<std::size_t>(std::lower_bound(v.begin(), v.end(), x) - v.begin());
      };
      output::svg::HeatMap h;
      h.frame.title =
          "P(correct grade) by true rate and sample size: " + cell_name(r_.points[idx.front()].point);
      h.frame.description =
          "The share of simulated inspections that give the grade the true rate deserves, for each true "
          "rate and sample size.";
      h.column_label = "True error rate";
      h.row_label = "Sample size";
      h.value_label = "P(correct grade)";
      for (const double r : rates) h.columns.push_back(base::share_text(r));
      for (const auto n : samples) h.rows.push_back("n = " + std::to_string(n));
      h.values.assign(samples.size(), std::vector<double>(rates.size(), std::nan("")));
      output::html::Figure fig;
      fig.table.header = {"true rate"};
      for (const auto n : samples) fig.table.header.push_back("P(correct grade), n = " + std::to_string(n));
      std::vector<std::vector<std::string>> rows(rates.size(),
                                                 std::vector<std::string>(samples.size() + 1, "-"));
      for (std::size_t k = 0; k < rates.size(); ++k) rows[k][0] = base::share_text(rates[k]);
      for (const std::size_t i : idx) {
        const PointResult& p = r_.points[i];
        const std::size_t c = at(rates, p.true_rate), r = at(samples, p.point.sample);
        h.values[r][c] = p.p_correct_grade->value;
        rows[c][r + 1] = base::share_text(p.p_correct_grade->value, 2) + " (" + p.correct_grade + ")";
      }
      for (auto& row : rows) fig.table.add_row(row);
      fig.svg = output::svg::heat_map(h);
      fig.caption = h.frame.title;
      out.push_back(std::move(fig));
    }
    return out;
  }

  static std::string league_id(std::size_t l) { return "league-" + std::to_string(l + 1); }

  // A league: P(ranked worst) of each member by true rank, with its Monte Carlo interval, and the
  // distribution of every member's observed rank as a member x rank heat map.
  output::html::Section league_section(std::size_t l) const {
    const LeagueResult& lg = r_.leagues[l];
    const std::size_t k = lg.members.size();
    output::html::Section sec;
    sec.heading = "League: " + lg.spec.name;
    sec.id = league_id(l);
    sec.paragraphs.push_back(
        "Each simulated inspection ranks the " + std::to_string(k) +
        " members by their observed shares (rank 1 = the highest share, the worst; " +
        (lg.spec.ties == Ties::shared ? "tied members share the better rank" : "ties broken at random") +
        ") and compares the ranks with the true ones.");
    sec.notes.push_back(
        "P(the truly worst is ranked worst) = " + base::share_text(lg.p_true_worst_ranked_worst.value, 1) +
        " ± " + base::share_text(lg.p_true_worst_ranked_worst.se, 2) + " (Monte Carlo SE)" +
        (lg.p_true_worst_ranked_worst_exact
             ? "; exact " + base::share_text(lg.p_true_worst_ranked_worst_exact, 2)
             : std::string()) +
        ".");
    for (const auto& t : lg.top)
      sec.notes.push_back("P(the ranked worst are all among the truly worst " + std::to_string(t.k) +
                          ") = " + base::share_text(t.probability.value, 1) + " ± " +
                          base::share_text(t.probability.se, 2) + ".");
    if (lg.spearman)
      sec.notes.push_back(
          "Spearman's rank correlation of observed with true ranks: " +
          base::value_se_text(lg.spearman->value, lg.spearman->se) + "; mean absolute rank error " +
          base::value_se_text(lg.mean_abs_rank_error.value, lg.mean_abs_rank_error.se, 2) + " places.");
    std::vector<std::size_t> order(k);
    for (std::size_t i = 0; i < k; ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
      return lg.members[a].true_rank < lg.members[b].true_rank;
    });
    auto member_label = [&](std::size_t i) {
      const LeagueMemberResult& m = lg.members[i];
      return "true rank " + std::to_string(m.true_rank) + ": " + r_.points.at(m.point).point.force + " (" +
             base::share_text(m.true_rate) + ")";
    };

    output::svg::IntervalChart chart;
    chart.frame.title = "P(ranked worst) by true rank: " + lg.spec.name;
    chart.frame.description =
        "For each member, from the truly worst down, the share of simulated inspections that rank it "
        "worst, with its 95% Monte Carlo interval.";
    chart.x = output::svg::share_axis("P(ranked worst)");
    chart.estimate_name = "simulated probability";
    chart.interval_name = "95% Monte Carlo interval";
    chart.highlight_name = "truly worst";
    chart.order = output::svg::Order::as_given;
    output::html::Figure fig;
    fig.table.header = {"member",         "true rate", "true rank", "P(ranked worst)",
                        "Monte Carlo SE", "exact",     "mean rank", "Monte Carlo SE"};
    fig.table.align = {output::Align::left};
    for (const std::size_t i : order) {
      const LeagueMemberResult& m = lg.members[i];
      const auto [lo, hi] = mc_interval(m.p_ranked_worst);
      chart.rows.push_back({member_label(i), m.p_ranked_worst.value, lo, hi, m.true_rank == 1});
      fig.table.add_row({cell_name(r_.points.at(m.point).point), base::share_text(m.true_rate),
                         std::to_string(m.true_rank), base::share_text(m.p_ranked_worst.value, 2),
                         base::share_text(m.p_ranked_worst.se, 2),
                         base::share_text(m.p_ranked_worst_exact, 2),
                         base::format_fixed(m.mean_rank.value, 2), base::format_fixed(m.mean_rank.se, 2)});
    }
    fig.svg = output::svg::interval_chart(chart);
    fig.caption = chart.frame.title;
    sec.figures.push_back(std::move(fig));

    output::svg::HeatMap h;
    h.frame.title = "Distribution of the observed rank: " + lg.spec.name;
    h.frame.description =
        "For each member (down, from the truly worst) the share of simulated inspections that give it "
        "each observed rank (across; 1 = worst). Each share's Monte Carlo SE is at most " +
        base::share_text(0.5 / std::sqrt(static_cast<double>(r_.spec.replicates)), 2) + ".";
    h.column_label = "Observed rank (1 = worst)";
    h.row_label = "Member, by true rank";
    h.value_label = "P(observed rank)";
    for (std::size_t r = 1; r <= k; ++r) h.columns.push_back(std::to_string(r));
    output::html::Figure heat;
    heat.table.header = {"member", "true rank"};
    for (std::size_t r = 1; r <= k; ++r) heat.table.header.push_back("P(rank " + std::to_string(r) + ")");
    heat.table.align = {output::Align::left};
    for (const std::size_t i : order) {
      const LeagueMemberResult& m = lg.members[i];
      h.rows.push_back(member_label(i));
      h.values.push_back(m.rank_distribution);
      std::vector<std::string> row = {cell_name(r_.points.at(m.point).point), std::to_string(m.true_rank)};
      for (const double p : m.rank_distribution) row.push_back(base::share_text(p, 1));
      heat.table.add_row(std::move(row));
    }
    heat.svg = output::svg::heat_map(h);
    heat.caption = h.frame.title;
    heat.table_caption = "Table behind the chart: " + h.frame.title +
                         " (each share's Monte Carlo SE is at most " +
                         base::share_text(0.5 / std::sqrt(static_cast<double>(r_.spec.replicates)), 2) + ")";
    sec.figures.push_back(std::move(heat));
    return sec;
  }

  output::html::Section comparison_section() const {
    output::html::Section sec;
    sec.heading = "Comparisons: how often a difference is declared";
    sec.id = "comparisons";
    sec.paragraphs.push_back(
        "For two cells with different true rates this is the power of the comparison: how often the "
        "inspection can tell them apart. For equal true rates it is the false-alarm rate, which should "
        "stay near " +
        base::share_text(1 - r_.spec.confidence, 0) + ".");
    output::svg::IntervalChart chart;
    chart.frame.title = "Probability of declaring a difference";
    chart.x = output::svg::share_axis("Probability of declaring a difference");
    chart.estimate_name = "simulated probability";
    chart.interval_name = "95% Monte Carlo interval";
    chart.order = output::svg::Order::as_given;
    chart.x_references.push_back(
        {1 - r_.spec.confidence, "false-alarm level " + base::share_text(1 - r_.spec.confidence, 0)});
    chart.x_references.push_back({0.8, "80% power"});
    output::html::Figure fig;
    fig.table.header = {"comparison", "test",       "true rate a",    "true rate b",
                        "reads as",   "P(declare)", "Monte Carlo SE", "exact"};
    fig.table.align = {output::Align::left, output::Align::left, output::Align::right, output::Align::right,
                       output::Align::left};
    for (const auto& c : r_.comparisons) {
      const auto [lo, hi] = mc_interval(c.p_declare);
      const PointResult* a = c.spec.a < r_.points.size() ? &r_.points[c.spec.a] : nullptr;
      const PointResult* b = c.spec.b < r_.points.size() ? &r_.points[c.spec.b] : nullptr;
      const std::string test = c.spec.fisher ? "Fisher" : std::string(stats::diff_method_name(c.spec.method));
      output::svg::IntervalRow row;
      // What tells the rows apart first: the test and the two true rates.
      row.label =
          test + ", " + (a ? truth_text(*a) : "-") + " vs " + (b ? truth_text(*b) : "-") + ": " + c.spec.name;
      row.estimate = c.p_declare.value;
      row.lower = lo;
      row.upper = hi;
      chart.rows.push_back(row);
      const bool equal = a && b && a->point.truth.kind == b->point.truth.kind && a->true_rate == b->true_rate;
      fig.table.add_row(
          {c.spec.name,
           c.spec.fisher ? "Fisher's exact test" : std::string(stats::diff_method_name(c.spec.method)),
           a ? truth_text(*a) : "-", b ? truth_text(*b) : "-", equal ? "false-alarm rate" : "power",
           base::share_text(c.p_declare.value, 2), base::share_text(c.p_declare.se, 2),
           base::share_text(c.exact, 2)});
    }
    fig.svg = output::svg::interval_chart(chart);
    fig.caption = chart.frame.title;
    sec.figures.push_back(std::move(fig));
    return sec;
  }
};

}  // namespace

std::string render_simulation_report(const SimulationResult& result) {
  return SimulationReport(result).render();
}

}  // namespace inspectsim::simulate
