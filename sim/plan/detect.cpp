// `plan detect`: the sample size at which a re-inspection detects a change in the error rate, with
// the power computed exactly by enumerating both binomial counts.
#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "inspectsim/base/check.hpp"
#include "inspectsim/base/error.hpp"
#include "inspectsim/base/text.hpp"
#include "inspectsim/base/version.hpp"
#include "inspectsim/plan/plan.hpp"
#include "inspectsim/stats/hypergeometric.hpp"
#include "search.hpp"

namespace inspectsim::plan {

std::string_view detect_test_name(DetectTest t) noexcept { return base::name_of(t); }

DetectTest parse_detect_test(std::string_view name) {
  return base::parse_name<DetectTest>(base::field("test"), name);
}

bool detect_rejects(DetectTest test, double alpha, std::int64_t x1, std::int64_t n1, std::int64_t x2,
                    std::int64_t n2) {
  if (test == DetectTest::fisher) return stats::tail_at_most(stats::fisher_exact_p(x1, n1, x2, n2), alpha);
  const stats::Interval i = stats::difference_interval(
      test == DetectTest::newcombe ? stats::DiffMethod::newcombe : stats::DiffMethod::miettinen_nurminen, x1,
      n1, x2, n2, 1 - alpha);
  return i.lower > 0 || i.upper < 0;
}

std::int64_t second_sample(double ratio, std::int64_t n1) {
  return ceil_whole(ratio * static_cast<double>(n1));
}

namespace {

// Fisher's rejection region among the tables with x1 + x2 = t wrong: reject iff x1 <= below or
// x1 >= above. With the margins fixed x1 is hypergeometric (t wrong among n1 + n2, n1 drawn), and
// the two-sided p-value of x1 is the mass of all x with P(x) <= P(x1) (1 + 1e-7), exactly as
// fisher_exact_p (Agresti 2002, sec. 3.5.1; R's fisher.test tolerance). The law is unimodal, so the
// p-value falls away from the mode on each side and the region is two tails. Probabilities come
// from the mode by the ratio P(x + 1) / P(x) = (t - x)(n1 - x) / ((x + 1)(n2 - t + x + 1)), all of
// them at once and normalised by their sum, instead of one p-value sum per table.
struct FisherRegion {
  std::int64_t below;
  std::int64_t above;
};

FisherRegion fisher_region(std::int64_t n1, std::int64_t n2, std::int64_t t, double alpha) {
  const std::int64_t lo = std::max<std::int64_t>(0, t - n2);
  const std::int64_t hi = std::min(n1, t);
  const std::int64_t N = n1 + n2;
  const std::int64_t mode = std::clamp((n1 + 1) * (t + 1) / (N + 2), lo, hi);
  const auto d = [](std::int64_t v) { return static_cast<double>(v); };
  std::vector<double> pdf(static_cast<std::size_t>(hi - lo + 1), 0.0);
  auto at = [&](std::int64_t x) -> double& { return pdf[static_cast<std::size_t>(x - lo)]; };
  at(mode) = 1;  // relative to the mode; normalised by the total below
  for (std::int64_t x = mode; x < hi; ++x)
    at(x + 1) = at(x) * d(t - x) * d(n1 - x) / (d(x + 1) * d(n2 - t + x + 1));
  for (std::int64_t x = mode; x > lo; --x)
    at(x - 1) = at(x) * d(x) * d(n2 - t + x) / (d(t - x + 1) * d(n1 - x + 1));
  // Ascending probabilities: the left side rises to the mode, the right side falls from it.
  std::vector<double> sorted(pdf.size());
  const auto mid = pdf.begin() + (mode - lo);
  std::merge(pdf.begin(), mid, std::make_reverse_iterator(pdf.end()), std::make_reverse_iterator(mid),
             sorted.begin());
  std::vector<double> prefix(sorted.size() + 1, 0.0);
  for (std::size_t i = 0; i < sorted.size(); ++i) prefix[i + 1] = prefix[i] + sorted[i];
  const double total = prefix.back();
  auto p_value = [&](std::int64_t x) {
    const auto end = std::upper_bound(sorted.begin(), sorted.end(), at(x) * (1 + 1e-7));
    return std::min(1.0, prefix[static_cast<std::size_t>(end - sorted.begin())] / total);
  };
  FisherRegion r{lo - 1, hi + 1};
  while (r.below + 1 < mode && stats::tail_at_most(p_value(r.below + 1), alpha)) ++r.below;
  while (r.above - 1 > mode && stats::tail_at_most(p_value(r.above - 1), alpha)) --r.above;
  return r;
}

// The exact power, counting the tables examined against a budget so that no request runs for
// hours: a change too small to plan exactly is reported as such.
class PowerEvaluator {
 public:
  PowerEvaluator(DetectTest test, double alpha, std::int64_t budget)
      : test_(test), alpha_(alpha), budget_(budget) {}

  double operator()(double p1, std::int64_t n1, double p2, std::int64_t n2) {
    const CountPmf a = binomial_law(n1, p1);
    const CountPmf b = binomial_law(n2, p2);
    // Work: one decision per table, plus for Fisher one pass over each margin's support.
    used_ += static_cast<std::int64_t>(a.pmf.size() * b.pmf.size());
    if (test_ == DetectTest::fisher)
      used_ += static_cast<std::int64_t>(a.pmf.size() + b.pmf.size()) * (std::min(n1, n2) + 1);
    if (used_ > budget_)
      throw base::InputError("the sample needed is beyond exact enumeration: evaluating the power at n1 = " +
                             std::to_string(n1) + " would take the search past " + std::to_string(budget_) +
                             " steps of enumeration (the change is too small to plan exactly; try " +
                             base::field("n") +
                             " to see the power "
                             "at a size, or raise the limit with " +
                             base::field("max_work") +
                             ", at 12 units a step for Fisher and 400 "
                             "for the score intervals)");
    std::vector<FisherRegion> regions;
    const std::int64_t t0 = a.lo + b.lo;
    if (test_ == DetectTest::fisher) {
      const auto span = static_cast<std::int64_t>(a.pmf.size() + b.pmf.size()) - 1;
      for (std::int64_t t = t0; t < t0 + span; ++t) regions.push_back(fisher_region(n1, n2, t, alpha_));
    }
    double power = 0;
    for (std::size_t i = 0; i < a.pmf.size(); ++i) {
      const std::int64_t x1 = a.lo + static_cast<std::int64_t>(i);
      double row = 0;
      for (std::size_t j = 0; j < b.pmf.size(); ++j) {
        const std::int64_t x2 = b.lo + static_cast<std::int64_t>(j);
        bool reject;
        if (test_ == DetectTest::fisher) {
          const FisherRegion& r = regions[static_cast<std::size_t>(x1 + x2 - t0)];
          reject = x1 <= r.below || x1 >= r.above;
        } else {
          reject = detect_rejects(test_, alpha_, x1, n1, x2, n2);
        }
        if (reject) row += b.pmf[j];
      }
      power += a.pmf[i] * row;
    }
    return std::min(1.0, power);
  }

 private:
  DetectTest test_;
  double alpha_;
  std::int64_t budget_;
  std::int64_t used_ = 0;
};

// Steps of enumeration one request may take (a few seconds' work): Fisher's decisions are a lookup
// each, the score intervals' a root search each.
std::int64_t table_budget(DetectTest test) { return test == DetectTest::fisher ? 300'000'000 : 20'000'000; }

void validate(const DetectRequest& q) {
  base::check_open_unit("from", q.from);
  base::check_open_unit("to", q.to);
  if (q.from == q.to)
    throw base::InputError(base::field("to") + " is " + base::format_number(q.to) + ", the same as " +
                           base::field("from") + ": there is no change to detect");
  base::check_open_unit("power", q.power);
  base::check_open_unit("alpha", q.alpha);
  if (!(q.ratio > 0 && q.ratio <= static_cast<double>(plan_max_sample)))
    throw base::InputError(base::field("ratio") + " is " + base::format_number(q.ratio) +
                           ", but must be greater than 0 and at most " + std::to_string(plan_max_sample));
}

}  // namespace

double detect_power(DetectTest test, double alpha, double p1, std::int64_t n1, double p2, std::int64_t n2) {
  return PowerEvaluator(test, alpha, std::numeric_limits<std::int64_t>::max())(p1, n1, p2, n2);
}

DetectResult plan_detect(const DetectRequest& q) {
  validate(q);
  DetectResult r;
  r.request = q;
  PowerEvaluator power(q.test, q.alpha, q.work_limit ? *q.work_limit : table_budget(q.test));
  // The largest n1 whose n2 stays within plan_max_sample.
  std::int64_t cap = plan_max_sample;
  while (cap > 1 && second_sample(q.ratio, cap) > plan_max_sample)
    cap = std::min(cap - 1, static_cast<std::int64_t>(static_cast<double>(plan_max_sample) / q.ratio));
  auto at = [&](std::int64_t n1) {
    const std::int64_t n2 = std::max<std::int64_t>(1, second_sample(q.ratio, n1));
    return PowerPoint{n1, n2, power(q.from, n1, q.to, n2)};
  };

  if (q.n) {
    if (*q.n < 1 || *q.n > cap)
      throw base::InputError(base::field("n") + " is " + std::to_string(*q.n) +
                             ", but must be a whole number from 1 to " + std::to_string(cap));
    const PowerPoint p = at(*q.n);
    r.n1 = p.n1;
    r.n2 = p.n2;
    r.power = p.power;
    // The detectable rate: bisection on the second rate between --from (power about alpha) and the
    // end of (0, 1) on the side of --to, assuming power grows with the distance from --from.
    const double end = q.to < q.from ? 1e-9 : 1 - 1e-9;
    if (power(q.from, r.n1, end, r.n2) >= q.power) {
      double fails = q.from, holds = end;
      while (std::abs(holds - fails) > 1e-6) {
        const double mid = (fails + holds) / 2;
        (power(q.from, r.n1, mid, r.n2) >= q.power ? holds : fails) = mid;
      }
      r.detectable = holds;
    }
    return r;
  }

  const SearchOutcome s = smallest_n([&](std::int64_t n1) { return at(n1).power >= q.power; }, 1, cap,
                                     Scan::window, detect_scan_limit);
  if (!s.n)
    throw base::InputError(base::field("from") + " " + base::format_number(q.from) + " " + base::field("to") +
                           " " + base::format_number(q.to) + ": no sample of up to " + std::to_string(cap) +
                           " records per inspection reaches power " + base::format_number(q.power));
  r.search = s.info;
  const PowerPoint p = at(*s.n);
  r.n1 = p.n1;
  r.n2 = p.n2;
  r.power = p.power;
  for (std::int64_t n1 = std::max<std::int64_t>(1, r.n1 - 5); n1 <= std::min(cap, r.n1 + 5); ++n1)
    r.around.push_back(at(n1));
  return r;
}

}  // namespace inspectsim::plan
