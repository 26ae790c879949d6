#include "inspectsim/compare/ranking.hpp"

#include <algorithm>
#include <numeric>
#include <string>

#include <boost/random/beta_distribution.hpp>

#include "inspectsim/base/check.hpp"
#include "inspectsim/base/error.hpp"

namespace inspectsim::compare {

std::vector<RankSummary> simulate_ranks(std::span<const stats::BetaPrior> posteriors, std::int64_t draws,
                                        random::Engine& engine, double confidence) {
  if (draws < 1)
    throw base::InputError(base::field("draws") + " is " + std::to_string(draws) +
                           ", but must be at least 1");
  base::check_open_unit("confidence", confidence);
  const std::size_t units = posteriors.size();
  std::vector<boost::random::beta_distribution<double>> dists;
  for (const stats::BetaPrior& p : posteriors) {
    if (!(p.a > 0 && p.b > 0)) throw base::InputError("a posterior's Beta parameters must be positive");
    dists.emplace_back(p.a, p.b);
  }
  // counts[u * units + r]: how often unit u took rank r + 1.
  std::vector<std::int64_t> counts(units * units, 0);
  std::vector<double> rate(units);
  std::vector<std::size_t> order(units);
  for (std::int64_t d = 0; d < draws; ++d) {
    for (std::size_t u = 0; u < units; ++u) rate[u] = dists[u](engine);
    std::iota(order.begin(), order.end(), std::size_t{0});
    // Highest rate first; ties (probability zero for continuous draws) keep the input order.
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t i, std::size_t j) { return rate[i] > rate[j]; });
    for (std::size_t r = 0; r < units; ++r) ++counts[order[r] * units + r];
  }
  const double tail = (1 - confidence) / 2;
  const auto total = static_cast<double>(draws);
  std::vector<RankSummary> out(units);
  for (std::size_t u = 0; u < units; ++u) {
    RankSummary& s = out[u];
    double cum = 0;
    bool have_lower = false, have_upper = false;
    for (std::size_t r = 0; r < units; ++r) {
      const double p = static_cast<double>(counts[u * units + r]) / total;
      s.rank_probability.push_back(p);
      s.mean_rank += p * static_cast<double>(r + 1);
      if (r < 3) s.p_worst_three += p;
      cum += p;
      const auto rank = static_cast<std::int64_t>(r + 1);
      if (!have_lower && cum >= tail - 1e-12) {
        s.lower = rank;
        have_lower = true;
      }
      if (!have_upper && cum >= 1 - tail - 1e-12) {
        s.upper = rank;
        have_upper = true;
      }
    }
    if (!have_upper) s.upper = static_cast<std::int64_t>(units);
    s.p_worst = units > 0 ? s.rank_probability[0] : 0.0;
  }
  return out;
}

}  // namespace inspectsim::compare
