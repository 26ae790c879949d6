#include "inspectsim/stats/interval.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>

#include <boost/math/distributions/beta.hpp>
#include <boost/math/distributions/binomial.hpp>
#include <boost/math/distributions/chi_squared.hpp>
#include <boost/math/distributions/normal.hpp>
#include <boost/math/special_functions/log1p.hpp>
#include <boost/math/tools/roots.hpp>

#include "inspectsim/base/check.hpp"
#include "inspectsim/base/error.hpp"
#include "inspectsim/base/text.hpp"
#include "inspectsim/stats/hypergeometric.hpp"

namespace inspectsim::stats {

namespace {

constexpr std::array methods{Method::wald,
                             Method::wald_cc,
                             Method::wilson,
                             Method::wilson_cc,
                             Method::agresti_coull,
                             Method::jeffreys,
                             Method::clopper_pearson,
                             Method::mid_p,
                             Method::likelihood_ratio,
                             Method::logit};

struct MethodLabel {
  Method method;
  std::string_view label;
};
constexpr std::array method_labels{
    MethodLabel{Method::wald, "Wald"},
    MethodLabel{Method::wald_cc, "Wald, continuity-corrected"},
    MethodLabel{Method::wilson, "Wilson"},
    MethodLabel{Method::wilson_cc, "Wilson, continuity-corrected"},
    MethodLabel{Method::agresti_coull, "Agresti-Coull"},
    MethodLabel{Method::jeffreys, "Jeffreys"},
    MethodLabel{Method::clopper_pearson, "Clopper-Pearson"},
    MethodLabel{Method::mid_p, "mid-p exact"},
    MethodLabel{Method::likelihood_ratio, "likelihood-ratio"},
    MethodLabel{Method::logit, "logit"},
};

double clip01(double v) { return std::clamp(v, 0.0, 1.0); }

Interval bounds(double lower, double upper) {
  Interval r;
  r.lower = lower;
  r.upper = upper;
  return r;
}

// Standard normal quantile z_{1-a}.
double z_upper(double a) {
  return boost::math::quantile(boost::math::complement(boost::math::normal_distribution<double>(), a));
}

// Root of f on [lo, hi], where f changes sign; TOMS 748 to full double precision.
template <class F>
double solve(F f, double lo, double hi) {
  double flo = f(lo);
  double fhi = f(hi);
  if (flo == 0.0) return lo;
  if (fhi == 0.0) return hi;
  std::uintmax_t max_iter = 200;
  const auto [a, b] = boost::math::tools::toms748_solve(
      f, lo, hi, flo, fhi, boost::math::tools::eps_tolerance<double>(52), max_iter);
  return a + (b - a) / 2;
}

// The interval computations below are two-sided with tail probability `a` in each tail; a
// one-sided interval at confidence C is the matching two-sided one with a = 1 - C.
struct Data {
  double x;
  double n;
  double p;  // x / n
  double a;  // tail probability on each side
  double z;  // z_{1-a}
};

// Simple asymptotic (Wald): p +- z sqrt(p(1-p)/n). Newcombe (1998) method 1.
Interval wald(const Data& d) {
  const double h = d.z * std::sqrt(d.p * (1 - d.p) / d.n);
  Interval r = bounds(d.p - h, d.p + h);
  if (d.x == 0 || d.x == d.n) r.note = "degenerate: zero width when X = 0 or X = N";
  return r;
}

// Wald with continuity correction: p +- (z sqrt(p(1-p)/n) + 1/(2n)). Newcombe (1998) method 2.
Interval wald_cc(const Data& d) {
  const double h = d.z * std::sqrt(d.p * (1 - d.p) / d.n) + 1 / (2 * d.n);
  return bounds(d.p - h, d.p + h);
}

// Wilson score interval: (2np + z^2 -+ z sqrt(z^2 + 4np(1-p))) / (2(n + z^2)).
// Wilson (1927); Newcombe (1998) method 3.
Interval wilson(const Data& d) {
  const double z2 = d.z * d.z;
  const double centre = 2 * d.x + z2;
  const double half = d.z * std::sqrt(z2 + 4 * d.x * (1 - d.p));
  const double denom = 2 * (d.n + z2);
  return bounds((centre - half) / denom, (centre + half) / denom);
}

// Score interval with continuity correction, Newcombe (1998) method 4 (eqs. in sec. 2.2):
//   L = (2np + z^2 - 1 - z sqrt(z^2 - 2 - 1/n + 4p(n(1-p) + 1))) / (2(n + z^2)),
//   U = (2np + z^2 + 1 + z sqrt(z^2 + 2 - 1/n + 4p(n(1-p) - 1))) / (2(n + z^2)),
// with L = 0 when X = 0 and U = 1 when X = N.
Interval wilson_cc(const Data& d) {
  const double z2 = d.z * d.z;
  const double denom = 2 * (d.n + z2);
  Interval r;
  r.lower =
      d.x == 0
          ? 0.0
          : (2 * d.x + z2 - 1 - d.z * std::sqrt(z2 - 2 - 1 / d.n + 4 * d.p * (d.n * (1 - d.p) + 1))) / denom;
  r.upper =
      d.x == d.n
          ? 1.0
          : (2 * d.x + z2 + 1 + d.z * std::sqrt(z2 + 2 - 1 / d.n + 4 * d.p * (d.n * (1 - d.p) - 1))) / denom;
  return r;
}

// Agresti and Coull (1998), "Approximate is better than exact", Am. Stat. 52:119-126:
// n~ = n + z^2, p~ = (x + z^2/2) / n~, p~ +- z sqrt(p~(1-p~)/n~). Brown, Cai, DasGupta (2001) eq. 5.
Interval agresti_coull(const Data& d) {
  const double z2 = d.z * d.z;
  const double nt = d.n + z2;
  const double pt = (d.x + z2 / 2) / nt;
  const double h = d.z * std::sqrt(pt * (1 - pt) / nt);
  return bounds(pt - h, pt + h);
}

// Jeffreys: equal-tailed quantiles of Beta(x + 1/2, n - x + 1/2), with L = 0 at x = 0 and
// U = 1 at x = n. Brown, Cai and DasGupta (2001), sec. 4.1.2.
Interval jeffreys(const Data& d) {
  const boost::math::beta_distribution<double> post(d.x + 0.5, d.n - d.x + 0.5);
  Interval r;
  r.lower = d.x == 0 ? 0.0 : boost::math::quantile(post, d.a);
  r.upper = d.x == d.n ? 1.0 : boost::math::quantile(boost::math::complement(post, d.a));
  return r;
}

// Clopper and Pearson (1934), Biometrika 26:404-413, via the beta-binomial identity:
// L = Beta^{-1}(a; x, n - x + 1), U = Beta^{-1}(1 - a; x + 1, n - x). Newcombe (1998) method 5.
Interval clopper_pearson(const Data& d) {
  Interval r;
  r.lower = d.x == 0 ? 0.0 : boost::math::ibeta_inv(d.x, d.n - d.x + 1, d.a);
  r.upper = d.x == d.n ? 1.0 : boost::math::ibetac_inv(d.x + 1, d.n - d.x, d.a);
  return r;
}

// Mid-p exact interval, Newcombe (1998) method 6 (Lancaster 1961; Berry and Armitage 1995):
// L solves P(X > x | L) + P(X = x | L)/2 = a, U solves P(X < x | U) + P(X = x | U)/2 = a.
// The mid-p bounds lie inside the Clopper-Pearson ones, which bracket the roots.
Interval mid_p(const Data& d, const Interval& cp) {
  using boost::math::binomial_distribution;
  Interval r = bounds(0.0, 1.0);
  if (d.x > 0) {
    auto f = [&](double pi) {
      const binomial_distribution<double> b(d.n, pi);
      return boost::math::cdf(boost::math::complement(b, d.x)) + boost::math::pdf(b, d.x) / 2 - d.a;
    };
    // The root lies between the Clopper-Pearson bounds; usually below x / n, but above it at low
    // confidence (tail near 1/2), where P(X > x) + P(X = x)/2 at x / n can already be below a
    // (found by fuzzing: 1 of 20 at confidence 10^-6).
    r.lower = f(d.p) >= 0 ? solve(f, cp.lower, d.p) : solve(f, d.p, cp.upper);
  }
  if (d.x < d.n) {
    auto f = [&](double pi) {
      const binomial_distribution<double> b(d.n, pi);
      const double below = d.x == 0 ? 0.0 : boost::math::cdf(b, d.x - 1);
      return below + boost::math::pdf(b, d.x) / 2 - d.a;
    };
    r.upper = f(d.p) >= 0 ? solve(f, d.p, cp.upper) : solve(f, cp.lower, d.p);
  }
  return r;
}

// Likelihood-ratio interval, Newcombe (1998) method 7: all pi with
// 2[l(p) - l(pi)] = 2[x log(p/pi) + (n-x) log((1-p)/(1-pi))] <= chi^2_{1, 1-2a}.
// Near pi = p the two log terms are each of order n |pi - p| and cancel to leave one of order
// n (pi - p)^2, so summed as written they lost all relative accuracy at low confidence
// (`assess 1 1000000 --confidence 0.000001` gave a half-width 1000 times too small). Instead,
// since x + (n - x) = n pi + n (1 - pi), the deviance is 2 [bd0(x, n pi) + bd0(n - x, n (1 - pi))]
// with bd0(a, b) = a log(a / b) + b - a >= 0 (Loader 2000, "Fast and accurate computation of
// binomial probabilities", sec. 2), and bd0(a, a (1 + t)) = -a log1pmx(t), t = (b - a) / a, with
// Boost's log1pmx(t) = log(1 + t) - t, accurate to full relative precision for small t. Both
// terms are >= 0, so their sum keeps full relative precision too.
Interval likelihood_ratio(const Data& d) {
  const double crit = boost::math::quantile(
      boost::math::complement(boost::math::chi_squared_distribution<double>(1), 2 * d.a));
  // bd0(a, b) with t = (b - a) / a: by log1pmx near b = a; far from it, where nothing cancels, as
  // a (log(a / b) + t) (at the brackets' ends t rounds to -1, where log1pmx is infinite).
  auto bd0 = [](double a, double t, double a_over_b) {
    return std::abs(t) < 0.5 ? -a * boost::math::log1pmx(t) : a * (std::log(a_over_b) + t);
  };
  auto deviance = [&](double pi) {
    // bd0(x, n pi), t = (n pi - x) / x = (pi - p) / p; at x = 0 it is n pi.
    const double wrong = d.x > 0 ? bd0(d.x, (pi - d.p) / d.p, d.p / pi) : d.n * pi;
    // bd0(n - x, n (1 - pi)), t = (p - pi) / (1 - p); at x = n it is n (1 - pi).
    const double q = 1 - d.p;
    const double right = d.x < d.n ? bd0(d.n - d.x, (d.p - pi) / q, q / (1 - pi)) : d.n * (1 - pi);
    return 2 * (wrong + right) - crit;
  };
  Interval r = bounds(0.0, 1.0);
  // At pi = 0 the deviance is infinite (x > 0), so bracket just inside: at pi = p * 1e-200 it is
  // at least 2 log(1e200) = 921, beyond any critical value for confidence below 1 - 1e-200.
  if (d.x > 0) r.lower = solve(deviance, d.p * 1e-200, d.p);
  if (d.x < d.n) r.upper = solve(deviance, d.p, 1 - std::numeric_limits<double>::epsilon() / 2);
  return r;
}

// Logit interval: Wald on theta = log(p/(1-p)) with se = sqrt(1/x + 1/(n-x)), transformed back.
// Brown, Cai and DasGupta (2001), sec. 4.2. Undefined at x = 0 and x = n.
Interval logit(const Data& d) {
  if (d.x == 0 || d.x == d.n) {
    Interval r;
    r.defined = false;
    // Worded without "infinity": outputs are checked (tests/fuzz) to hold no non-finite value.
    r.note = d.x == 0 ? "undefined when no records are wrong (the log-odds are unbounded below)"
                      : "undefined when every record is wrong (the log-odds are unbounded above)";
    return r;
  }
  const double theta = std::log(d.x / (d.n - d.x));
  const double h = d.z * std::sqrt(1 / d.x + 1 / (d.n - d.x));
  auto expit = [](double t) { return 1 / (1 + std::exp(-t)); };
  return bounds(expit(theta - h), expit(theta + h));
}

void check_counts(std::int64_t x, std::int64_t n) {
  if (n < 1) throw base::InputError("N is " + std::to_string(n) + ", but must be at least 1");
  if (x < 0 || x > n)
    throw base::InputError("X is " + std::to_string(x) + ", but must be between 0 and N (" +
                           std::to_string(n) + ")");
}

void check_confidence(double confidence) { base::check_open_unit("confidence", confidence); }

// Tail probability per side for the requested interval.
double tail(double confidence, Side side) {
  return side == Side::two_sided ? (1 - confidence) / 2 : 1 - confidence;
}

}  // namespace

std::span<const Method> all_methods() noexcept { return methods; }

std::string_view method_name(Method method) noexcept { return base::name_of(method); }

std::string_view method_label(Method method) noexcept {
  for (const auto& m : method_labels)
    if (m.method == method) return m.label;
  return "?";
}

Method parse_method(std::string_view name) { return base::parse_name<Method>(base::field("method"), name); }

std::vector<Method> parse_methods(std::string_view list) {
  if (list == "all") return {methods.begin(), methods.end()};
  std::vector<std::string_view> allowed = base::names_of<Method>();
  allowed.push_back("all");
  const std::string each = ", but each method must be " + base::allowed_list(allowed);
  std::vector<Method> out;
  std::size_t start = 0;
  while (true) {
    const std::size_t comma = list.find(',', start);
    std::string_view item = list.substr(start, comma == std::string_view::npos ? list.npos : comma - start);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    if (item.empty())
      throw base::InputError(base::field("methods") + " is '" + std::string(list) +
                             "', which has an empty entry" + each);
    const auto m = std::find_if(std::begin(method_names), std::end(method_names),
                                [&](const auto& e) { return e.name == item; });
    if (m == std::end(method_names))
      throw base::InputError(base::field("methods") + " lists '" + std::string(item) + "'" + each +
                             base::did_you_mean(item, allowed));
    if (std::find(out.begin(), out.end(), m->value) != out.end())
      throw base::InputError(base::field("methods") + " lists '" + std::string(item) + "' twice");
    out.push_back(m->value);
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return out;
}

std::string_view side_name(Side side) noexcept { return base::name_of(side); }

Side parse_side(std::string_view name) { return base::parse_name<Side>(base::field("side"), name); }

Interval proportion_interval(Method method, std::int64_t x, std::int64_t n, double confidence, Side side) {
  check_counts(x, n);
  check_confidence(confidence);
  Data d;
  d.x = static_cast<double>(x);
  d.n = static_cast<double>(n);
  d.p = d.x / d.n;
  d.a = tail(confidence, side);
  d.z = z_upper(d.a);

  Interval r;
  switch (method) {
    case Method::wald: r = wald(d); break;
    case Method::wald_cc: r = wald_cc(d); break;
    case Method::wilson: r = wilson(d); break;
    case Method::wilson_cc: r = wilson_cc(d); break;
    case Method::agresti_coull: r = agresti_coull(d); break;
    case Method::jeffreys: r = jeffreys(d); break;
    case Method::clopper_pearson: r = clopper_pearson(d); break;
    case Method::mid_p: r = mid_p(d, clopper_pearson(d)); break;
    case Method::likelihood_ratio: r = likelihood_ratio(d); break;
    case Method::logit: r = logit(d); break;
  }
  if (!r.defined) return r;
  r.lower = clip01(r.lower);
  r.upper = clip01(r.upper);
  if (side == Side::upper) r.lower = 0.0;
  if (side == Side::lower) r.upper = 1.0;
  return r;
}

CountInterval hypergeometric_interval(std::int64_t x, std::int64_t n, std::int64_t population,
                                      double confidence, Side side) {
  check_counts(x, n);
  check_confidence(confidence);
  if (population < n || population > max_population)
    throw base::InputError("population is " + std::to_string(population) + ", but must be between N (" +
                           std::to_string(n) + ") and " + std::to_string(max_population));
  const double a = tail(confidence, side);
  // K can be anything from x (the wrong records seen) to M - (n - x) (all unseen records wrong).
  const std::int64_t k_min = x;
  const std::int64_t k_max = population - (n - x);
  // The tails by hypergeometric_cdf (inspectsim/hypergeometric.hpp): Boost's hypergeometric cdf
  // took seconds per value for populations in the billions.
  auto cdf_at_most = [&](std::int64_t k, std::int64_t j) { return hypergeometric_cdf(j, k, n, population); };
  auto cdf_more_than = [&](std::int64_t k, std::int64_t j) {
    return hypergeometric_ccdf(j, k, n, population);
  };
  // P(X >= x | K) increases with K: the lower bound is the smallest K where it exceeds a (a tail
  // equal to a, up to rounding, does not: tail_at_most).
  auto upper_tail = [&](std::int64_t k) { return cdf_more_than(k, x - 1); };
  // P(X <= x | K) decreases with K: the upper bound is the largest K where it exceeds a.
  auto lower_tail = [&](std::int64_t k) { return cdf_at_most(k, x); };

  CountInterval r{k_min, k_max};
  if (side != Side::upper && x > 0) {
    std::int64_t lo = k_min, hi = k_max;  // invariant: upper_tail(hi) > a (true at K = k_max)
    while (lo < hi) {
      const std::int64_t mid = lo + (hi - lo) / 2;
      if (!tail_at_most(upper_tail(mid), a))
        hi = mid;
      else
        lo = mid + 1;
    }
    r.lower = lo;
  }
  if (side != Side::lower && x < n) {
    std::int64_t lo = k_min, hi = k_max;  // invariant: lower_tail(lo) > a (true at K = k_min)
    while (lo < hi) {
      const std::int64_t mid = hi - (hi - lo) / 2;
      if (!tail_at_most(lower_tail(mid), a))
        lo = mid;
      else
        hi = mid - 1;
    }
    r.upper = lo;
  }
  return r;
}

}  // namespace inspectsim::stats
