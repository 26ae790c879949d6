#include "inspectsim/compare/totals.hpp"

#include <algorithm>
#include <cmath>
#include <concepts>
#include <string>
#include <vector>

#include <boost/random/binomial_distribution.hpp>

#include "inspectsim/base/blocks.hpp"
#include "inspectsim/base/check.hpp"
#include "inspectsim/base/error.hpp"
#include "inspectsim/random/beta.hpp"

namespace inspectsim::compare {

namespace {
// The equal-tailed quantile of the draws: the value at rank ceil(q D) (1-based) in sorted order,
// the inverse of the empirical distribution function (Hyndman and Fan 1996, definition 1), found by
// partial selection (the draws are reordered, not sorted).
template <class T>
T empirical_quantile(std::vector<T>& draws, double q) {
  const auto d = static_cast<double>(draws.size());
  const auto k = static_cast<std::ptrdiff_t>(std::clamp(std::ceil(q * d), 1.0, d));
  std::nth_element(draws.begin(), draws.begin() + (k - 1), draws.end());
  return draws[static_cast<std::size_t>(k - 1)];
}

// A block's draws of the share (and, with populations, of the wrong records).
struct TotalTally {
  std::vector<double> shares;
  std::vector<std::int64_t> wrong;
};
// Its fields, for sharing between ranks (base::Shareable).
template <class T, class Visit>
requires std::same_as<std::remove_const_t<T>, TotalTally>
void fields(T& t, Visit& visit) {
  visit("shares", t.shares);
  visit("wrong", t.wrong);
}
}  // namespace

StratifiedTotal stratified_total(std::span<const Stratum> strata, std::int64_t draws, const Streams& streams,
                                 double confidence, const base::RunOptions& run) {
  if (strata.empty()) throw base::InputError("a stratified total needs at least one stratum");
  if (draws < 1)
    throw base::InputError(base::field("draws") + " is " + std::to_string(draws) +
                           ", but must be at least 1");
  StratifiedTotal t;
  t.strata = static_cast<std::int64_t>(strata.size());
  t.by_population =
      std::all_of(strata.begin(), strata.end(), [](const Stratum& s) { return s.population.has_value(); });
  std::vector<double> w;
  double sw = 0;
  for (const Stratum& s : strata) {
    t.sampled += s.count.n;
    t.incorrect += s.count.x;
    w.push_back(static_cast<double>(t.by_population ? *s.population : s.count.n));
    sw += w.back();
  }
  for (std::size_t c = 0; c < strata.size(); ++c)
    t.estimate += w[c] * static_cast<double>(strata[c].count.x) / static_cast<double>(strata[c].count.n) / sw;

  std::vector<random::BetaTable> post;
  for (const Stratum& s : strata)
    post.emplace_back(static_cast<double>(s.count.x) + 0.5, static_cast<double>(s.count.n - s.count.x) + 0.5);
  std::vector<double> shares;
  std::vector<std::int64_t> wrong;
  shares.reserve(static_cast<std::size_t>(draws));
  if (t.by_population) wrong.reserve(static_cast<std::size_t>(draws));
  run_draw_blocks<TotalTally, base::NoScratch>(
      draws, streams, run,
      [&](random::Engine& engine, std::int64_t, std::int64_t n, TotalTally& tally, base::NoScratch&) {
        tally.shares.clear();
        tally.wrong.clear();
        for (std::int64_t d = 0; d < n; ++d) {
          double share = 0;
          std::int64_t k = 0;
          for (std::size_t c = 0; c < strata.size(); ++c) {
            const double theta = post[c](engine);
            share += w[c] * theta / sw;
            if (t.by_population) {
              const std::int64_t unseen = *strata[c].population - strata[c].count.n;
              k += strata[c].count.x;
              if (unseen > 0)
                k += boost::random::binomial_distribution<std::int64_t, double>(unseen, theta)(engine);
            }
          }
          tally.shares.push_back(share);
          if (t.by_population) tally.wrong.push_back(k);
        }
      },
      [&](const TotalTally& tally) {
        shares.insert(shares.end(), tally.shares.begin(), tally.shares.end());
        wrong.insert(wrong.end(), tally.wrong.begin(), tally.wrong.end());
      });
  const double tail = (1 - confidence) / 2;
  t.lower = empirical_quantile(shares, tail);
  t.upper = empirical_quantile(shares, 1 - tail);
  if (t.by_population) {
    std::int64_t m = 0;
    double expected = 0;
    for (const Stratum& s : strata) {
      m += *s.population;
      expected += static_cast<double>(*s.population) * static_cast<double>(s.count.x) /
                  static_cast<double>(s.count.n);
    }
    t.population = m;
    t.wrong_estimate = expected;
    t.wrong_lower = empirical_quantile(wrong, tail);
    t.wrong_upper = empirical_quantile(wrong, 1 - tail);
  }
  return t;
}

}  // namespace inspectsim::compare
