// The hypergeometric law of X, the wrong records in a sample of n drawn without replacement from
// M records of which K are wrong, evaluated fast enough to be called inside searches.
//
// Boost.Math 1.74's hypergeometric pdf is exact but slow where inspections live: it factorises into
// primes for 171 <= M <= 104,729 (about 10 ms a value at M = 10^5) and, beyond, its Lanczos form
// takes seconds for small n and M near 10^9. For n <= product_limit these functions use the
// product form below instead; above it they defer to Boost. Pure functions: no randomness, no I/O.
#pragma once

#include <cstdint>

namespace inspectsim {

// Largest n for which the O(n) product form is used.
inline constexpr std::int64_t hypergeometric_product_limit = 100000;

// log P(X = x); -infinity outside the support max(0, n + K - M) <= x <= min(n, K).
// P(X = x) = C(n, x) [K]_x [M - K]_(n - x) / [M]_n with falling factorials [a]_k (Johnson, Kemp and
// Kotz 2005, Univariate Discrete Distributions, eq. 6.1): each ratio (K - i)/(M - i) is logged
// separately, so the error grows with n * epsilon, not with log M! as in a log-gamma difference.
double hypergeometric_log_pmf(std::int64_t x, std::int64_t n, std::int64_t K, std::int64_t M);

// P(X <= x) and P(X >= x). Summed from the point nearer the tail outwards with the ratio
// P(j + 1) / P(j) = (K - j)(n - j) / ((j + 1)(M - K - n + j + 1)), until terms no longer count;
// the tail on the far side of the mode is taken as the complement of the near one.
double hypergeometric_at_most(std::int64_t x, std::int64_t n, std::int64_t K, std::int64_t M);
double hypergeometric_at_least(std::int64_t x, std::int64_t n, std::int64_t K, std::int64_t M);

}  // namespace inspectsim
