#include "inspectsim/compare/ranking.hpp"

#include <algorithm>
#include <cmath>
#include <concepts>
#include <numeric>
#include <string>

#include <boost/random/binomial_distribution.hpp>
#include <boost/random/uniform_01.hpp>

#include "inspectsim/base/check.hpp"
#include "inspectsim/base/error.hpp"
#include "inspectsim/random/beta.hpp"
#include "inspectsim/stats/difference.hpp"

namespace inspectsim::compare {

namespace {

// A block's rank counts: counts[u * units + r], how often unit u took rank r + 1 (a block has at
// most draws_per_block draws, so 32 bits hold them).
struct RankTally {
  std::vector<std::uint32_t> counts;
};
// Its one field, for sharing between ranks (base::Shareable).
template <class T, class Visit>
requires std::same_as<std::remove_const_t<T>, RankTally>
void fields(T& t, Visit& visit) { visit("counts", t.counts); }

// Groups up to this size rank each draw by insertion sort (see rank_draws).
constexpr std::size_t insertion_sort_units = 64;

// Per-thread scratch, reused for every draw: no allocation inside the draw loop.
struct RankScratch {
  struct Keyed {
    double rate;
    std::uint32_t unit;
  };
  std::vector<double> rate;
  std::vector<Keyed> order;
};

// Draws `draws` sets of rates in blocks (fill(engine, rate) writes one rate per unit) and
// summarises the ranks they give. Each unit's rank is needed in every draw (its rank interval and
// mean rank come from the whole rank distribution), so each draw sorts the I (rate, unit) pairs of
// a reused buffer, starting from the previous draw's order: no allocation.
template <class Fill>
std::vector<RankSummary> rank_draws(std::size_t units, std::int64_t draws, double confidence,
                                    const Streams& streams, const base::RunOptions& run, Fill fill) {
  std::vector<std::int64_t> counts(units * units, 0);
  run_draw_blocks<RankTally, RankScratch>(
      draws, streams, run,
      [&](random::Engine& engine, std::int64_t, std::int64_t n, RankTally& tally, RankScratch& scratch) {
        tally.counts.assign(units * units, 0);
        scratch.rate.resize(units);
        scratch.order.resize(units);
        double* rate = scratch.rate.data();
        RankScratch::Keyed* order = scratch.order.data();
        for (std::size_t u = 0; u < units; ++u) order[u] = {0.0, static_cast<std::uint32_t>(u)};
        std::uint32_t* c = tally.counts.data();
        // Highest rate first; ties (probability zero for continuous draws) by unit: a strict total
        // order, so the sorted result does not depend on the order it starts from.
        auto before = [](const RankScratch::Keyed& i, const RankScratch::Keyed& j) {
          return i.rate > j.rate || (i.rate == j.rate && i.unit < j.unit);
        };
        for (std::int64_t d = 0; d < n; ++d) {
          fill(engine, rate);
          // Insertion sort from the previous draw's order: successive draws rank the units much
          // alike, so it moves few elements (time linear in I plus the number of rank swaps). Its
          // worst case is quadratic, so large groups use std::sort.
          for (std::size_t r = 0; r < units; ++r) order[r].rate = rate[order[r].unit];
          if (units > insertion_sort_units) {
            std::sort(order, order + units, before);
          } else {
            for (std::size_t r = 1; r < units; ++r) {
              const RankScratch::Keyed key = order[r];
              std::size_t k = r;
              for (; k > 0 && before(key, order[k - 1]); --k) order[k] = order[k - 1];
              order[k] = key;
            }
          }
          for (std::size_t r = 0; r < units; ++r) ++c[order[r].unit * units + r];
        }
      },
      [&](const RankTally& tally) {
        for (std::size_t k = 0; k < counts.size(); ++k) counts[k] += tally.counts[k];
      });
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
                                        const Streams& streams, double confidence,
                                        const base::RunOptions& run) {
  check_draws(draws, confidence);
  // Each posterior is drawn `draws` times: exact rejection from its own table (random/beta.hpp).
  std::vector<random::BetaTable> dists;
  for (const stats::BetaPrior& p : posteriors) {
    if (!(p.a > 0 && p.b > 0)) throw base::InputError("a posterior's Beta parameters must be positive");
    dists.emplace_back(p.a, p.b);
  }
  return rank_draws(posteriors.size(), draws, confidence, streams, run,
                    [&](random::Engine& engine, double* rate) {
                      for (std::size_t u = 0; u < dists.size(); ++u) rate[u] = dists[u](engine);
                    });
}

std::vector<RankSummary> simulate_hierarchical_ranks(const stats::HierarchicalFit& fit,
                                                     std::span<const stats::Count> counts, std::int64_t draws,
                                                     const Streams& streams, double confidence,
                                                     const base::RunOptions& run) {
  check_draws(draws, confidence);
  const NodePicker pick(fit);
  return rank_draws(counts.size(), draws, confidence, streams, run,
                    [&](random::Engine& engine, double* rate) {
                      const stats::HyperNode& node = fit.nodes[pick(engine)];
                      const double a = node.concentration * node.mu, b = node.concentration * (1 - node.mu);
                      for (std::size_t u = 0; u < counts.size(); ++u) {
                        const auto x = static_cast<double>(counts[u].x), n = static_cast<double>(counts[u].n);
                        rate[u] = random::BetaSampler(a + x, b + n - x)(engine);
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
                              std::int64_t replicates, const Streams& streams, const base::RunOptions& run) {
  check_draws(replicates, 0.5);
  const NodePicker pick(fit);
  const double observed = spread_chi_square(counts);
  std::int64_t at_least = 0;
  run_draw_blocks<std::int64_t, std::vector<stats::Count>>(
      replicates, streams, run,
      [&](random::Engine& engine, std::int64_t, std::int64_t n, std::int64_t& hits,
          std::vector<stats::Count>& rep) {
        rep.assign(counts.begin(), counts.end());
        hits = 0;
        for (std::int64_t r = 0; r < n; ++r) {
          const stats::HyperNode& node = fit.nodes[pick(engine)];
          const random::BetaSampler theta_law(node.concentration * node.mu,
                                              node.concentration * (1 - node.mu));
          for (stats::Count& c : rep) {
            const double theta = theta_law(engine);
            c.x = boost::random::binomial_distribution<std::int64_t, double>(c.n, theta)(engine);
          }
          // The observed statistic's own rounding must not decide ties.
          if (spread_chi_square(rep) >= observed * (1 - 1e-12)) ++hits;
        }
      },
      [&](std::int64_t hits) { at_least += hits; });
  return static_cast<double>(at_least) / static_cast<double>(replicates);
}

std::string_view rank_intervals_name(RankIntervals r) noexcept { return base::name_of(r); }

RankIntervals parse_rank_intervals(std::string_view name) {
  return base::parse_name<RankIntervals>(base::field("rank_intervals"), name);
}

std::vector<double> holm_adjust(const std::vector<double>& p) {
  const std::size_t m = p.size();
  std::vector<std::size_t> order(m);
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t i, std::size_t j) { return p[i] < p[j]; });
  std::vector<double> adj(m);
  double running = 0;
  for (std::size_t k = 0; k < m; ++k) {
    running = std::max(running, std::min(1.0, static_cast<double>(m - k) * p[order[k]]));
    adj[order[k]] = running;
  }
  return adj;
}

std::vector<PairTest> pairwise_fisher(std::span<const stats::Count> counts) {
  std::vector<PairTest> tests;
  const std::size_t units = counts.size();
  tests.reserve(units > 1 ? units * (units - 1) / 2 : 0);
  std::vector<double> p;
  p.reserve(tests.capacity());
  for (std::size_t a = 0; a < units; ++a)
    for (std::size_t b = a + 1; b < units; ++b) {
      PairTest t;
      t.a = a;
      t.b = b;
      t.p = stats::fisher_exact_p(counts[a].x, counts[a].n, counts[b].x, counts[b].n);
      p.push_back(t.p);
      tests.push_back(t);
    }
  const std::vector<double> adj = holm_adjust(p);
  for (std::size_t k = 0; k < tests.size(); ++k) tests[k].p_holm = adj[k];
  return tests;
}

std::vector<SimultaneousRank> simultaneous_rank_intervals(std::span<const stats::Count> counts,
                                                          std::span<const PairTest> tests,
                                                          double confidence) {
  base::check_open_unit("confidence", confidence);
  const std::size_t units = counts.size();
  const double alpha = 1 - confidence;
  // Equal fractions give equal doubles (division is correctly rounded), so a tie is never split.
  auto rate = [&](std::size_t u) {
    return static_cast<double>(counts[u].x) / static_cast<double>(counts[u].n);
  };
  std::vector<SimultaneousRank> out(units);
  for (const PairTest& t : tests) {
    if (t.a >= units || t.b >= units)
      throw base::InputError("a pair test names unit " + std::to_string(std::max(t.a, t.b)) + " of only " +
                             std::to_string(units));
    if (!(t.p_holm < alpha)) continue;
    const double ra = rate(t.a), rb = rate(t.b);
    if (ra > rb) {
      ++out[t.b].above;
      ++out[t.a].below;
    } else if (rb > ra) {
      ++out[t.a].above;
      ++out[t.b].below;
    }
  }
  for (SimultaneousRank& r : out) {
    r.lower = 1 + r.above;
    r.upper = static_cast<std::int64_t>(units) - r.below;
  }
  return out;
}

std::vector<SimultaneousRank> simultaneous_rank_intervals(std::span<const stats::Count> counts,
                                                          double confidence) {
  base::check_open_unit("confidence", confidence);
  const std::vector<PairTest> tests = pairwise_fisher(counts);
  return simultaneous_rank_intervals(counts, tests, confidence);
}

std::int64_t worst_quarter_ranks(std::size_t units) noexcept {
  return static_cast<std::int64_t>((units + 3) / 4);
}

bool in_worst_quarter(const SimultaneousRank& r, std::size_t units) noexcept {
  return units >= 2 && r.upper <= worst_quarter_ranks(units);
}

}  // namespace inspectsim::compare
