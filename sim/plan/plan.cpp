#include "inspectsim/plan/plan.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <string>

#include <boost/math/distributions/binomial.hpp>

#include "inspectsim/base/check.hpp"
#include "inspectsim/base/error.hpp"
#include "inspectsim/base/text.hpp"
#include "inspectsim/base/version.hpp"
#include "inspectsim/stats/hypergeometric.hpp"
#include "search.hpp"

namespace inspectsim::plan {

namespace {

void require_population(const std::optional<std::int64_t>& M) {
  if (M && (*M < 1 || *M > stats::max_population))
    throw base::InputError(base::field("population") + " is " + std::to_string(*M) +
                           ", but must be a whole number from 1 to " + std::to_string(stats::max_population));
}

}  // namespace

// ---- The search for the smallest n -------------------------------------------------------------

SearchOutcome smallest_n(const std::function<bool(std::int64_t)>& meets, std::int64_t first, std::int64_t cap,
                         Scan scan, std::int64_t scan_limit) {
  SearchOutcome out;
  std::map<std::int64_t, bool> seen;  // each size is evaluated once
  auto test = [&](std::int64_t n) {
    const auto it = seen.find(n);
    if (it != seen.end()) return it->second;
    ++out.info.evaluations;
    return seen[n] = meets(n);
  };
  // Doubling: the first size of first, 2 first, 4 first, ..., cap where the criterion holds.
  std::int64_t fails = first - 1;  // the criterion is not known to hold at `fails` (a size < first)
  std::int64_t holds = first;
  while (!test(holds)) {
    if (holds >= cap) return out;  // not met at the cap: unreachable
    fails = holds;
    holds = std::min(cap, 2 * holds);
  }
  // Bisection between a failing size and a holding one.
  while (holds - fails > 1) {
    const std::int64_t mid = fails + (holds - fails) / 2;
    (test(mid) ? holds : fails) = mid;
  }
  // Scan every size of the window below, so that no smaller size meeting the criterion is skipped.
  const std::int64_t from = scan == Scan::none    ? holds
                            : holds <= scan_limit ? first
                                                  : std::max(first, holds - holds / 20);
  out.info.scanned_from = from;
  out.info.scanned_to = holds;
  for (std::int64_t n = from; n < holds; ++n)
    if (test(n)) {
      out.n = n;
      return out;
    }
  out.n = holds;
  return out;
}

std::int64_t ceil_whole(double v) { return static_cast<std::int64_t>(std::ceil(std::round(v * 1e9) / 1e9)); }

namespace {
// Tail mass left out of every sum over a count's law: at most 1e-14 in each tail.
constexpr double neglected_tail = 1e-14;

// The smallest x in [0, top] with P(X <= x) > tail (lower) or P(X > x) <= tail (upper), by
// bisection on Boost's CDF: the fallback where Boost's discrete quantile cannot bracket its root
// (the fuzzer found Binomial(307, 0.2) at 1e-14).
template <class Dist>
std::int64_t tail_point(const Dist& dist, std::int64_t top, bool upper) {
  std::int64_t lo = 0, hi = top;
  while (lo < hi) {
    const std::int64_t mid = lo + (hi - lo) / 2;
    const double x = static_cast<double>(mid);
    const bool past = upper ? boost::math::cdf(boost::math::complement(dist, x)) <= neglected_tail
                            : boost::math::cdf(dist, x) > neglected_tail;
    if (past)
      hi = mid;
    else
      lo = mid + 1;
  }
  return lo;
}

template <class Dist, class Arg>
CountPmf law_of(const Dist& dist, std::int64_t top) {
  CountPmf law;
  std::int64_t lo = 0, hi = top;
  try {
    lo = static_cast<std::int64_t>(boost::math::quantile(dist, neglected_tail));
    hi = static_cast<std::int64_t>(boost::math::quantile(boost::math::complement(dist, neglected_tail)));
  } catch (const boost::math::evaluation_error&) {
    lo = tail_point(dist, top, false);
    hi = tail_point(dist, top, true);
  }
  lo = std::clamp<std::int64_t>(lo, 0, top);
  hi = std::clamp<std::int64_t>(hi, lo, top);
  law.lo = lo;
  for (std::int64_t x = lo; x <= hi; ++x) law.pmf.push_back(boost::math::pdf(dist, static_cast<Arg>(x)));
  return law;
}
}  // namespace

CountPmf binomial_law(std::int64_t n, double p) {
  return law_of<boost::math::binomial_distribution<double>, double>(
      boost::math::binomial_distribution<double>(static_cast<double>(n), p), n);
}

CountPmf hypergeometric_law(std::int64_t K, std::int64_t n, std::int64_t M) {
  // The whole law from inspectsim/hypergeometric.hpp (microseconds at any size; Boost's hypergeometric pdf
  // took up to seconds per value), less the tails of mass below neglected_tail.
  const auto [support_lo, pmf] = stats::hypergeometric_support_pmf(K, n, M);
  std::size_t first = 0, last = pmf.size();  // kept: [first, last)
  for (double left = 0; first + 1 < last && left + pmf[first] < neglected_tail;) left += pmf[first++];
  for (double right = 0; last - 1 > first && right + pmf[last - 1] < neglected_tail;) right += pmf[--last];
  CountPmf law;
  law.lo = support_lo + static_cast<std::int64_t>(first);
  law.pmf.assign(pmf.begin() + static_cast<std::ptrdiff_t>(first),
                 pmf.begin() + static_cast<std::ptrdiff_t>(last));
  return law;
}

// ---- plan claim ----------------------------------------------------------------------------------

double claim_acceptance(std::int64_t k, std::int64_t n, double rate) {
  if (k >= n) return 1.0;
  return boost::math::cdf(boost::math::binomial_distribution<double>(static_cast<double>(n), rate),
                          static_cast<double>(k));
}

double claim_acceptance(std::int64_t k, std::int64_t n, std::int64_t K, std::int64_t M) {
  return stats::hypergeometric_cdf(k, K, n, M);
}

namespace {

// The smallest count that breaks "fewer than T M wrong": K_T = ceil(T M).
std::int64_t threshold_count(double T, std::int64_t M) { return ceil_whole(T * static_cast<double>(M)); }

// The rates (or counts) at which the operating characteristic is printed: multiples of a
// reference rate (the tolerable rate, or the upper bound in support mode).
constexpr double oc_multiples[] = {0.25, 0.5, 0.75, 1.0, 1.25, 1.5, 2.0, 3.0};

std::vector<OcPoint> operating_characteristic(std::int64_t k, std::int64_t n, double reference,
                                              const std::optional<std::int64_t>& M,
                                              std::optional<std::int64_t> reference_count) {
  std::vector<OcPoint> oc;
  for (double f : oc_multiples) {
    if (!M) {
      const double rate = f * reference;
      if (rate >= 1) break;
      oc.push_back({rate, std::nullopt, claim_acceptance(k, n, rate)});
      continue;
    }
    const std::int64_t K = f == 1.0 && reference_count
                               ? *reference_count
                               : std::llround(f * reference * static_cast<double>(*M));
    if (K > *M) break;
    if (!oc.empty() && oc.back().count && *oc.back().count >= K) continue;
    oc.push_back({static_cast<double>(K) / static_cast<double>(*M), K, claim_acceptance(k, n, K, *M)});
  }
  return oc;
}

// Fills the upper bound and operating characteristic for k wrong out of n.
void describe_audit(ClaimResult& r) {
  const auto& q = r.request;
  const std::int64_t k = q.allowed_errors;
  if (q.population) {
    // Exact hypergeometric upper bound on K (Wendell and Schmee 2001), via interval.hpp.
    const stats::CountInterval b =
        stats::hypergeometric_interval(k, r.n, *q.population, q.confidence, stats::Side::upper);
    r.upper_count = b.upper;
    r.upper = static_cast<double>(b.upper) / static_cast<double>(*q.population);
  } else {
    // One-sided Clopper-Pearson upper bound (Clopper and Pearson 1934), via interval.hpp.
    r.upper =
        stats::proportion_interval(stats::Method::clopper_pearson, k, r.n, q.confidence, stats::Side::upper)
            .upper;
  }
  if (q.tolerable) {
    const double ref = q.population
                           ? static_cast<double>(*r.threshold_count) / static_cast<double>(*q.population)
                           : *q.tolerable;
    r.oc = operating_characteristic(k, r.n, ref, q.population, r.threshold_count);
  } else {
    // The first rate (count) the audit rules out: the upper bound, or one more than the bound on K.
    const std::optional<std::int64_t> first_out =
        r.upper_count ? std::optional<std::int64_t>(*r.upper_count + 1) : std::nullopt;
    const double ref =
        q.population ? static_cast<double>(*first_out) / static_cast<double>(*q.population) : r.upper;
    r.oc = operating_characteristic(k, r.n, ref, q.population, first_out);
  }
}

}  // namespace

ClaimResult plan_claim(const ClaimRequest& q) {
  base::check_open_unit("confidence", q.confidence);
  require_population(q.population);
  const base::Message k_name = q.tolerable ? base::field("allowed_errors") : base::field("found");
  if (q.allowed_errors < 0)
    throw base::InputError(k_name + " is " + std::to_string(q.allowed_errors) + ", but must be 0 or more");
  ClaimResult r;
  r.request = q;
  const double alpha = 1 - q.confidence;

  if (!q.tolerable) {  // support mode: what does k wrong in n support?
    if (!q.n)
      throw base::InputError("plan claim needs " + base::field("tolerable") + " T, or " + base::field("n") +
                             " N with " + base::field("found") + " k");
    const std::int64_t cap = q.population ? *q.population : stats::max_population;
    if (*q.n < 1 || *q.n > cap)
      throw base::InputError(base::field("n") + " is " + std::to_string(*q.n) +
                             ", but must be a whole number from 1 to " + std::to_string(cap) +
                             (q.population ? " (" + base::field("population") + ")" : base::Message()));
    if (q.allowed_errors > *q.n)
      throw base::InputError(base::field("found") + " is " + std::to_string(q.allowed_errors) +
                             ", but must be from 0 to " + base::field("n") + " (" + std::to_string(*q.n) +
                             ")");
    r.n = *q.n;
    describe_audit(r);
    return r;
  }

  const double T = *q.tolerable;
  base::check_open_unit("tolerable", T);
  const std::int64_t k = q.allowed_errors;
  std::function<bool(std::int64_t)> supports;
  std::int64_t cap = plan_max_sample;
  if (q.population) {
    // The claim "fewer than T M wrong" fails when K >= K_T; finding at most k wrong supports it when
    // P(X <= k | K_T) <= alpha, and then for every larger K too (the hypergeometric cdf falls as K
    // rises): the one-sided exact test of Wendell and Schmee (2001).
    const std::int64_t M = *q.population;
    const std::int64_t KT = threshold_count(T, M);
    r.threshold_count = KT;
    if (k >= KT)
      throw base::InputError(base::field("allowed_errors") + " is " + std::to_string(k) +
                             ", but the claim is 'fewer than " + std::to_string(KT) + " of the " +
                             std::to_string(M) + " records are wrong' (" + base::field("tolerable") + " " +
                             base::format_number(T) + " of " + base::field("population") + " " +
                             std::to_string(M) + "), which finding " + std::to_string(KT) +
                             " or more wrong cannot support; allow at most " + std::to_string(KT - 1));
    cap = M;
    supports = [=](std::int64_t n) { return stats::tail_at_most(claim_acceptance(k, n, KT, M), alpha); };
  } else {
    // Binomial: P(X <= k | n, T) <= alpha, i.e. the one-sided Clopper-Pearson upper bound for k of n
    // is at most T (Clopper and Pearson 1934; AICPA Audit Sampling guide, attribute sampling tables).
    supports = [=](std::int64_t n) { return stats::tail_at_most(claim_acceptance(k, n, T), alpha); };
  }
  // P(X <= k) falls as n rises (a larger sample stochastically finds more), so the bisection of
  // smallest_n is exact here and no scan is needed.
  const std::int64_t first = std::min(k + 1, cap);
  const SearchOutcome s = smallest_n(supports, first, cap, Scan::none);
  if (!s.n)
    throw base::InputError(
        base::field("tolerable") + " " + base::format_number(T) + ": no sample of up to " +
        std::to_string(cap) + " records" +
        (q.population ? " (the whole " + base::field("population") + ")" : base::Message()) +
        " supports 'the error rate is below " + base::format_percent(T, 2) + "' at " +
        base::level_text(q.confidence) + " confidence when " + std::to_string(k) + " wrong are allowed");
  r.n = *s.n;
  r.risk = q.population ? claim_acceptance(k, r.n, *r.threshold_count, *q.population)
                        : claim_acceptance(k, r.n, T);
  describe_audit(r);
  return r;
}

// ---- plan precision ------------------------------------------------------------------------------

std::string_view criterion_name(WidthCriterion c) noexcept { return base::name_of(c); }

WidthCriterion parse_criterion(std::string_view name) {
  return base::parse_name<WidthCriterion>(base::field("criterion"), name);
}

namespace {

// Half-widths and expectations are compared with H up to this much rounding.
constexpr double width_tolerance = 1e-12;

void validate(const PrecisionRequest& q) {
  base::check_open_unit("rate", q.rate);
  if (!(q.margin > 0 && q.margin < 1))
    throw base::InputError(base::field("margin") + " is " + base::format_number(q.margin) +
                           ", but must be greater than 0 and below 1");
  base::check_open_unit("confidence", q.confidence);
  base::check_open_unit("assurance", q.assurance);
  require_population(q.population);
  if (!q.method && !q.population)
    throw base::InputError(base::field("method") + " hypergeometric needs " + base::field("population") +
                           " M");
  if (q.method == stats::Method::logit)
    throw base::InputError(base::field("method") +
                           " logit gives no interval when no record or every record is wrong, so its "
                           "width has no expectation; choose another method");
}

std::int64_t true_count(const PrecisionRequest& q) {
  return std::llround(q.rate * static_cast<double>(*q.population));
}

}  // namespace

WidthPoint width_at(const PrecisionRequest& q, std::int64_t n) {
  validate(q);
  const std::int64_t cap = q.population ? *q.population : plan_max_sample;
  if (n < 1 || n > cap)
    throw base::InputError("sample size " + std::to_string(n) + " is outside 1 to " + std::to_string(cap));
  // The half-width (U - L) / 2 of the interval for x wrong out of n; with the hypergeometric
  // interval for K, (K_U - K_L) / (2 M), i.e. on the scale of the rate K / M.
  auto half_width = [&](std::int64_t x) {
    if (!q.method) {
      const stats::CountInterval c = stats::hypergeometric_interval(x, n, *q.population, q.confidence);
      return static_cast<double>(c.upper - c.lower) / (2 * static_cast<double>(*q.population));
    }
    const stats::Interval i = stats::proportion_interval(*q.method, x, n, q.confidence);
    return (i.upper - i.lower) / 2;
  };
  // The count X: binomial(n, P) from an unlimited stream, hypergeometric(K, n, M) with K = round(P M)
  // from a population (Cochran 1977, sec. 3.2). Sum over its support less 1e-14 in each tail
  // (the expected half-width, at most 1/2, is then off by at most 1e-14).
  const CountPmf law =
      q.population ? hypergeometric_law(true_count(q), n, *q.population) : binomial_law(n, q.rate);
  WidthPoint w;
  w.n = n;
  double mass = 0;
  for (std::size_t i = 0; i < law.pmf.size(); ++i) {
    const double h = half_width(law.lo + static_cast<std::int64_t>(i));
    w.expected += law.pmf[i] * h;
    if (h <= q.margin + width_tolerance) w.assurance += law.pmf[i];
    mass += law.pmf[i];
  }
  // Renormalise over the summed support (a change below 2e-14).
  w.expected /= mass;
  w.assurance /= mass;
  w.meets = q.criterion == WidthCriterion::expected ? w.expected <= q.margin + width_tolerance
                                                    : stats::tail_at_most(1 - w.assurance, 1 - q.assurance);
  return w;
}

PrecisionResult plan_precision(const PrecisionRequest& q) {
  validate(q);
  PrecisionResult r;
  r.request = q;
  if (q.population) r.true_count = true_count(q);
  const std::int64_t cap = q.population ? *q.population : plan_max_sample;
  // The hypergeometric interval's cost, counted before each size is evaluated (see work_limit).
  const std::int64_t limit = q.work_limit ? *q.work_limit : 30'000'000;
  std::int64_t used = 0;
  auto meets = [&](std::int64_t n) {
    if (!q.method) {
      const double sd = std::sqrt(static_cast<double>(n) * q.rate * (1 - q.rate));
      const double log2m = std::ceil(std::log2(static_cast<double>(*q.population) + 1));
      used += static_cast<std::int64_t>((16 * sd + 1) * static_cast<double>(n) * 2 * log2m);
      if (used > limit)
        throw base::InputError(
            base::field("method") +
            " hypergeometric: the sample needed is beyond exact computation: evaluating n = " +
            std::to_string(n) + " would take the search past " + std::to_string(limit) +
            " steps; a binomial method such as " + base::field("method") +
            " clopper-pearson is slightly conservative "
            "for a population");
    }
    return width_at(q, n).meets;
  };
  const SearchOutcome s =
      smallest_n(meets, 1, cap, Scan::window, q.method ? precision_scan_limit : std::int64_t{0});
  if (!s.n) {
    const std::string what = q.criterion == WidthCriterion::expected
                                 ? "an expected half-width"
                                 : "a " + base::format_number(100 * q.assurance) + "% chance of a half-width";
    throw base::InputError(
        base::field("margin") + " " + base::format_number(q.margin) + ": no sample of up to " +
        std::to_string(cap) + " records" +
        (q.population ? " (the whole " + base::field("population") + ")" : base::Message()) + " gives " +
        what + " of at most " + base::format_number(q.margin) + " at " + base::field("rate") + " " +
        base::format_number(q.rate));
  }
  r.n = *s.n;
  r.search = s.info;
  r.achieved = width_at(q, r.n);
  for (std::int64_t n = std::max<std::int64_t>(1, r.n - 5); n <= std::min(cap, r.n + 5); ++n)
    r.around.push_back(width_at(q, n));
  return r;
}

}  // namespace inspectsim::plan
