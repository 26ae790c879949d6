#include "inspectsim/compare/report.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <tuple>

#include "inspectsim/base/text.hpp"
#include "inspectsim/base/version.hpp"
#include "inspectsim/compare/plots.hpp"
#include "inspectsim/output/html.hpp"
#include "inspectsim/output/svg.hpp"

namespace inspectsim::compare {

namespace {

class ComparisonReport {
 public:
  explicit ComparisonReport(const Comparison& c) : c_(c), plots_(comparison_plots(c)) {}

  std::string render() const {
    const CompareRequest& q = c_.request;
    output::html::Document d;
    d.title = "Comparing inspection results: " + file_name(q.input_path);
    d.subtitle = std::to_string(c_.table.rows.size()) + " published results in " +
                 std::to_string(c_.groups.size()) + " groups; " + base::level_text(q.confidence) + " " +
                 std::string(stats::method_label(q.method)) + " intervals.";
    d.headline = output::html::select_headline(headline());
    d.summary.push_back(summary_table());
    d.provenance.version = base::version();
    d.provenance.seed = q.seed;
    d.provenance.replicates = q.draws;
    d.provenance.replicates_label = "Monte Carlo draws (ranks, totals)";
    d.provenance.input_path = q.input_path;
    d.provenance.input_sha256 = q.input_sha256;
    std::string levels;
    for (double l : q.levels) levels += (levels.empty() ? "" : ", ") + base::level_text(l);
    d.provenance.settings = {
        {"Confidence", base::level_text(q.confidence)},
        {"Interval method", std::string(stats::method_label(q.method))},
        {"Difference method", std::string(stats::diff_method_name(q.diff_method))},
        {"Funnel limits", levels},
        {"Overdispersion", std::string(stats::overdispersion_name(q.overdispersion))},
        {"Groups", std::string(group_by_name(q.group_by))},
        {"Shrinkage", std::string(shrinkage_name(q.shrinkage)) +
                          (q.shrinkage == Shrinkage::hierarchical
                               ? " (hyperprior " + stats::hyperprior_text(q.hyperprior) + ")"
                               : std::string())},
        {"Ranks from", std::string(rank_posterior_name(rank_posterior_of(q))) + " posteriors"},
        {"Rank intervals", q.rank_intervals == RankIntervals::simultaneous
                               ? "simultaneous (Holm-adjusted Fisher tests of every pair) and marginal"
                               : "marginal (posterior)"}};
    for (std::size_t i = 0; i < c_.groups.size(); ++i) d.sections.push_back(group_section(i));
    if (!c_.changes.empty()) d.sections.push_back(change_section());
    if (!c_.totals.empty() || !c_.national.empty()) d.sections.push_back(total_section());
    for (auto& sec : d.sections) sec.id = section_id(sec.heading);
    return output::html::render_html(d);
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
    return r.interval.defined ? base::share_range_text(r.interval.lower, r.interval.upper) : "-";
  }

  std::size_t widest_level() const {
    const auto& l = c_.request.levels;
    return static_cast<std::size_t>(std::max_element(l.begin(), l.end()) - l.begin());
  }

  // Section ids: the group's position ("group-3"), or a fixed word. Names never enter an id.
  std::string section_id(const std::string& heading) const {
    for (std::size_t i = 0; i < c_.groups.size(); ++i)
      if (group_title(c_.groups[i]) == heading) return group_id(i);
    return heading == "Changes between inspections" ? "changes" : "totals";
  }
  static std::string group_id(std::size_t i) { return "group-" + std::to_string(i + 1); }

  stats::FunnelFlag widest_flag(const RowResult& r) const {
    return r.funnel.empty() ? stats::FunnelFlag::within : r.funnel[widest_level()].flag;
  }

  // "Hampshire's 9 of 17 (52.9%)"
  std::string force_count(const RowResult& r) const {
    return r.label + "'s " + count_text(row_of(r)) + " (" + base::share_text(r.estimate) + ")";
  }

  // The forces of a group outside the widest funnel limits, worst first (furthest from the target).
  std::vector<const RowResult*> outside(const GroupResult& g) const {
    std::vector<const RowResult*> out;
    for (const RowResult& r : g.rows)
      if (widest_flag(r) != stats::FunnelFlag::within) out.push_back(&r);
    std::stable_sort(out.begin(), out.end(), [&](auto* a, auto* b) {
      return std::abs(a->estimate - g.funnel.target) > std::abs(b->estimate - g.funnel.target);
    });
    return out;
  }

  // Headline candidates (html::select_headline picks at most five): kind 0, forces outside the
  // funnel limits (or that none is); kind 1, how many pairs and changes the samples can tell
  // apart. Whether a league table's worst is reliable would come next once leagues exist.
  std::vector<output::html::Finding> headline() const {
    std::vector<output::html::Finding> out;
    const std::string limit = base::level_text(c_.request.levels[widest_level()]);
    std::size_t any = 0;
    for (std::size_t gi = 0; gi < c_.groups.size(); ++gi) {
      const GroupResult& g = c_.groups[gi];
      const auto far = outside(g);
      if (far.empty()) continue;
      any += far.size();
      std::string s;
      if (far.size() == 1) {
        s = group_title(g) + ": " + force_count(*far.front()) + " lies " +
            std::string(stats::funnel_flag_name(widest_flag(*far.front()))) + " the " + limit +
            " funnel limits around the pooled rate of " + base::share_text(g.funnel.target) + ".";
      } else {
        s = group_title(g) + ": " + std::to_string(far.size()) + " of " + std::to_string(g.rows.size()) +
            " forces lie outside the " + limit + " funnel limits around the pooled rate of " +
            base::share_text(g.funnel.target) + ", furthest ";
        for (std::size_t i = 0; i < far.size() && i < 3; ++i)
          s += (i > 0 ? ", " : "") + force_count(*far[i]) + " " +
               std::string(stats::funnel_flag_name(widest_flag(*far[i])));
        s += far.size() > 3 ? " and " + std::to_string(far.size() - 3) + " more." : ".";
      }
      out.push_back({s, group_id(gi), 0, static_cast<double>(far.size())});
    }
    if (any == 0 && !c_.groups.empty())
      out.push_back({"No force lies outside the " + limit + " funnel limits in any of the " +
                         std::to_string(c_.groups.size()) + (c_.groups.size() == 1 ? " group" : " groups") +
                         ": the spread is what sampling alone would give.",
                     group_id(0), 0, 0});
    std::int64_t pairs = 0, apart = 0;
    std::size_t most = c_.groups.size();
    for (std::size_t gi = 0; gi < c_.groups.size(); ++gi) {
      const GroupResult& g = c_.groups[gi];
      if (!g.pairs_tested || g.pair_count == 0) continue;
      pairs += g.pair_count;
      apart += g.distinguishable;
      if (most == c_.groups.size() || g.distinguishable > c_.groups[most].distinguishable) most = gi;
    }
    if (pairs > 0)
      out.push_back({(apart == 0 ? "None" : std::to_string(apart)) + " of " + std::to_string(pairs) +
                         " pairs of forces in the same group can be told apart after Holm's adjustment;" +
                         " the rest differ by no more than sampling noise.",
                     group_id(most), 1, static_cast<double>(pairs - apart)});
    if (!c_.changes.empty()) {
      std::size_t worse = 0, better = 0;
      for (const ChangeResult& x : c_.changes) {
        worse += x.verdict == Verdict::worse ? 1 : 0;
        better += x.verdict == Verdict::better ? 1 : 0;
      }
      out.push_back({std::to_string(worse + better) + " of " + std::to_string(c_.changes.size()) +
                         " changes between inspections are large enough for the samples to detect (" +
                         std::to_string(worse) + " worse, " + std::to_string(better) + " better).",
                     "changes", 1, static_cast<double>(c_.changes.size() - worse - better)});
    }
    return out;
  }

  // One row per group: what a reader compares across groups.
  output::html::TableBlock summary_table() const {
    output::html::TableBlock t;
    const std::string limit = base::level_text(c_.request.levels[widest_level()]);
    t.caption = "Each group at a glance";
    t.table.header = {"group",
                      "forces",
                      "pooled rate",
                      "outside the " + limit + " limits",
                      "pairs told apart",
                      "most likely worst",
                      "P(worst)"};
    t.table.align = {output::Align::left,  output::Align::right, output::Align::right, output::Align::left,
                     output::Align::right, output::Align::left,  output::Align::right};
    for (const GroupResult& g : c_.groups) {
      std::string names;
      const auto far = outside(g);
      for (const RowResult* r : far)
        names += (names.empty() ? "" : ", ") + r->label + " (" +
                 std::string(stats::funnel_flag_name(widest_flag(*r))) + ")";
      // A group of one force has no most likely worst: its P(worst) is 1 by definition.
      const RowResult* worst = nullptr;
      for (const RowResult& r : g.rows)
        if (p_worst_shown(g, r) && (!worst || r.rank.p_worst > worst->rank.p_worst)) worst = &r;
      t.table.add_row({group_title(g), std::to_string(g.rows.size()), base::share_text(g.funnel.target),
                       far.empty() ? "none" : names,
                       !g.pairs_tested || g.pair_count == 0
                           ? "-"
                           : std::to_string(g.distinguishable) + " of " + std::to_string(g.pair_count),
                       worst ? worst->label : "-", worst ? base::share_text(worst->rank.p_worst) : "-"});
    }
    return t;
  }

  // One sentence per force of a group, in its section.
  std::vector<std::string> row_notes(const GroupResult& g) const {
    std::vector<std::string> out;
    const std::size_t w = widest_level();
    const std::string limit = base::level_text(c_.request.levels[w]);
    for (const RowResult& r : g.rows) {
      const stats::FunnelFlag f = widest_flag(r);
      const ResultRow& row = row_of(r);
      std::string s = r.label + ": " + count_text(row) + " (" + base::share_text(r.estimate) +
                      "): the true rate is plausibly anywhere from " + interval_text(r) + " (" +
                      base::level_text(c_.request.confidence) + " " +
                      std::string(stats::method_label(c_.request.method)) + " interval)";
      if (f != stats::FunnelFlag::within)
        s += "; " + std::string(stats::funnel_flag_name(f)) + " the " + limit + " funnel limits";
      s += "; rank " + std::to_string(r.rank.lower) + " to " + std::to_string(r.rank.upper) + " of " +
           std::to_string(g.rows.size());
      out.push_back(s + ".");
    }
    return out;
  }

  output::html::Figure plot(std::size_t group, std::size_t kind, std::string caption) const {
    output::html::Figure f;
    const std::size_t at = 3 * group + kind;
    if (at < plots_.size()) f.svg = plots_[at].svg;
    f.caption = std::move(caption);
    return f;
  }

  // "2 of 43 forces can be placed in the worst quarter (ranks 1 to 11) with 95% confidence: A, B."
  std::string worst_quarter_sentence(const GroupResult& g) const {
    const std::string level = base::level_text(c_.request.confidence);
    std::string s = "Rank intervals that hold for all " + std::to_string(g.rows.size()) +
                    " forces at once (" + level +
                    ", Fisher's exact test of every pair with Holm's adjustment): ";
    if (g.rows.size() < 2) return s + "a single force has nothing to be ranked against.";
    std::string names;
    for (const RowResult& r : g.rows)
      if (r.worst_quarter) names += (names.empty() ? "" : ", ") + r.label;
    s += std::to_string(g.in_worst_quarter) + " of " + std::to_string(g.rows.size()) +
         " forces can be placed in the worst quarter (ranks 1 to " + std::to_string(g.worst_quarter_ranks) +
         ") with " + level + " confidence";
    return s + (names.empty() ? "." : ": " + names + ".");
  }

  output::html::Section group_section(std::size_t gi) const {
    const GroupResult& g = c_.groups[gi];
    const CompareRequest& q = c_.request;
    output::html::Section sec;
    sec.heading = group_title(g);
    std::string intro = std::to_string(g.rows.size()) + " forces; " + std::to_string(g.incorrect) + " of " +
                        std::to_string(g.sampled) + " records found wrong in all, a pooled rate of " +
                        base::share_text(g.funnel.target) + ".";
    if (g.funnel.kind == stats::Overdispersion::multiplicative)
      intro += " Overdispersion factor phi = " + base::format_fixed(g.funnel.phi, 2) +
               (g.funnel.widened ? ": the limits are widened." : ": the limits are not widened.");
    if (g.funnel.kind == stats::Overdispersion::additive)
      intro += " Between-force variance tau^2 = " + base::format_fixed(g.funnel.tau2, 3) +
               " on the log-odds scale" + (g.funnel.widened ? ": the limits are widened." : ".");
    const auto far = outside(g);
    intro += far.empty()
                 ? " None lies outside the " + base::level_text(q.levels[widest_level()]) + " funnel limits."
                 : " " + std::to_string(far.size()) + " outside the " +
                       base::level_text(q.levels[widest_level()]) + " funnel limits.";
    sec.paragraphs.push_back(intro);
    // One sentence per force while they are few; the tables hold them all.
    if (g.rows.size() <= 20) sec.notes = row_notes(g);

    // Forest plot and the rows behind it.
    output::html::Figure forest =
        plot(gi, 1, "Share wrong by force, sorted, with the pooled rate: " + group_title(g));
    forest.table.header = {"force", "wrong of sampled", "share",
                           base::level_text(q.confidence) + " interval"};
    forest.table.align = {output::Align::left, output::Align::right, output::Align::right,
                          output::Align::right};
    const bool populations = std::any_of(
        g.rows.begin(), g.rows.end(), [&](const RowResult& r) { return r.population_interval.has_value(); });
    if (populations) forest.table.header.push_back("wrong records in the population");
    forest.table.header.push_back("source");
    forest.table.align.resize(forest.table.header.size(), output::Align::right);
    forest.table.align.back() = output::Align::left;
    std::vector<const RowResult*> sorted;
    for (const RowResult& r : g.rows) sorted.push_back(&r);
    std::stable_sort(sorted.begin(), sorted.end(),
                     [](auto* a, auto* b) { return a->estimate > b->estimate; });
    for (const RowResult* r : sorted) {
      const ResultRow& row = row_of(*r);
      std::vector<std::string> cells{r->label, count_text(row), base::share_text(r->estimate),
                                     interval_text(*r)};
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
    output::html::Figure funnel =
        plot(gi, 0, "Funnel plot with control limits and labelled outliers: " + group_title(g));
    funnel.table.header = {"force", "sampled", "share"};
    funnel.table.align = {output::Align::left};
    for (double l : q.levels) {
      funnel.table.header.push_back(base::level_text(l) + " limits");
      funnel.table.header.push_back(base::level_text(l) + " flag");
    }
    for (const RowResult& r : g.rows) {
      std::vector<std::string> cells{r.label, std::to_string(row_of(r).sampled),
                                     base::share_text(r.estimate)};
      for (const auto& f : r.funnel) {
        cells.push_back(base::share_range_text(f.limits.lower, f.limits.upper));
        cells.push_back(std::string(stats::funnel_flag_name(f.flag)));
      }
      funnel.table.add_row(cells);
    }
    sec.figures.push_back(std::move(funnel));

    // Rank intervals.
    output::html::Figure ranks = plot(gi, 2, "Rank intervals (1 = highest share wrong): " + group_title(g));
    ranks.table.header = {"force", "mean rank", base::level_text(q.confidence) + " rank interval", "P(worst)",
                          "P(among the worst three)"};
    ranks.table.align = {output::Align::left};
    std::vector<const RowResult*> by_rank = sorted;
    std::stable_sort(by_rank.begin(), by_rank.end(),
                     [](auto* a, auto* b) { return a->rank.mean_rank < b->rank.mean_rank; });
    const bool simultaneous = q.rank_intervals == RankIntervals::simultaneous;
    if (simultaneous) {
      ranks.table.header.push_back(base::level_text(q.confidence) + " interval, all forces at once");
      ranks.table.header.push_back("in the worst quarter");
    }
    for (const RowResult* r : by_rank) {
      ranks.table.add_row({r->label, base::format_fixed(r->rank.mean_rank, 1),
                           std::to_string(r->rank.lower) + " to " + std::to_string(r->rank.upper),
                           base::share_text(p_worst_shown(g, *r)), base::share_text(r->rank.p_worst_three)});
      if (simultaneous && r->simultaneous) {
        ranks.table.rows.back().push_back(std::to_string(r->simultaneous->lower) + " to " +
                                          std::to_string(r->simultaneous->upper));
        ranks.table.rows.back().push_back(r->worst_quarter ? "yes" : "no");
      }
    }
    sec.figures.push_back(std::move(ranks));
    if (simultaneous) sec.paragraphs.push_back(worst_quarter_sentence(g));

    if (g.fit || g.hierarchical) sec.figures.push_back(shrinkage_figure(g));
    if (!g.pairs.empty()) sec.tables.push_back(pair_table(g));
    return sec;
  }

  output::html::Figure shrinkage_figure(const GroupResult& g) const {
    const CompareRequest& q = c_.request;
    output::svg::ScatterChart chart;
    chart.frame.title = "Shrunk against raw estimates: " + group_title(g);
    const double typical = g.hierarchical ? g.hierarchical->typical_rate.estimate : g.fit->mean;
    chart.frame.description =
        "Each force's observed share (horizontal) against its shrunk estimate (vertical) under " +
        std::string(g.hierarchical
                        ? "a hierarchical beta-binomial model with the group's typical rate and spread "
                          "integrated out (hyperprior " +
                              stats::hyperprior_text(g.hierarchical->hyperprior) + ")"
                        : "a beta-binomial model fitted to the group (empirical Bayes)") +
        ". Points below the diagonal are pulled down toward the group's typical rate of " +
        base::share_text(typical) +
        ", points above it up; small samples move most. Forces that move more than 5 "
        "percentage points are labelled.";
    chart.x = output::svg::data_share_axis("Observed share (raw)");
    chart.y = output::svg::data_share_axis("Shrunk estimate");
    chart.point_name = "force";
    output::html::Figure f;
    f.table.header = {"force",
                      "sampled",
                      "raw share",
                      "shrunk estimate",
                      base::level_text(q.confidence) + " interval",
                      "weight on the group mean"};
    for (double t : q.thresholds) f.table.header.push_back("P(share > " + base::share_text(t) + ")");
    f.table.align = {output::Align::left};
    for (const RowResult& r : g.rows) {
      if (!r.shrunk) continue;
      const bool moved = std::abs(r.shrunk->estimate - r.estimate) > 0.05;
      chart.points.push_back({r.label, r.estimate, r.shrunk->estimate, moved});
      f.table.add_row({r.label, std::to_string(row_of(r).sampled), base::share_text(r.estimate),
                       base::share_text(r.shrunk->estimate),
                       base::share_range_text(r.shrunk->lower, r.shrunk->upper),
                       base::share_text(r.shrunk->weight)});
      for (const stats::Exceedance& e : r.shrunk->p_above)
        f.table.rows.back().push_back(base::share_text(e.probability));
    }
    f.svg = output::svg::scatter_chart(chart);
    if (g.hierarchical) {
      const stats::HierarchicalFit& h = *g.hierarchical;
      f.caption = chart.frame.title + " (typical rate " + base::share_text(h.typical_rate.estimate) + ", " +
                  base::level_text(q.confidence) + " interval " +
                  base::share_range_text(h.typical_rate.lower, h.typical_rate.upper) +
                  "; SD of the forces' rates " + base::share_text(h.between_sd) +
                  "; posterior predictive p = " + base::p_text(*g.ppc_p) +
                  (*g.ppc_p < 1 - q.confidence ? ": the forces differ more than the model allows)" : ")");
    } else {
      f.caption = chart.frame.title + " (between-force spread " + base::share_text(g.fit->spread) +
                  (g.fit->no_spread ? "; the data show no spread beyond sampling noise, and these intervals "
                                      "ignore the uncertainty of the fit)"
                                    : ")");
    }
    return f;
  }

  output::html::TableBlock pair_table(const GroupResult& g) const {
    output::html::TableBlock t;
    t.caption = "Pairs of forces: " + group_title(g) + " (" + std::to_string(g.distinguishable) + " of " +
                std::to_string(g.pairs.size()) + " pairs distinguishable after Holm's adjustment)";
    t.table.header = {"force a",  "force b", "difference",     "interval",
                      "Fisher p", "Holm p",  "distinguishable"};
    t.table.align = {output::Align::left, output::Align::left};
    for (const PairResult& p : g.pairs)
      t.table.add_row({g.rows[p.a].label, g.rows[p.b].label, base::share_text(p.difference),
                       p.interval.defined ? base::share_range_text(p.interval.lower, p.interval.upper) : "-",
                       base::p_text(p.p), base::p_text(p.p_holm), p.distinguishable ? "yes" : "no"});
    return t;
  }

  output::html::Section change_section() const {
    const CompareRequest& q = c_.request;
    output::html::Section sec;
    sec.heading = "Changes between inspections";
    sec.paragraphs.push_back(
        "For each force and category inspected more than once: the later rate minus the earlier one with "
        "its " +
        base::level_text(q.confidence) + " " + std::string(stats::diff_method_name(q.diff_method)) +
        " interval. Worse: the interval lies above zero; better: below zero; otherwise the samples cannot "
        "detect a change.");
    output::svg::IntervalChart chart;
    chart.frame.title = "Change in the share wrong between inspections";
    chart.x = output::svg::number_axis("Later minus earlier share wrong", "percentage points");
    chart.x.percent = true;
    chart.estimate_name = "change";
    chart.interval_name = base::level_text(q.confidence) + " interval";
    chart.highlight_name = "detectably worse or better";
    chart.x_references.push_back({0, "no change"});
    output::html::Figure f;
    f.table.header = {"force", "category", "from",     "to",       "earlier",
                      "later", "change",   "interval", "Fisher p", "verdict"};
    f.table.align = {output::Align::left, output::Align::left, output::Align::left, output::Align::left};
    for (const ChangeResult& x : c_.changes) {
      const ResultRow& a = c_.table.rows[x.from];
      const ResultRow& b = c_.table.rows[x.to];
      output::svg::IntervalRow row;
      row.label = a.force + ", " + a.category + ": " + a.inspection + " to " + b.inspection;
      row.estimate = x.difference;
      row.lower = x.interval.defined ? x.interval.lower : std::nan("");
      row.upper = x.interval.defined ? x.interval.upper : std::nan("");
      row.highlight = x.verdict != Verdict::no_change;
      chart.rows.push_back(row);
      f.table.add_row({a.force, a.category, a.inspection, b.inspection, count_text(a), count_text(b),
                       base::share_text(x.difference),
                       x.interval.defined ? base::share_range_text(x.interval.lower, x.interval.upper) : "-",
                       base::p_text(x.p), std::string(verdict_name(x.verdict))});
    }
    f.svg = output::svg::interval_chart(chart);
    f.caption = chart.frame.title;
    sec.figures.push_back(std::move(f));
    return sec;
  }

  output::html::Section total_section() const {
    const CompareRequest& q = c_.request;
    output::html::Section sec;
    sec.heading = "Totals across categories";
    sec.paragraphs.push_back(
        "Each force's overall share wrong per inspection across the categories inspected, weighted by "
        "population "
        "where every category has one (else by sample size), with a " +
        base::level_text(q.confidence) +
        " interval from the stratified posterior; then the national figures.");
    auto table = [&](const std::vector<TotalResult>& totals, std::string caption, bool national) {
      output::html::TableBlock t;
      t.caption = std::move(caption);
      t.table.header = {national ? "inspection" : "force",
                        "categories",
                        "wrong of sampled",
                        "share",
                        "interval",
                        "weighted by",
                        "wrong records (estimate)",
                        "wrong records (interval)"};
      t.table.align = {output::Align::left};
      for (const TotalResult& x : totals) {
        const StratifiedTotal& s = x.total;
        t.table.add_row(
            {national ? x.inspection : x.force + " (" + x.inspection + ")", std::to_string(s.strata),
             std::to_string(s.incorrect) + " of " + std::to_string(s.sampled), base::share_text(s.estimate),
             base::share_range_text(s.lower, s.upper), s.by_population ? "population" : "sample size",
             s.wrong_estimate ? base::format_fixed(*s.wrong_estimate, 0) : "-",
             s.wrong_lower && s.wrong_upper && s.population
                 ? std::to_string(*s.wrong_lower) + " to " + std::to_string(*s.wrong_upper) + " of " +
                       std::to_string(*s.population)
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

}  // namespace inspectsim::compare
