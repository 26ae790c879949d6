#include "inspectsim/base/text.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>

namespace inspectsim::base {

std::string format_number(double value) {
  std::array<char, 64> buf{};
  const auto [ptr, ec] = std::to_chars(buf.data(), buf.data() + buf.size(), value);
  return ec == std::errc() ? std::string(buf.data(), ptr) : std::string("?");
}

std::string format_fixed(double value, int decimals) {
  std::array<char, 64> buf{};
  const auto [ptr, ec] =
      std::to_chars(buf.data(), buf.data() + buf.size(), value, std::chars_format::fixed, decimals);
  std::string out = ec == std::errc() ? std::string(buf.data(), ptr) : std::string("?");
  // "-0.0" reads as a negative value in a table; print it as zero.
  if (out.starts_with('-') && out.find_first_not_of("-0.") == std::string::npos) out.erase(0, 1);
  return out;
}

std::string format_percent(double share, int decimals) { return format_fixed(100 * share, decimals) + "%"; }

std::string value_se_text(double value, double se, int decimals) {
  if (!std::isfinite(value)) return "-";
  if (!std::isfinite(se) || se < 0) return format_fixed(value, decimals) + " ± -";
  if (se == 0) return format_fixed(value, decimals) + " ± 0";
  // Two significant digits: 1 - floor(log10 se) decimals, one fewer where the SE rounds up to three
  // digits (0.0996 -> "0.10", not "0.100"); judged on the printed SE, so the two always agree.
  int d = std::clamp(1 - static_cast<int>(std::floor(std::log10(se))), 0, 15);
  const std::string printed = format_fixed(se, d);
  double rounded = 0;
  std::from_chars(printed.data(), printed.data() + printed.size(), rounded);
  if (d > 0 && rounded * std::pow(10.0, d) >= 99.5) --d;
  return format_fixed(value, d) + " ± " + format_fixed(se, d);
}

std::string level_text(double level) { return format_number(std::round(100 * level * 1e10) / 1e10) + "%"; }

std::string alpha_text(double confidence) {
  return format_number(std::round((1 - confidence) * 1e12) / 1e12);
}

std::string share_text(double share, int decimals) {
  return std::isfinite(share) ? format_percent(share, decimals) : "-";
}

std::string share_text(const std::optional<double>& share, int decimals) {
  return share ? share_text(*share, decimals) : "-";
}

std::string share_range_text(double lower, double upper) {
  return share_text(lower) + " to " + share_text(upper);
}

std::string p_text(double p) { return !std::isfinite(p) ? "-" : p < 0.001 ? "<0.001" : format_fixed(p, 3); }

std::string quoted_list(const std::vector<std::string>& names, std::size_t shown) {
  std::string out;
  for (std::size_t i = 0; i < names.size() && i < shown; ++i) out += (i == 0 ? "'" : ", '") + names[i] + "'";
  if (names.size() > shown) out += " and " + std::to_string(names.size() - shown) + " more";
  return out;
}

}  // namespace inspectsim::base
