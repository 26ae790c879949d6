#include "inspectsim/hypergeometric.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include <boost/math/distributions/hypergeometric.hpp>

namespace inspectsim {

namespace {

struct Support {
  std::int64_t lo, hi;
};
Support support(std::int64_t n, std::int64_t K, std::int64_t M) {
  return {std::max<std::int64_t>(0, n + K - M), std::min(n, K)};
}

boost::math::hypergeometric_distribution<double> boost_law(std::int64_t n, std::int64_t K, std::int64_t M) {
  return boost::math::hypergeometric_distribution<double>(static_cast<unsigned>(K), static_cast<unsigned>(n),
                                                          static_cast<unsigned>(M));
}

// P(lo_end <= X <= x) summed downwards from x, for x at or below the mode (terms shrink as j falls).
double sum_down(std::int64_t x, std::int64_t n, std::int64_t K, std::int64_t M) {
  const Support s = support(n, K, M);
  const double k = static_cast<double>(K), nd = static_cast<double>(n), rest = static_cast<double>(M - K - n);
  double term = 1.0, total = 1.0;  // relative to P(X = x)
  for (std::int64_t j = x; j > s.lo; --j) {
    const double jd = static_cast<double>(j);
    term *= (jd * (rest + jd)) / ((k - jd + 1) * (nd - jd + 1));  // P(j - 1) / P(j)
    total += term;
    if (term < total * 1e-17) break;
  }
  return std::exp(hypergeometric_log_pmf(x, n, K, M)) * total;
}

// P(x <= X <= hi_end) summed upwards from x, for x at or above the mode.
double sum_up(std::int64_t x, std::int64_t n, std::int64_t K, std::int64_t M) {
  const Support s = support(n, K, M);
  const double k = static_cast<double>(K), nd = static_cast<double>(n), rest = static_cast<double>(M - K - n);
  double term = 1.0, total = 1.0;
  for (std::int64_t j = x; j < s.hi; ++j) {
    const double jd = static_cast<double>(j);
    term *= ((k - jd) * (nd - jd)) / ((jd + 1) * (rest + jd + 1));  // P(j + 1) / P(j)
    total += term;
    if (term < total * 1e-17) break;
  }
  return std::exp(hypergeometric_log_pmf(x, n, K, M)) * total;
}

std::int64_t mode_of(std::int64_t n, std::int64_t K, std::int64_t M) {
  const Support s = support(n, K, M);
  // floor((n + 1)(K + 1) / (M + 2)), in floating point to avoid overflow for large counts.
  const auto m = static_cast<std::int64_t>(
      std::floor(static_cast<double>(n + 1) * static_cast<double>(K + 1) / static_cast<double>(M + 2)));
  return std::clamp(m, s.lo, s.hi);
}

}  // namespace

double hypergeometric_log_pmf(std::int64_t x, std::int64_t n, std::int64_t K, std::int64_t M) {
  const Support s = support(n, K, M);
  if (x < s.lo || x > s.hi) return -std::numeric_limits<double>::infinity();
  if (n > hypergeometric_product_limit)
    return std::log(boost::math::pdf(boost_law(n, K, M), static_cast<unsigned>(x)));
  const auto d = [](std::int64_t v) { return static_cast<double>(v); };
  double log_p = std::lgamma(d(n) + 1) - std::lgamma(d(x) + 1) - std::lgamma(d(n - x) + 1);  // log C(n, x)
  for (std::int64_t i = 0; i < x; ++i) log_p += std::log(d(K - i) / d(M - i));
  for (std::int64_t j = 0; j < n - x; ++j) log_p += std::log(d(M - K - j) / d(M - x - j));
  return log_p;
}

double hypergeometric_at_most(std::int64_t x, std::int64_t n, std::int64_t K, std::int64_t M) {
  const Support s = support(n, K, M);
  if (x < s.lo) return 0.0;
  if (x >= s.hi) return 1.0;
  if (n > hypergeometric_product_limit) return boost::math::cdf(boost_law(n, K, M), static_cast<unsigned>(x));
  const double p = x <= mode_of(n, K, M) ? sum_down(x, n, K, M) : 1.0 - sum_up(x + 1, n, K, M);
  return std::clamp(p, 0.0, 1.0);
}

double hypergeometric_at_least(std::int64_t x, std::int64_t n, std::int64_t K, std::int64_t M) {
  const Support s = support(n, K, M);
  if (x <= s.lo) return 1.0;
  if (x > s.hi) return 0.0;
  if (n > hypergeometric_product_limit)
    return boost::math::cdf(boost::math::complement(boost_law(n, K, M), static_cast<unsigned>(x - 1)));
  const double p = x >= mode_of(n, K, M) ? sum_up(x, n, K, M) : 1.0 - sum_down(x - 1, n, K, M);
  return std::clamp(p, 0.0, 1.0);
}

}  // namespace inspectsim
