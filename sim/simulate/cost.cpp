#include "inspectsim/simulate/cost.hpp"

#include <algorithm>
#include <set>

#include "inspectsim/simulate/exact.hpp"

namespace inspectsim::simulate {

namespace {

double replicate_weight(const CellPoint& p, std::size_t methods) {
  const bool beta = p.truth.kind == Truth::Kind::beta;
  // A count whose law is enumerable is drawn from it (simulate/sampler.hpp); a Beta truth's
  // figures then come from its conditional law given the count, once per count, not per replicate.
  if (count_law_work(p)) return base::weights::alias_draw;
  double w = base::weights::process_draw;
  if (beta) w += base::weights::beta_truth + base::weights::replicate_interval * static_cast<double>(methods);
  if (p.population && (beta || p.selection_odds))
    w += base::weights::record_draw * static_cast<double>(p.sample);
  if (p.clusters) w += base::weights::cluster_unit * static_cast<double>(p.clusters->count);
  if (p.inspector) w += base::weights::inspector_draw;
  return w;
}

bool beta_or_feature(const CellPoint& p) {
  return p.truth.kind == Truth::Kind::beta || p.clusters || p.inspector || p.selection_odds;
}

}  // namespace

// Once per count of a distinct sample size and method: the interval table.
double interval_table_work(stats::Method m) {
  switch (m) {
    case stats::Method::jeffreys:
    case stats::Method::clopper_pearson: return 10000;  // a Boost Beta quantile per bound
    case stats::Method::mid_p:
    case stats::Method::likelihood_ratio: return 60000;  // root finding on the binomial tails
    case stats::Method::wald:
    case stats::Method::wald_cc: return 100;
    default: return 200;  // closed forms with a square root
  }
}

base::Cost simulation_cost(const SimulationSpec& spec, unsigned threads) {
  base::Cost c;
  const double in_flight = 4.0 * base::worker_threads(threads) + 2;
  const auto replicates = static_cast<double>(spec.replicates);
  double method_weight = 0;
  for (stats::Method m : spec.methods) method_weight += interval_table_work(m);
  std::set<std::int64_t> sizes;
  std::int64_t largest = 0;
  for (const CellPoint& p : spec.points) {
    const auto counts = static_cast<double>(p.sample + 1);
    c.work += replicates * replicate_weight(p, spec.methods.size()) + base::weights::per_count * counts;
    // The exact law of a Beta truth or a process-level feature, enumerated once for the table and
    // the report.
    if (beta_or_feature(p)) c.work += count_law_work(p).value_or(0);
    c.bytes += counts * (base::weights::counter_bytes * in_flight + base::weights::result_bytes_per_count);
    largest = std::max(largest, p.sample);
    if (sizes.insert(p.sample).second) {
      c.work += counts * method_weight;
      c.bytes += counts * (base::weights::table_bytes_per_count * static_cast<double>(spec.methods.size()) +
                           base::weights::alias_bytes_per_count);
    }
  }
  double tests = 0;
  for (const ComparisonSpec& cmp : spec.comparisons) {
    if (cmp.a >= spec.points.size() || cmp.b >= spec.points.size()) continue;
    const std::int64_t na = spec.points[cmp.a].sample, nb = spec.points[cmp.b].sample;
    const double cells = static_cast<double>(na + 1) * static_cast<double>(nb + 1);
    tests = std::max(tests, cells);
    c.work += cells * (cmp.fisher ? base::weights::fisher_test(na, nb) : base::weights::difference_test);
    c.bytes += cells + 2 * 4.0 * static_cast<double>(block_replicates) * in_flight;
  }
  std::size_t members = 0;
  for (const LeagueSpec& league : spec.leagues) {
    const auto k = static_cast<double>(league.members.size());
    members += league.members.size();
    c.work += replicates * (k * k * base::weights::league_pair + k * base::weights::league_member);
    double counts = 0;
    for (const std::size_t m : league.members)
      if (m < spec.points.size()) counts += static_cast<double>(spec.points[m].sample + 1);
    c.work += k * k * counts * base::weights::league_exact_term;
    // The rank histogram in every tally in flight and each member's counts of a block per thread.
    c.bytes += k * k * base::weights::counter_bytes * in_flight +
               k * 4.0 * static_cast<double>(block_replicates) * in_flight;
  }
  c.bytes += base::weights::base_bytes;
  c.detail = std::to_string(spec.points.size()) + " cell point" + (spec.points.size() == 1 ? "" : "s") +
             " x " + std::to_string(spec.replicates) + " replicates, samples up to " +
             std::to_string(largest);
  c.advice = "fewer replicates (" + base::field("replicates") + "), cell points or records sampled";
  if (!spec.comparisons.empty())
    c.detail += ", " + std::to_string(spec.comparisons.size()) + " comparison" +
                (spec.comparisons.size() == 1 ? "" : "s") + " of up to " + base::cost_number(tests, "%.3g") +
                " pairs of counts";
  if (!spec.leagues.empty())
    c.detail += ", " + std::to_string(spec.leagues.size()) + " league" +
                (spec.leagues.size() == 1 ? "" : "s") + " of " + std::to_string(members) + " members in all";
  return c;
}

}  // namespace inspectsim::simulate
