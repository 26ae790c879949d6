// Funnel plots for comparing institutions (Spiegelhalter 2005, "Funnel plots for comparing
// institutional performance", Statistics in Medicine 24:1185-1202): the pooled rate of a group as
// the target, control limits around it for every sample size, and optional allowance for
// overdispersion. Pure functions: no randomness, no I/O.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "inspectsim/base/names.hpp"

namespace inspectsim::stats {

// X records wrong out of N sampled.
struct Count {
  std::int64_t x = 0;
  std::int64_t n = 0;
};

enum class Overdispersion {
  none,            // exact binomial limits
  multiplicative,  // variance x phi, phi from winsorised z-scores (Spiegelhalter 2005, sec. 3.4.1)
  additive,        // random effect: DerSimonian-Laird tau^2 on the logit scale (sec. 3.4.2)
};
inline constexpr base::EnumName<Overdispersion> overdispersion_names[] = {
    {Overdispersion::none, "none"},
    {Overdispersion::multiplicative, "multiplicative"},
    {Overdispersion::additive, "additive"},
};
constexpr std::span<const base::EnumName<Overdispersion>> enum_names(Overdispersion) {
  return overdispersion_names;
}
std::string_view overdispersion_name(Overdispersion o) noexcept;
Overdispersion parse_overdispersion(std::string_view name);  // throws InputError

// The exact binomial limit for cumulative probability `p` (e.g. 0.025 or 0.975) at target rate
// `target` and sample size n, interpolated for discreteness (Spiegelhalter 2005, appendix A.1.1):
// r = the smallest count with F(r) >= p under Binomial(n, target),
// alpha = (F(r) - p) / (F(r) - F(r - 1)), limit = (r - alpha) / n, clipped to [0, 1].
double binomial_control_limit(double target, std::int64_t n, double p);

// The target and overdispersion of one group, fitted from its rows.
struct FunnelModel {
  double target = 0;  // pooled rate: sum X / sum N
  Overdispersion kind = Overdispersion::none;
  double phi = 1;        // multiplicative: winsorised mean of squared z-scores (reported even if < 1)
  double tau2 = 0;       // additive: between-unit variance of the log-odds
  bool widened = false;  // limits widened (phi > 1, or tau^2 > 0)
};

// Fits the model. Multiplicative: z_i = (y_i - t) / sqrt(t(1-t)/n_i), winsorised by replacing the
// floor(0.1 I) smallest and largest by their nearest remaining neighbours (Spiegelhalter 2005,
// sec. 6.2, 10% winsorising), phi = mean of z_i^2. Additive: DerSimonian and Laird (1986),
// Controlled Clinical Trials 7:177-188, on y_i = log((x_i + 1/2)/(n_i - x_i + 1/2)) with
// variance 1/(x_i + 1/2) + 1/(n_i - x_i + 1/2). Needs at least one row with n >= 1.
FunnelModel fit_funnel(std::span<const Count> rows, Overdispersion kind);

struct FunnelLimits {
  double lower = 0;
  double upper = 1;
};

// Two-sided limits at `level` (e.g. 0.95, 0.998) for sample size n. Without widening: exact
// binomial limits at (1 - level)/2 and (1 + level)/2. Multiplicative with phi > 1:
// t -+ z sqrt(phi t(1-t)/n); additive with tau^2 > 0: expit(logit t -+ z sqrt(1/(n t(1-t)) + tau^2))
// (Spiegelhalter 2005, sec. 3.4). Clipped to [0, 1].
FunnelLimits funnel_limits(const FunnelModel& model, std::int64_t n, double level);

enum class FunnelFlag { below, within, above };
inline constexpr base::EnumName<FunnelFlag> funnel_flag_names[] = {
    {FunnelFlag::below, "below"},
    {FunnelFlag::within, "within"},
    {FunnelFlag::above, "above"},
};
constexpr std::span<const base::EnumName<FunnelFlag>> enum_names(FunnelFlag) { return funnel_flag_names; }
std::string_view funnel_flag_name(FunnelFlag f) noexcept;  // "below", "within", "above"
// Above when X/N > upper, below when X/N < lower.
FunnelFlag funnel_flag(Count c, const FunnelLimits& limits);

}  // namespace inspectsim::stats
