#include "inspectsim/compare/plots.hpp"

#include <algorithm>

#include "inspectsim/output/svg.hpp"

namespace inspectsim::compare {

std::string slug(std::string_view text) {
  std::string out;
  for (char ch : text) {
    const char c = (ch >= 'A' && ch <= 'Z') ? static_cast<char>(ch - 'A' + 'a') : ch;
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
      out += c;
    else if (!out.empty() && out.back() != '-')
      out += '-';
    if (out.size() >= max_slug_length) break;
  }
  while (!out.empty() && out.back() == '-') out.pop_back();
  return out.empty() ? "group" : out;
}

namespace {

std::string title_of(const GroupResult& g) {
  return g.inspection.empty() ? g.category + " (all inspections)" : g.inspection + ", " + g.category;
}

std::string percent_label(double level) { return base::format_number(100 * level) + "%"; }

std::string funnel_svg(const Comparison& c, const GroupResult& g) {
  const CompareRequest& q = c.request;
  output::svg::FunnelChart chart;
  chart.frame.title = "Funnel plot: " + title_of(g);
  chart.frame.description =
      "Share of records found wrong against records sampled, for each force, with control "
      "limits around the pooled rate of " +
      base::format_percent(g.funnel.target, 1) +
      (g.funnel.widened
           ? " widened for overdispersion (" + std::string(stats::overdispersion_name(g.funnel.kind)) + ")."
           : " (exact binomial, Spiegelhalter 2005).");
  chart.x = output::svg::count_axis("Sample size", "records");
  chart.y = output::svg::share_axis("Share wrong");
  chart.target =
      output::svg::Reference{g.funnel.target, "pooled rate " + base::format_percent(g.funnel.target, 1)};
  chart.point_name = "force";
  std::int64_t n_max = 1;
  for (const RowResult& r : g.rows) n_max = std::max(n_max, c.table.rows[r.row].sampled);
  n_max = n_max + n_max / 10 + 1;
  // About 200 sample sizes from 1 to a tenth beyond the largest sample.
  std::vector<std::int64_t> ns;
  const std::int64_t step = std::max<std::int64_t>(1, n_max / 200);
  for (std::int64_t n = 1; n <= n_max; n += step) ns.push_back(n);
  std::vector<double> levels = q.levels;
  std::sort(levels.begin(), levels.end());
  for (double level : levels) {
    output::svg::FunnelLimits lim;
    lim.name = percent_label(level) + " limits";
    for (std::int64_t n : ns) {
      const stats::FunnelLimits l = stats::funnel_limits(g.funnel, n, level);
      lim.lower.push_back({static_cast<double>(n), l.lower});
      lim.upper.push_back({static_cast<double>(n), l.upper});
    }
    chart.limits.push_back(std::move(lim));
  }
  // Every force outside a limit (any level) is drawn differently and labelled.
  chart.outlier_name = q.levels.size() == 1 ? "outside the " + percent_label(q.levels.front()) + " limits"
                                            : "outside a control limit";
  for (const RowResult& r : g.rows)
    chart.points.push_back({r.label, static_cast<double>(c.table.rows[r.row].sampled), r.estimate,
                            std::any_of(r.funnel.begin(), r.funnel.end(), [](const FunnelPoint& f) {
                              return f.flag != stats::FunnelFlag::within;
                            })});
  return output::svg::funnel_chart(chart);
}

std::string caterpillar_svg(const Comparison& c, const GroupResult& g) {
  const CompareRequest& q = c.request;
  output::svg::IntervalChart chart;
  chart.frame.title = "Share wrong by force: " + title_of(g);
  chart.frame.description = "Each force's share of records found wrong with its " +
                            base::format_number(100 * q.confidence) + "% " +
                            std::string(stats::method_label(q.method)) + " interval and, in brackets, its " +
                            base::format_number(100 * q.confidence) + "% rank interval (1 = highest rate).";
  chart.x = output::svg::share_axis("Share wrong");
  chart.estimate_name = "observed share";
  chart.interval_name = base::format_number(100 * q.confidence) + "% " +
                        std::string(stats::method_label(q.method)) + " interval";
  chart.highlight_name = "approximate (from a published rate)";
  chart.x_references.push_back({g.funnel.target, "pooled " + base::format_percent(g.funnel.target, 1)});
  for (const RowResult& r : g.rows) {
    output::svg::IntervalRow row;
    row.label = r.label + " (rank " + std::to_string(r.rank.lower) + "-" + std::to_string(r.rank.upper) + ")";
    row.estimate = r.estimate;
    row.lower = r.interval.defined ? r.interval.lower : r.estimate;
    row.upper = r.interval.defined ? r.interval.upper : r.estimate;
    row.highlight = c.table.rows[r.row].approximate();
    chart.rows.push_back(std::move(row));
  }
  return output::svg::interval_chart(chart);
}

std::string ranks_svg(const Comparison& c, const GroupResult& g) {
  const CompareRequest& q = c.request;
  output::svg::IntervalChart chart;
  chart.frame.title = "Rank by force: " + title_of(g);
  chart.frame.description = "Each force's mean rank (1 = highest share wrong) with its " +
                            base::format_number(100 * q.confidence) + "% rank interval, from " +
                            std::to_string(q.draws) + " draws of each force's " +
                            (g.ranks_from == RankPosterior::hierarchical ? "hierarchical joint"
                             : g.ranks_shrunk                            ? "shrunk"
                                                                         : "Jeffreys") +
                            " posterior (seed " + std::to_string(q.seed) + ").";
  chart.x = output::svg::count_axis("Rank (1 = highest share wrong)", "");
  chart.x.min = 1;
  chart.x.max = static_cast<double>(std::max<std::size_t>(2, g.rows.size()));
  chart.estimate_name = "mean rank";
  chart.interval_name = base::format_number(100 * q.confidence) + "% rank interval";
  chart.order = output::svg::Order::ascending;
  if (q.rank_intervals == RankIntervals::simultaneous) {
    // The intervals that hold for all forces at once, around each force's observed rank (1 + the
    // number of forces with a higher observed share), which every such interval contains.
    chart.frame.description =
        "Each force's observed rank (1 = highest share wrong) with its rank interval that holds for all " +
        std::to_string(g.rows.size()) + " forces at once with " + base::format_number(100 * q.confidence) +
        "% confidence (Fisher's exact test of every pair, Holm-adjusted). Forces whose whole interval lies "
        "in ranks 1 to " +
        std::to_string(g.worst_quarter_ranks) + " are in the worst quarter with that confidence.";
    chart.estimate_name = "observed rank";
    chart.interval_name = base::format_number(100 * q.confidence) + "% interval, all forces at once";
    chart.highlight_name = "in the worst quarter";
    for (const RowResult& r : g.rows) {
      const auto higher = std::count_if(g.rows.begin(), g.rows.end(),
                                        [&](const RowResult& o) { return o.estimate > r.estimate; });
      const SimultaneousRank s = r.simultaneous.value_or(SimultaneousRank{});
      chart.rows.push_back({r.label, static_cast<double>(1 + higher), static_cast<double>(s.lower),
                            static_cast<double>(s.upper), r.worst_quarter});
    }
    return output::svg::interval_chart(chart);
  }
  for (const RowResult& r : g.rows)
    chart.rows.push_back({r.label, r.rank.mean_rank, static_cast<double>(r.rank.lower),
                          static_cast<double>(r.rank.upper), false});
  return output::svg::interval_chart(chart);
}

}  // namespace

std::vector<PlotFile> comparison_plots(const Comparison& c) {
  std::vector<PlotFile> out;
  for (std::size_t i = 0; i < c.groups.size(); ++i) {
    const GroupResult& g = c.groups[i];
    const std::string num = std::to_string(i + 1);
    const std::string base = (num.size() < 2 ? "0" + num : num) + "-" + slug(title_of(g));
    out.push_back({base + "-funnel.svg", funnel_svg(c, g)});
    out.push_back({base + "-caterpillar.svg", caterpillar_svg(c, g)});
    out.push_back({base + "-ranks.svg", ranks_svg(c, g)});
  }
  return out;
}

}  // namespace inspectsim::compare
