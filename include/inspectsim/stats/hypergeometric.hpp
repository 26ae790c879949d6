// The hypergeometric law at any size: X wrong records among n drawn
// without replacement from M records of which K are wrong.
//
// Boost's hypergeometric pdf is exact but slow at the sizes inspections meet: for populations up
// to 104,729 it factorises into primes (about a millisecond a value), and beyond, its Lanczos path
// reduces the exponents by repeated subtraction, which took 7 s for one value at n = 2^31 - 1,
// K = 8 (and made `assess 3 19 --population 2147483647` take 3 s and `plan precision
// --population 100000` minutes). These functions cost microseconds at any size.
#pragma once

#include <cstdint>
#include <vector>

namespace inspectsim::stats {

// Ties between an exact tail probability and a level. 1 - 0.9 is 0.09999999999999998 in binary, so
// a tail that equals 1 - C exactly (P(X >= 1) = 1/10 for 1 of 1 drawn from 10) would be found
// above it; every exact search compares with the relative tolerance 1 + 1e-7 that R's fisher.test
// uses for its p-value (and fisher_exact_p here): p counts as at most alpha when
// p <= alpha (1 + 1e-7). Exact probabilities of the tables and counts inspectsim meets differ
// from a level by far more than that unless they are equal to it.
inline constexpr double tie_tolerance = 1e-7;
inline bool tail_at_most(double p, double alpha) noexcept { return p <= alpha * (1 + tie_tolerance); }

// P(X = x), 0 outside the support max(0, n + K - M) <= x <= min(n, K): R's dhyper construction,
// a ratio of three binomial probabilities with p = n / M (Loader 2000, "Fast and accurate
// computation of binomial probabilities"), each from Boost's binomial pdf, which is accurate at
// any size. Requires 0 <= K <= M, 0 <= n <= M, M >= 1.
double hypergeometric_pdf(std::int64_t x, std::int64_t K, std::int64_t n, std::int64_t M);

// P(X <= x) and P(X > x): each summed over the tail on its own side of the mode, outwards from x
// with the ratio of successive probabilities (Johnson, Kemp and Kotz 2005, Univariate Discrete
// Distributions, sec. 6.2.1), until the remaining terms cannot change the sum; the other side as
// 1 minus that.
double hypergeometric_cdf(std::int64_t x, std::int64_t K, std::int64_t n, std::int64_t M);
double hypergeometric_ccdf(std::int64_t x, std::int64_t K, std::int64_t n, std::int64_t M);

// The support's first value max(0, n + K - M), and P(X = x) for every x of the support from it:
// one value by hypergeometric_pdf at the mode, the others by the ratio of successive probabilities,
// which only shrinks going outwards from the mode.
struct SupportPmf {
  std::int64_t lo = 0;
  std::vector<double> pmf;
};
SupportPmf hypergeometric_support_pmf(std::int64_t K, std::int64_t n, std::int64_t M);

namespace detail {

// Sums a tail of a unimodal law outwards from `from` (whose probability is `term`) to `to`,
// stepping by `step` (+1 or -1); ratio(k) is P(k + step) / P(k). The terms fall, and ever faster
// (the log-probabilities are concave), so once a term times r / (1 - r), r the current ratio, is
// below 1e-17 of the sum, the rest cannot change it.
template <class Ratio>
double tail_sum(double term, std::int64_t from, std::int64_t to, int step, const Ratio& ratio) {
  double sum = term;
  for (std::int64_t k = from; k != to && term > 0; k += step) {
    const double r = ratio(k);
    term *= r;
    sum += term;
    if (r < 1 && term * r / (1 - r) <= sum * 1e-17) break;
  }
  return sum;
}

}  // namespace detail

}  // namespace inspectsim::stats
