// Comparing two proportions X1/N1 and X2/N2: intervals for the difference p1 - p2 and Fisher's
// exact test. Pure functions: no randomness, no I/O.
#pragma once

#include <cstdint>
#include <string_view>

#include "inspectsim/base/names.hpp"
#include "inspectsim/stats/interval.hpp"

namespace inspectsim::stats {

enum class DiffMethod {
  newcombe,            // hybrid score interval, Newcombe (1998b) method 10 (default)
  miettinen_nurminen,  // score interval inverting the MN test, Miettinen and Nurminen (1985)
  agresti_caffo,       // add one success and one failure to each group, Agresti and Caffo (2000)
  wald,                // simple asymptotic, Newcombe (1998b) method 1
};
inline constexpr base::EnumName<DiffMethod> diff_method_names[] = {
    {DiffMethod::newcombe, "newcombe"},
    {DiffMethod::miettinen_nurminen, "miettinen-nurminen"},
    {DiffMethod::agresti_caffo, "agresti-caffo"},
    {DiffMethod::wald, "wald"},
};
constexpr std::span<const base::EnumName<DiffMethod>> enum_names(DiffMethod) { return diff_method_names; }

std::string_view diff_method_name(DiffMethod method) noexcept;  // "newcombe", "miettinen-nurminen"...
DiffMethod parse_diff_method(std::string_view name);            // throws InputError

// Two-sided interval for p1 - p2 at the given confidence, clipped to [-1, 1].
// Requires 0 <= x1 <= n1, 0 <= x2 <= n2, n1, n2 >= 1; throws InputError otherwise.
Interval difference_interval(DiffMethod method, std::int64_t x1, std::int64_t n1, std::int64_t x2,
                             std::int64_t n2, double confidence);

// Fisher's exact test, two-sided p-value: the sum of the probabilities of all tables with the
// same margins that are no more probable than the observed one (with a relative tolerance of
// 1e-7, as R's fisher.test).
double fisher_exact_p(std::int64_t x1, std::int64_t n1, std::int64_t x2, std::int64_t n2);

}  // namespace inspectsim::stats
