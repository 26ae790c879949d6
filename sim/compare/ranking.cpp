#include "inspectsim/compare/ranking.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>

#include <boost/random/beta_distribution.hpp>
#include <boost/random/binomial_distribution.hpp>
#include <boost/random/gamma_distribution.hpp>
#include <boost/random/uniform_01.hpp>

#include "inspectsim/base/check.hpp"
#include "inspectsim/base/error.hpp"

namespace inspectsim::compare {

namespace {

// Draws `draws` sets of rates (fill writes one rate per unit) and summarises the ranks they give.
template <class Fill>
std::vector<RankSummary> rank_draws(std::size_t units, std::int64_t draws, double confidence, Fill fill) {
  // counts[u * units + r]: how often unit u took rank r + 1.
  std::vector<std::int64_t> counts(units * units, 0);
  std::vector<double> rate(units);
  std::vector<std::size_t> order(units);
  for (std::int64_t d = 0; d < draws; ++d) {
    fill(rate);
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

void check_draws(std::int64_t draws, double confidence) {
  if (draws < 1)
    throw base::InputError(base::field("draws") + " is " + std::to_string(draws) +
                           ", but must be at least 1");
  base::check_open_unit("confidence", confidence);
}

// log of a Gamma(shape) draw, for any shape > 0: Boost.Random's gamma_distribution, and for shape < 1
// Gamma(shape) = Gamma(shape + 1) U^(1/shape) (Marsaglia and Tsang 2000, ACM TOMS 26:363-372, sec. 8),
// taken in logs so that tiny shapes (M near 0) do not underflow to 0.
double log_gamma_draw(random::Engine& engine, double shape) {
  if (shape >= 1) return std::log(boost::random::gamma_distribution<double>(shape)(engine));
  const double g = boost::random::gamma_distribution<double>(shape + 1)(engine);
  return std::log(g) + std::log(boost::random::uniform_01<double>()(engine)) / shape;
}

// Beta(a, b) as X / (X + Y) with X, Y Gamma draws, formed from their logs: never 0/0.
double beta_draw(random::Engine& engine, double a, double b) {
  const double d = log_gamma_draw(engine, b) - log_gamma_draw(engine, a);
  return 1 / (1 + std::exp(d));
}

// A node of the fit's grid by inverse CDF on the cumulative weights.
class NodePicker {
 public:
  explicit NodePicker(const stats::HierarchicalFit& fit) {
    double c = 0;
    for (const stats::HyperNode& n : fit.nodes) cumulative_.push_back(c += n.weight);
  }
  std::size_t operator()(random::Engine& engine) const {
    const double u = boost::random::uniform_01<double>()(engine) * cumulative_.back();
    const auto it = std::upper_bound(cumulative_.begin(), cumulative_.end(), u);
    return std::min(static_cast<std::size_t>(it - cumulative_.begin()), cumulative_.size() - 1);
  }

 private:
  std::vector<double> cumulative_;
};

}  // namespace

std::vector<RankSummary> simulate_ranks(std::span<const stats::BetaPrior> posteriors, std::int64_t draws,
                                        random::Engine& engine, double confidence) {
  check_draws(draws, confidence);
  std::vector<boost::random::beta_distribution<double>> dists;
  for (const stats::BetaPrior& p : posteriors) {
    if (!(p.a > 0 && p.b > 0)) throw base::InputError("a posterior's Beta parameters must be positive");
    dists.emplace_back(p.a, p.b);
  }
  return rank_draws(posteriors.size(), draws, confidence, [&](std::vector<double>& rate) {
    for (std::size_t u = 0; u < rate.size(); ++u) rate[u] = dists[u](engine);
  });
}

std::vector<RankSummary> simulate_hierarchical_ranks(const stats::HierarchicalFit& fit,
                                                     std::span<const stats::Count> counts, std::int64_t draws,
                                                     random::Engine& engine, double confidence) {
  check_draws(draws, confidence);
  const NodePicker pick(fit);
  return rank_draws(counts.size(), draws, confidence, [&](std::vector<double>& rate) {
    const stats::HyperNode& node = fit.nodes[pick(engine)];
    const double a = node.concentration * node.mu, b = node.concentration * (1 - node.mu);
    for (std::size_t u = 0; u < rate.size(); ++u) {
      const auto x = static_cast<double>(counts[u].x), n = static_cast<double>(counts[u].n);
      rate[u] = beta_draw(engine, a + x, b + n - x);
    }
  });
}

double spread_chi_square(std::span<const stats::Count> counts) {
  double sx = 0, sn = 0;
  for (const stats::Count& c : counts) {
    sx += static_cast<double>(c.x);
    sn += static_cast<double>(c.n);
  }
  if (sn <= 0 || sx <= 0 || sx >= sn) return 0;
  const double p = sx / sn;
  double t = 0;
  for (const stats::Count& c : counts) {
    const auto n = static_cast<double>(c.n);
    if (n <= 0) continue;
    const double d = static_cast<double>(c.x) - n * p;
    t += d * d / (n * p * (1 - p));
  }
  return t;
}

double posterior_predictive_p(const stats::HierarchicalFit& fit, std::span<const stats::Count> counts,
                              std::int64_t replicates, random::Engine& engine) {
  check_draws(replicates, 0.5);
  const NodePicker pick(fit);
  const double observed = spread_chi_square(counts);
  std::vector<stats::Count> rep(counts.begin(), counts.end());
  std::int64_t at_least = 0;
  for (std::int64_t r = 0; r < replicates; ++r) {
    const stats::HyperNode& node = fit.nodes[pick(engine)];
    const double a = node.concentration * node.mu, b = node.concentration * (1 - node.mu);
    for (stats::Count& c : rep) {
      const double theta = beta_draw(engine, a, b);
      c.x = boost::random::binomial_distribution<std::int64_t, double>(c.n, theta)(engine);
    }
    // The observed statistic's own rounding must not decide ties.
    if (spread_chi_square(rep) >= observed * (1 - 1e-12)) ++at_least;
  }
  return static_cast<double>(at_least) / static_cast<double>(replicates);
}

}  // namespace inspectsim::compare
