// Confidence intervals for a single proportion: X wrong records out of N sampled.
//
// Pure functions: no randomness, no I/O. Every method cites its source beside its code in
// sim/interval.cpp. Bounds are clipped to [0, 1]; a method that is undefined for the data (logit at
// X = 0 or X = N) returns an Interval with defined == false and a note saying why.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "inspectsim/base/names.hpp"

namespace inspectsim::stats {

enum class Method {
  wald,              // simple asymptotic (Newcombe 1998, method 1)
  wald_cc,           // Wald with continuity correction (Newcombe 1998, method 2)
  wilson,            // score interval (Wilson 1927; Newcombe 1998, method 3)
  wilson_cc,         // score interval with continuity correction (Newcombe 1998, method 4)
  agresti_coull,     // "add z^2/2 successes and failures" (Agresti and Coull 1998)
  jeffreys,          // equal-tailed Beta(X+1/2, N-X+1/2) (Brown, Cai and DasGupta 2001)
  clopper_pearson,   // exact, inverts two binomial tails (Clopper and Pearson 1934)
  mid_p,             // mid-p exact (Newcombe 1998, method 6)
  likelihood_ratio,  // inverts the likelihood-ratio test (Newcombe 1998, method 7)
  logit,             // Wald on the log-odds scale (Brown, Cai and DasGupta 2001, sec. 4.2)
};
inline constexpr base::EnumName<Method> method_names[] = {
    {Method::wald, "wald"},
    {Method::wald_cc, "wald-cc"},
    {Method::wilson, "wilson"},
    {Method::wilson_cc, "wilson-cc"},
    {Method::agresti_coull, "agresti-coull"},
    {Method::jeffreys, "jeffreys"},
    {Method::clopper_pearson, "clopper-pearson"},
    {Method::mid_p, "mid-p"},
    {Method::likelihood_ratio, "likelihood-ratio"},
    {Method::logit, "logit"},
};
constexpr std::span<const base::EnumName<Method>> enum_names(Method) { return method_names; }

// Which bounds are wanted. `upper` gives the one-sided statement "the rate is at most U" at the
// stated confidence, i.e. [0, U]; `lower` gives [L, 1].
enum class Side { two_sided, upper, lower };
inline constexpr base::EnumName<Side> side_names[] = {
    {Side::two_sided, "two-sided"},
    {Side::upper, "upper"},
    {Side::lower, "lower"},
};
constexpr std::span<const base::EnumName<Side>> enum_names(Side) { return side_names; }

struct Interval {
  double lower = 0.0;
  double upper = 1.0;
  bool defined = true;  // false: the method gives no interval for these data; see note
  std::string note;     // why it is undefined, or empty
};

// Every method, in the order of the enum (the order outputs list them in).
std::span<const Method> all_methods() noexcept;

// The method's name as used on the command line and in scenario files ("clopper-pearson").
std::string_view method_name(Method method) noexcept;
// A readable label for tables and sentences ("Clopper-Pearson").
std::string_view method_label(Method method) noexcept;

// Parses one method name; throws InputError naming the value and the allowed names.
Method parse_method(std::string_view name);
// Parses a comma-separated list of names, or "all". Rejects empty lists and duplicates.
std::vector<Method> parse_methods(std::string_view list);

std::string_view side_name(Side side) noexcept;
Side parse_side(std::string_view name);

// The interval for X wrong out of N at the given confidence (0 < confidence < 1).
// Requires 0 <= x <= n, n >= 1; throws InputError otherwise.
Interval proportion_interval(Method method, std::int64_t x, std::int64_t n, double confidence,
                             Side side = Side::two_sided);

// The exact interval for K, the number of wrong records among a finite population of M, when a
// sample of N drawn without replacement held X wrong ones (the hypergeometric analogue of
// Clopper-Pearson; Wendell and Schmee 2001, JASA 96:1017-1025; Cochran 1977, sec. 3.4).
// K is in the interval when neither one-sided tail P(X' >= x | K), P(X' <= x | K) is at most
// alpha/2 (alpha for a one-sided interval). Requires 0 <= x <= n <= M <= max_population (2^31 - 1).
struct CountInterval {
  std::int64_t lower = 0;
  std::int64_t upper = 0;
};
CountInterval hypergeometric_interval(std::int64_t x, std::int64_t n, std::int64_t population,
                                      double confidence, Side side = Side::two_sided);

// The largest population the exact hypergeometric computations accept: Boost.Math 1.74's
// hypergeometric distribution checks its support with casts to int, so M must stay below 2^31.
inline constexpr std::int64_t max_population = 2147483647;

}  // namespace inspectsim::stats
