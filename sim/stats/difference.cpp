#include "inspectsim/stats/difference.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <numbers>
#include <string>
#include <vector>

#include <boost/math/distributions/normal.hpp>
#include <boost/math/tools/roots.hpp>

#include "inspectsim/base/check.hpp"
#include "inspectsim/base/error.hpp"
#include "inspectsim/base/text.hpp"
#include "inspectsim/stats/hypergeometric.hpp"

namespace inspectsim::stats {

namespace {

void check_group(const char* which, std::int64_t x, std::int64_t n) {
  const std::string g(which);
  if (n < 1) throw base::InputError("N" + g + " is " + std::to_string(n) + ", but must be at least 1");
  if (x < 0 || x > n)
    throw base::InputError("X" + g + " is " + std::to_string(x) + ", but must be between 0 and N" + g + " (" +
                           std::to_string(n) + ")");
}

// Standard normal quantile z_{1-a}.
double z_upper(double a) {
  return boost::math::quantile(boost::math::complement(boost::math::normal_distribution<double>(), a));
}

Interval bounds(double lower, double upper) {
  Interval r;
  r.lower = lower;
  r.upper = upper;
  return r;
}

// Simple asymptotic interval, Newcombe (1998b) method 1:
//   p1 - p2 +- z sqrt(p1(1-p1)/n1 + p2(1-p2)/n2).
Interval wald(double x1, double n1, double x2, double n2, double z) {
  const double p1 = x1 / n1;
  const double p2 = x2 / n2;
  const double h = z * std::sqrt(p1 * (1 - p1) / n1 + p2 * (1 - p2) / n2);
  Interval r = bounds(p1 - p2 - h, p1 - p2 + h);
  if (h == 0.0) r.note = "degenerate: zero width when each group has all or no records wrong";
  return r;
}

// Agresti and Caffo (2000), "Simple and effective confidence intervals for proportions and
// differences of proportions result from adding two successes and two failures", American
// Statistician 54:280-288: the Wald interval after adding one success and one failure to each group.
Interval agresti_caffo(double x1, double n1, double x2, double n2, double z) {
  const double p1 = (x1 + 1) / (n1 + 2);
  const double p2 = (x2 + 1) / (n2 + 2);
  const double h = z * std::sqrt(p1 * (1 - p1) / (n1 + 2) + p2 * (1 - p2) / (n2 + 2));
  return bounds(p1 - p2 - h, p1 - p2 + h);
}

// Hybrid score interval, Newcombe (1998b) method 10, from the Wilson limits (l_i, u_i) of each
// proportion (Newcombe 1998a, method 3):
//   L = p1 - p2 - sqrt((p1 - l1)^2 + (u2 - p2)^2),  U = p1 - p2 + sqrt((u1 - p1)^2 + (p2 - l2)^2).
Interval newcombe(std::int64_t x1, std::int64_t n1, std::int64_t x2, std::int64_t n2, double confidence) {
  const Interval w1 = proportion_interval(Method::wilson, x1, n1, confidence);
  const Interval w2 = proportion_interval(Method::wilson, x2, n2, confidence);
  const double p1 = static_cast<double>(x1) / static_cast<double>(n1);
  const double p2 = static_cast<double>(x2) / static_cast<double>(n2);
  return bounds(p1 - p2 - std::hypot(p1 - w1.lower, w2.upper - p2),
                p1 - p2 + std::hypot(w1.upper - p1, p2 - w2.lower));
}

// The maximum-likelihood estimates of (p1, p2) restricted to p1 - p2 = delta: the root in
// [max(0, delta), min(1, 1 + delta)] of the likelihood-equation cubic, in the closed form of
// Farrington and Manning (1990), Statistics in Medicine 9:1447-1454, eq. 11 (the same cubic as
// Miettinen and Nurminen 1985, appendix), with theta = n2/n1:
//   a = 1 + theta, b = -(1 + theta + p1 + theta p2 + delta (theta + 2)),
//   c = delta^2 + delta (2 p1 + theta + 1) + p1 + theta p2, d = -p1 delta (1 + delta),
//   v = b^3/(3a)^3 - bc/(6a^2) + d/(2a), u = sign(v) sqrt(b^2/(3a)^2 - c/(3a)),
//   w = (pi + acos(v/u^3))/3, p1~ = 2u cos(w) - b/(3a), p2~ = p1~ - delta.
struct Restricted {
  double p1;
  double p2;
};
Restricted restricted_mle(double p1, double p2, double n1, double n2, double delta) {
  const double theta = n2 / n1;
  const double a = 1 + theta;
  const double b = -(1 + theta + p1 + theta * p2 + delta * (theta + 2));
  const double c = delta * delta + delta * (2 * p1 + theta + 1) + p1 + theta * p2;
  const double d = -p1 * delta * (1 + delta);
  const double v = b * b * b / (27 * a * a * a) - b * c / (6 * a * a) + d / (2 * a);
  const double s = std::max(0.0, b * b / (9 * a * a) - c / (3 * a));
  double q1;
  if (s == 0.0) {
    q1 = -b / (3 * a);  // triple root
  } else {
    const double u = std::copysign(std::sqrt(s), v);
    const double ratio = std::clamp(v / (u * u * u), -1.0, 1.0);
    const double w = (std::numbers::pi + std::acos(ratio)) / 3;
    q1 = 2 * u * std::cos(w) - b / (3 * a);
  }
  q1 = std::clamp(q1, std::max(0.0, delta), std::min(1.0, 1.0 + delta));
  return {q1, q1 - delta};
}

// Miettinen and Nurminen (1985), "Comparative analysis of two rates", Statistics in Medicine
// 4:213-226: all delta for which the score statistic
//   z(delta) = (p1 - p2 - delta) / sqrt([p1~(1-p1~)/n1 + p2~(1-p2~)/n2] N/(N-1)),  N = n1 + n2,
// with (p1~, p2~) the restricted MLE, lies within +-z_{1-a}. z(delta) decreases in delta from
// +infinity at delta = -1 to -infinity at delta = +1 and is 0 at p1 - p2; each bound is found by
// TOMS 748 on the side of p1 - p2 where it lies. Where the variance vanishes at p1 - p2 (both
// groups all or no records wrong), z tends to 0 there, which is the value used at that end.
Interval miettinen_nurminen(double x1, double n1, double x2, double n2, double z) {
  const double p1 = x1 / n1;
  const double p2 = x2 / n2;
  const double dhat = p1 - p2;
  const double correction = (n1 + n2) / (n1 + n2 - 1);
  auto score = [&](double delta) {
    const Restricted r = restricted_mle(p1, p2, n1, n2, delta);
    const double var = (r.p1 * (1 - r.p1) / n1 + r.p2 * (1 - r.p2) / n2) * correction;
    return (dhat - delta) / std::sqrt(var);
  };
  auto root = [&](auto f, double lo, double hi, double f_lo, double f_hi) {
    std::uintmax_t max_iter = 200;
    const auto [l, h] = boost::math::tools::toms748_solve(
        f, lo, hi, f_lo, f_hi, boost::math::tools::eps_tolerance<double>(50), max_iter);
    return l + (h - l) / 2;
  };
  // The ends of each bracket carry the limits of z - z_crit (a large finite stand-in for
  // infinity): TOMS 748 evaluates only interior points, where the variance is positive.
  constexpr double big = 1e6;
  Interval r = bounds(-1.0, 1.0);
  if (dhat > -1.0) r.lower = root([&](double d) { return score(d) - z; }, -1.0, dhat, big, -z);
  if (dhat < 1.0) r.upper = root([&](double d) { return score(d) + z; }, dhat, 1.0, z, -big);
  return r;
}

}  // namespace

std::string_view diff_method_name(DiffMethod method) noexcept { return base::name_of(method); }

DiffMethod parse_diff_method(std::string_view name) {
  return base::parse_name<DiffMethod>(base::field("diff_method"), name);
}

Interval difference_interval(DiffMethod method, std::int64_t x1, std::int64_t n1, std::int64_t x2,
                             std::int64_t n2, double confidence) {
  check_group("1", x1, n1);
  check_group("2", x2, n2);
  base::check_open_unit("confidence", confidence);
  const double z = z_upper((1 - confidence) / 2);
  const auto d1 = static_cast<double>(x1), m1 = static_cast<double>(n1);
  const auto d2 = static_cast<double>(x2), m2 = static_cast<double>(n2);
  Interval r;
  switch (method) {
    case DiffMethod::newcombe: r = newcombe(x1, n1, x2, n2, confidence); break;
    case DiffMethod::miettinen_nurminen: r = miettinen_nurminen(d1, m1, d2, m2, z); break;
    case DiffMethod::agresti_caffo: r = agresti_caffo(d1, m1, d2, m2, z); break;
    case DiffMethod::wald: r = wald(d1, m1, d2, m2, z); break;
  }
  r.lower = std::clamp(r.lower, -1.0, 1.0);
  r.upper = std::clamp(r.upper, -1.0, 1.0);
  return r;
}

// Fisher's exact test, two-sided: with the margins fixed, the count in cell (1,1) is
// hypergeometric (n1 drawn from n1 + n2 records of which x1 + x2 are wrong). The p-value sums the
// probabilities of all tables no more probable than the observed one, with the relative tolerance
// 1 + 1e-7 of R's fisher.test (Agresti 2002, Categorical Data Analysis, sec. 3.5.1).
//
// The hypergeometric is unimodal: its probabilities rise up to the mode and fall after it. So the
// tables counted are two tails, [lo, a) and (b, hi], where a is the first count at or below the
// mode that is more probable than the observed one and b the last such count at or above it; both
// are found by bisection, and each tail is summed outwards until its terms no longer matter. The
// cost grows like the standard deviation, not like the counts (walking over every table took
// minutes for samples of 10^9 records). Up to small_table_range tables they are simply walked over.
constexpr std::int64_t small_table_range = 4096;
// Up to this many tables the walk sums them all and needs no pdf (below).
constexpr std::int64_t pdf_free_range = 256;

double fisher_exact_p(std::int64_t x1, std::int64_t n1, std::int64_t x2, std::int64_t n2) {
  check_group("1", x1, n1);
  check_group("2", x2, n2);
  // Any two samples of up to max_population records each.
  constexpr std::int64_t max_total = 2 * max_population;
  if (n1 > max_total || n2 > max_total || n1 + n2 > max_total)
    throw base::InputError("N1 + N2 is " + std::to_string(n1 + n2) + ", but must be at most " +
                           std::to_string(max_total));
  const std::int64_t m = x1 + x2;
  const std::int64_t total = n1 + n2;
  const auto dm = static_cast<double>(m), dn1 = static_cast<double>(n1), dtotal = static_cast<double>(total);
  // P(X1 = k) by R's dhyper construction (inspectsim/hypergeometric.hpp): Boost's hypergeometric pdf
  // takes seconds when one count is small and the population is in the billions.
  auto pdf = [&](std::int64_t k) { return hypergeometric_pdf(k, m, n1, total); };
  // P(k - 1) / P(k) and P(k + 1) / P(k).
  auto ratio_down = [&](std::int64_t k) {
    const auto d = static_cast<double>(k);
    return d * (dtotal - dm - dn1 + d) / ((dn1 - d + 1) * (dm - d + 1));
  };
  auto ratio_up = [&](std::int64_t k) {
    const auto d = static_cast<double>(k);
    return (dm - d) * (dn1 - d) / ((d + 1) * (dtotal - dm - dn1 + d + 1));
  };
  const std::int64_t lo = std::max<std::int64_t>(0, m - n2);
  const std::int64_t hi = std::min(n1, m);
  // The mode floor((m + 1)(n1 + 1) / (N + 2)) (Johnson, Kemp and Kotz 2005, Univariate Discrete
  // Distributions, sec. 6.3), in floating point (the product can exceed 2^63), then moved to a
  // more probable neighbour should rounding have missed it by one.
  std::int64_t mode =
      std::clamp(static_cast<std::int64_t>(std::floor((dm + 1) * (dn1 + 1) / (dtotal + 2))), lo, hi);
  while (mode < hi && ratio_up(mode) > 1) ++mode;
  while (mode > lo && ratio_down(mode) > 1) --mode;

  // Up to a few thousand tables, walking over all of them with the recurrence is faster than the
  // bisection's Boost pdfs (this is the engine's case: a decision table for every pair of counts).
  // walk(add) calls add(log P(k)/P(x1)) for every table k other than the observed one.
  const auto walk = [&](auto&& add) {
    double lr = 0;
    for (std::int64_t k = x1; k < hi; ++k) add(lr += std::log(ratio_up(k)));
    lr = 0;
    for (std::int64_t k = x1; k > lo; --k) add(lr += std::log(ratio_down(k)));
  };
  const double tolerance = std::log1p(1e-7);
  if (hi - lo <= pdf_free_range) {
    // Few tables: the walk also sums every table's P(k)/P(x1), and the p-value is the ratio of the
    // two sums, with no pdf at all (three Boost binomial pdfs took 20 us, ten times the walk, for
    // samples of 20; compare's simultaneous rank intervals test every pair of 43 forces). Both sums
    // are kept in units of exp(peak), peak the largest log ratio so far, so neither can overflow.
    double peak = 0, counted = 1, all = 1;  // the observed table counts
    walk([&](double lr) {
      if (lr > peak) {
        const double f = std::exp(peak - lr);
        counted *= f;
        all *= f;
        peak = lr;
      }
      const double w = std::exp(lr - peak);
      all += w;
      if (lr <= tolerance) counted += w;
    });
    return std::min(1.0, counted / all);
  }
  const double observed = pdf(x1);
  if (hi - lo <= small_table_range) {
    double relative = 1.0;  // sum of P(k) / P(x1) over the tables counted; the observed one counts
    walk([&](double lr) {
      if (lr <= tolerance) relative += std::exp(lr);
    });
    return std::min(1.0, observed * relative);
  }
  const double threshold = observed * (1 + 1e-7);
  if (pdf(mode) <= threshold) return 1.0;  // every table is counted
  // a: the first k in [lo, mode] with P(k) > threshold (P rises on this range).
  std::int64_t left = lo, right = mode;
  while (left < right) {
    const std::int64_t mid = left + (right - left) / 2;
    if (pdf(mid) > threshold)
      right = mid;
    else
      left = mid + 1;
  }
  const std::int64_t a = left;
  // b: the last k in [mode, hi] with P(k) > threshold (P falls on this range).
  left = mode;
  right = hi;
  while (left < right) {
    const std::int64_t mid = left + (right - left + 1) / 2;
    if (pdf(mid) > threshold)
      left = mid;
    else
      right = mid - 1;
  }
  const std::int64_t b = left;

  double p = 0;
  if (a > lo) p += detail::tail_sum(pdf(a - 1), a - 1, lo, -1, ratio_down);
  if (b < hi) p += detail::tail_sum(pdf(b + 1), b + 1, hi, +1, ratio_up);
  return std::min(1.0, p);
}

}  // namespace inspectsim::stats
