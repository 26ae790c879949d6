#include "inspectsim/stats/hypergeometric.hpp"

#include <algorithm>
#include <cmath>

#include <boost/math/distributions/binomial.hpp>

namespace inspectsim::stats {

namespace {

struct Law {
  double K, n, M;
  std::int64_t lo, hi, mode;
  // P(x - 1) / P(x) and P(x + 1) / P(x).
  double down(std::int64_t x) const {
    const auto d = static_cast<double>(x);
    return d * (M - K - n + d) / ((K - d + 1) * (n - d + 1));
  }
  double up(std::int64_t x) const {
    const auto d = static_cast<double>(x);
    return (K - d) * (n - d) / ((d + 1) * (M - K - n + d + 1));
  }
};

Law law(std::int64_t K, std::int64_t n, std::int64_t M) {
  Law l{static_cast<double>(K), static_cast<double>(n), static_cast<double>(M), 0, 0, 0};
  l.lo = std::max<std::int64_t>(0, n + K - M);
  l.hi = std::min(n, K);
  // The mode floor((n + 1)(K + 1) / (M + 2)) (Johnson, Kemp and Kotz 2005, sec. 6.2.1), in floating
  // point (the product can exceed 2^63), then moved to a more probable neighbour should rounding
  // have missed it by one.
  l.mode = std::clamp(static_cast<std::int64_t>(std::floor((l.n + 1) * (l.K + 1) / (l.M + 2))), l.lo, l.hi);
  while (l.mode < l.hi && l.up(l.mode) > 1) ++l.mode;
  while (l.mode > l.lo && l.down(l.mode) > 1) --l.mode;
  return l;
}

}  // namespace

double hypergeometric_pdf(std::int64_t x, std::int64_t K, std::int64_t n, std::int64_t M) {
  if (x < std::max<std::int64_t>(0, n + K - M) || x > std::min(n, K)) return 0.0;
  const double p = static_cast<double>(n) / static_cast<double>(M);
  using boost::math::binomial_distribution;
  const double among_wrong =
      boost::math::pdf(binomial_distribution<double>(static_cast<double>(K), p), static_cast<double>(x));
  const double among_correct = boost::math::pdf(binomial_distribution<double>(static_cast<double>(M - K), p),
                                                static_cast<double>(n - x));
  const double among_all =
      boost::math::pdf(binomial_distribution<double>(static_cast<double>(M), p), static_cast<double>(n));
  return among_wrong * among_correct / among_all;
}

SupportPmf hypergeometric_support_pmf(std::int64_t K, std::int64_t n, std::int64_t M) {
  const Law l = law(K, n, M);
  SupportPmf out;
  out.lo = l.lo;
  out.pmf.assign(static_cast<std::size_t>(l.hi - l.lo + 1), 0.0);
  auto at = [&](std::int64_t x) -> double& { return out.pmf[static_cast<std::size_t>(x - l.lo)]; };
  at(l.mode) = hypergeometric_pdf(l.mode, K, n, M);
  for (std::int64_t x = l.mode; x < l.hi; ++x) at(x + 1) = at(x) * l.up(x);
  for (std::int64_t x = l.mode; x > l.lo; --x) at(x - 1) = at(x) * l.down(x);
  return out;
}

double hypergeometric_cdf(std::int64_t x, std::int64_t K, std::int64_t n, std::int64_t M) {
  const Law l = law(K, n, M);
  if (x < l.lo) return 0.0;
  if (x >= l.hi) return 1.0;
  if (x >= l.mode) return 1.0 - hypergeometric_ccdf(x, K, n, M);
  return std::min(1.0, detail::tail_sum(hypergeometric_pdf(x, K, n, M), x, l.lo, -1,
                                        [&](std::int64_t k) { return l.down(k); }));
}

double hypergeometric_ccdf(std::int64_t x, std::int64_t K, std::int64_t n, std::int64_t M) {
  const Law l = law(K, n, M);
  if (x < l.lo) return 1.0;
  if (x >= l.hi) return 0.0;
  if (x + 1 <= l.mode) return 1.0 - hypergeometric_cdf(x, K, n, M);
  return std::min(1.0, detail::tail_sum(hypergeometric_pdf(x + 1, K, n, M), x + 1, l.hi, +1,
                                        [&](std::int64_t k) { return l.up(k); }));
}

}  // namespace inspectsim::stats
