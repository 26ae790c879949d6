// Numbers and labels as text: the one place every writer, report and message takes them from, so
// that a level, a share or a p-value reads the same in a table, a CSV, a chart and an error.
// Pure functions on values; no I/O.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace inspectsim::base {

// The shortest text that reads back as the same double ("0.95", "1e-09"); "nan"/"inf" spelt out
// only because callers must never pass them (writers print null or a note instead).
std::string format_number(double value);
// Fixed decimals: format_fixed(0.52941, 4) == "0.5294"; never "-0.0".
std::string format_fixed(double value, int decimals);
// A share as a percentage: format_percent(0.5294, 1) == "52.9%".
std::string format_percent(double share, int decimals = 1);
// A Monte Carlo estimate and its standard error, "value ± se", the SE to two significant digits and
// the value to the same decimal place, so a small SE never reads "± 0.000":
// value_se_text(0.98765, 0.00042) == "0.98765 ± 0.00042", value_se_text(0.4, 0.03) == "0.400 ± 0.030"
// (at least 0 and at most 15 decimals). An SE of 0 gives "value ± 0" and one that is not finite or
// negative "value ± -", the value to `decimals` places; a value that is not finite gives "-".
std::string value_se_text(double value, double se, int decimals = 3);

// A confidence or funnel level as a percentage: 0.95 -> "95%", 0.998 -> "99.8%", 1 - 0.95 -> "5%"
// (rounded to 10 decimals of a percent so that the noise of binary fractions never shows).
std::string level_text(double level);
// 1 - confidence as a number without the rounding noise of the subtraction: 0.95 -> "0.05".
std::string alpha_text(double confidence);
// A share as a percentage, "-" when it is not finite (or absent).
std::string share_text(double share, int decimals = 1);
std::string share_text(const std::optional<double>& share, int decimals = 1);
// "12.0% to 31.5%" (each end as share_text).
std::string share_range_text(double lower, double upper);
// A p-value: "<0.001", else three decimals; "-" when it is not finite.
std::string p_text(double p);

// Names from the input quoted for a message, the first `shown` of them: "'Kent', 'Avon'" or
// "'a', 'b', 'c' and 199997 more", so a message about a file with 200,000 names stays one short line.
inline constexpr std::size_t names_shown = 20;
std::string quoted_list(const std::vector<std::string>& names, std::size_t shown = names_shown);

}  // namespace inspectsim::base
