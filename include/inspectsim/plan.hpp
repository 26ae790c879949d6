// `inspectsim plan`: how many records must an inspection sample? Sample sizes for a claim about
// the error rate (attribute sampling), for an interval of a given precision, and for detecting a
// change between two inspections. Pure functions: no randomness, no I/O; writers turn the results
// into table, CSV or JSON text.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "inspectsim/format.hpp"
#include "inspectsim/interval.hpp"

namespace inspectsim {

// No search looks beyond this many records per sample (nor beyond the population M).
inline constexpr std::int64_t plan_max_sample = 1'000'000;

// ---- Where a search looked -----------------------------------------------------------------------

// Precision and power are not monotone in n for discrete data (the sawtooth of exact methods), so
// "the smallest n" needs a rule. Every search here finds a size n_b where the criterion holds by
// doubling and bisection, then evaluates every size from `scanned_from` to n_b one by one and
// returns the smallest that meets the criterion. `scanned_from` is 1 whenever n_b <= full_scan_limit
// (then the answer is the smallest n of all); above that the window is the 20% of sizes below n_b.
struct SearchInfo {
  std::int64_t scanned_from = 1;
  std::int64_t scanned_to = 1;
  std::int64_t evaluations = 0;  // sizes evaluated in all
};

// Sizes whose search scans every n from 1 (see SearchInfo).
inline constexpr std::int64_t full_scan_limit = 2000;

// ---- plan claim ----------------------------------------------------------------------------------

// One point of an operating characteristic: P(the audit finds at most k wrong) when the true rate
// is `rate` (with a population M: when K = `count` of the M records are wrong, rate = K / M).
struct OcPoint {
  double rate = 0;
  std::optional<std::int64_t> count;
  double probability = 0;
};

struct ClaimRequest {
  // Plan mode: the claim "the error rate is below T". Absent: support mode (n given).
  std::optional<double> tolerable;
  std::int64_t allowed_errors = 0;  // k (plan mode), or the number found (support mode)
  std::optional<std::int64_t> n;    // support mode: the audit's sample size
  double confidence = 0.95;
  std::optional<std::int64_t> population;  // M: sampled without replacement from M records
};

struct ClaimResult {
  ClaimRequest request;
  std::int64_t n = 0;  // the sample size (planned, or as given)
  // The exact one-sided upper confidence bound on the rate when k of the n are wrong: Clopper-
  // Pearson, or with M the hypergeometric bound on K, as K / M (then `upper_count` is K).
  double upper = 1;
  std::optional<std::int64_t> upper_count;
  // Plan mode: the smallest count that breaks the claim (K_T = ceil(T M)) with M, and the risk of
  // wrongly supporting it: P(at most k wrong | rate T, or K = K_T), at most 1 - confidence.
  std::optional<std::int64_t> threshold_count;
  std::optional<double> risk;
  std::vector<OcPoint> oc;
};

// Plan mode (tolerable set): the smallest n such that finding at most k wrong supports the claim.
// Support mode (n set): what finding k wrong in n supports. Throws InputError naming the option.
ClaimResult plan_claim(const ClaimRequest& request);

// P(X <= k) for the audit's count: binomial(n, rate), or hypergeometric(K, n, M) with a population.
double claim_acceptance(std::int64_t k, std::int64_t n, double rate);
double claim_acceptance(std::int64_t k, std::int64_t n, std::int64_t K, std::int64_t M);

// "0 wrong in 20 supports: the error rate is below 13.9% (95% confidence)."
std::string claim_sentence(const ClaimResult& r);
std::string render_claim(const ClaimResult& r, Format format);

// ---- plan precision ------------------------------------------------------------------------------

enum class WidthCriterion { expected, assured };
std::string_view criterion_name(WidthCriterion c) noexcept;
WidthCriterion parse_criterion(std::string_view name);  // throws InputError

struct PrecisionRequest {
  double rate = 0.5;    // P, the anticipated true rate
  double margin = 0.1;  // H, the wanted half-width
  // The interval method; empty means the exact hypergeometric interval for K, as K / M (the
  // default with a population, and allowed only with one).
  std::optional<Method> method = Method::wilson;
  double confidence = 0.95;
  std::optional<std::int64_t> population;  // M
  WidthCriterion criterion = WidthCriterion::expected;
  double assurance = 0.8;  // A, for the assured criterion
};

// The half-width's distribution at one sample size.
struct WidthPoint {
  std::int64_t n = 0;
  double expected = 0;   // E[(U - L) / 2] over the count's distribution
  double assurance = 0;  // P((U - L) / 2 <= H)
  bool meets = false;    // the criterion holds at this n
};

struct PrecisionResult {
  PrecisionRequest request;
  std::optional<std::int64_t> true_count;  // with M: K = round(P M), the count the rate stands for
  std::int64_t n = 0;
  WidthPoint achieved;             // at n
  std::vector<WidthPoint> around;  // sizes around n (n - 5 ... n + 5, within range)
  SearchInfo search;
};

// The half-width's distribution at sample size n (validates like plan_precision).
WidthPoint width_at(const PrecisionRequest& request, std::int64_t n);
PrecisionResult plan_precision(const PrecisionRequest& request);
std::string render_precision(const PrecisionResult& r, Format format);

}  // namespace inspectsim
