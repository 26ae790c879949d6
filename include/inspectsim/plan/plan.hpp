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

#include "inspectsim/base/names.hpp"
#include "inspectsim/simulate/simulate.hpp"
#include "inspectsim/stats/difference.hpp"
#include "inspectsim/stats/interval.hpp"

namespace inspectsim::plan {

// No search looks beyond this many records per sample (nor beyond the population M).
inline constexpr std::int64_t plan_max_sample = 1'000'000;

// ---- Where a search looked -----------------------------------------------------------------------

// Precision and power are not monotone in n for discrete data (the sawtooth of exact methods), so
// "the smallest n" needs a rule. Every search here finds a size n_b where the criterion holds by
// doubling and bisection, then evaluates every size from `scanned_from` to n_b one by one and
// returns the smallest that meets the criterion. `scanned_from` is the first size whenever n_b is at
// most the command's scan limit (then the answer is the smallest n of all: precision 2000, detect
// 100); above that the window is the 5% of sizes below n_b.
struct SearchInfo {
  std::int64_t scanned_from = 1;
  std::int64_t scanned_to = 1;
  std::int64_t evaluations = 0;  // sizes evaluated in all
};

// Answers up to these sizes come from a scan of every n from the first (see SearchInfo).
inline constexpr std::int64_t precision_scan_limit = 2000;
inline constexpr std::int64_t detect_scan_limit = 100;

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

// ---- plan precision ------------------------------------------------------------------------------

enum class WidthCriterion { expected, assured };
inline constexpr base::EnumName<WidthCriterion> criterion_names[] = {
    {WidthCriterion::expected, "expected"},
    {WidthCriterion::assured, "assured"},
};
constexpr std::span<const base::EnumName<WidthCriterion>> enum_names(WidthCriterion) {
  return criterion_names;
}
std::string_view criterion_name(WidthCriterion c) noexcept;
WidthCriterion parse_criterion(std::string_view name);  // throws InputError

struct PrecisionRequest {
  double rate = 0.5;    // P, the anticipated true rate
  double margin = 0.1;  // H, the wanted half-width
  // The interval method; empty means the exact hypergeometric interval for K, as K / M (the
  // default with a population, and allowed only with one).
  std::optional<stats::Method> method = stats::Method::wilson;
  double confidence = 0.95;
  std::optional<std::int64_t> population;  // M
  WidthCriterion criterion = WidthCriterion::expected;
  double assurance = 0.8;  // A, for the assured criterion
  // The exact hypergeometric interval is costly (two searches over K, each of hypergeometric tail
  // sums, for every count): with it, sizes are scanned only in the window below n_b (never from 1),
  // and the search stops with an InputError once it has needed more than this many steps (counts x
  // records x 2 log2 M); empty: 3e7, roughly 10 to 20 seconds' work.
  std::optional<std::int64_t> work_limit;
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

// ---- plan detect ---------------------------------------------------------------------------------

// The two-sided test that declares a change between two inspections at level alpha.
enum class DetectTest {
  fisher,              // Fisher's exact test, p <= alpha (difference.hpp: fisher_exact_p)
  newcombe,            // the 1 - alpha Newcombe hybrid score interval for p1 - p2 excludes 0
  miettinen_nurminen,  // the 1 - alpha Miettinen-Nurminen interval excludes 0
};
inline constexpr base::EnumName<DetectTest> detect_test_names[] = {
    {DetectTest::fisher, "fisher"},
    {DetectTest::newcombe, "newcombe"},
    {DetectTest::miettinen_nurminen, "miettinen-nurminen"},
};
constexpr std::span<const base::EnumName<DetectTest>> enum_names(DetectTest) { return detect_test_names; }
std::string_view detect_test_name(DetectTest t) noexcept;
DetectTest parse_detect_test(std::string_view name);  // throws InputError

struct DetectRequest {
  double from = 0.5;  // P1, the rate at the first inspection
  double to = 0.2;    // P2, the rate at the second
  double power = 0.8;
  double alpha = 0.05;
  DetectTest test = DetectTest::fisher;
  double ratio = 1;               // n2 = ceil(ratio n1)
  std::optional<std::int64_t> n;  // n1 given: report its power and detectable change instead
  // Steps of enumeration the request may take before it is refused as too large to compute exactly
  // (one per table, plus one per margin and record for Fisher's rejection regions); empty: the
  // default of a few seconds' work (3e8 for Fisher, 2e7 for the score intervals).
  std::optional<std::int64_t> work_limit;
};

struct PowerPoint {
  std::int64_t n1 = 0;
  std::int64_t n2 = 0;
  double power = 0;
};

struct DetectResult {
  DetectRequest request;
  std::int64_t n1 = 0;
  std::int64_t n2 = 0;
  double power = 0;                // at (from, to)
  std::vector<PowerPoint> around;  // n1 - 5 ... n1 + 5 (plan mode)
  // With --n: the rate closest to `from`, on the side of `to`, detected with the requested power
  // (bisection on the rate to 1e-6), or empty when no rate on that side is.
  std::optional<double> detectable;
  SearchInfo search;  // plan mode
};

// Does the test declare a change for x1 of n1 against x2 of n2?
bool detect_rejects(DetectTest test, double alpha, std::int64_t x1, std::int64_t n1, std::int64_t x2,
                    std::int64_t n2);
// Power = sum over x1, x2 of P(x1) P(x2) [the test rejects], x1 ~ binomial(n1, p1), x2 ~ binomial(n2,
// p2), leaving out at most 1e-14 of each binomial's mass in each tail.
double detect_power(DetectTest test, double alpha, double p1, std::int64_t n1, double p2, std::int64_t n2);
// n2 for a given n1: ceil(ratio n1), with ratio n1 rounded to 1e-9 first.
std::int64_t second_sample(double ratio, std::int64_t n1);

DetectResult plan_detect(const DetectRequest& request);

// ---- plan scenario -------------------------------------------------------------------------------

// What the simulated inspection must achieve: METRIC>=VALUE, where METRIC is p_correct_grade,
// coverage:METHOD (an interval method of the scenario) or power / power:I (the I-th comparison of
// the scenario, counting from 1, that involves the cell; plain `power` when there is one).
struct ScenarioTarget {
  enum class Metric { p_correct_grade, coverage, power };
  Metric metric = Metric::p_correct_grade;
  std::optional<stats::Method> method;    // coverage
  std::optional<std::size_t> comparison;  // power:I (1-based)
  double value = 0;
  std::string text;  // as given
};
ScenarioTarget parse_scenario_target(std::string_view text);  // throws InputError naming --target

// One simulated candidate size. The metric is the smallest over the cell's points (every swept
// point of the cell must meet the target).
struct ScenarioStep {
  std::int64_t sample = 0;
  simulate::Estimate estimate;  // simulated, with its Monte Carlo standard error
  std::optional<double> exact;  // where the engine can enumerate it
  std::int64_t replicates = 0;  // replicates used (more near the target; see plan_scenario)
  bool meets = false;           // estimate >= target
};

struct ScenarioPlan {
  std::string cell;
  ScenarioTarget target;
  std::string source_path;
  std::string source_sha256;
  std::uint64_t seed = 0;
  std::int64_t replicates = 0;        // base replicates per candidate
  std::int64_t sample = 0;            // the answer
  ScenarioStep at;                    // the answer's step
  std::optional<ScenarioStep> below;  // sample - 1, when evaluated
  std::vector<ScenarioStep> steps;    // every candidate, in the order simulated
  SearchInfo search;
};

// The smallest `sample` for the cell ("force/category") at which the simulated metric meets the
// target, searched like the other plans (doubling, bisection, then every size from 1 for answers up
// to 20, else the 5% below) with the same seed for every candidate (common random numbers). A
// candidate whose estimate lies within 2 standard errors of the target is simulated again with 4
// and then 16 times the replicates before it is decided. Only the cell's points and the comparison
// partners are simulated. Throws InputError for an unknown cell or metric, or an unreachable target.
// With a checkpoint path the candidates simulated so far are kept in it (every interval, and when
// interrupted), and a search started again with the same input resumes after them, ending with the
// same result; a checkpoint of another search is refused. With a team of ranks, every rank calls
// it alike and the ranks share each candidate's blocks; rank 0 keeps the checkpoint.
ScenarioPlan plan_scenario(const simulate::SimulationSpec& spec, std::string_view cell,
                           const ScenarioTarget& target, const simulate::RunOptions& options = {},
                           const simulate::Checkpoint& checkpoint = {});

}  // namespace inspectsim::plan
