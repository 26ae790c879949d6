#include "common.hpp"

#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <string>

#include "inspectsim/error.hpp"
#include "inspectsim/io.hpp"

namespace inspectsim::cli {

namespace {
std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}
}  // namespace

std::int64_t parse_integer(std::string_view what, std::string_view text, std::int64_t min, std::int64_t max) {
  const std::string_view t = trim(text);
  std::int64_t v = 0;
  const char* end = t.data() + t.size();
  const auto [ptr, ec] = std::from_chars(t.data() + (t.starts_with('+') ? 1 : 0), end, v);
  const std::string range = "a whole number from " + std::to_string(min) + " to " + std::to_string(max);
  if (t.empty() || ptr != end || ec == std::errc::invalid_argument)
    throw InputError(std::string(what) + " is '" + std::string(text) + "', but must be " + range);
  if (ec == std::errc::result_out_of_range || v < min || v > max)
    throw InputError(std::string(what) + " is " + std::string(t) + ", but must be " + range);
  return v;
}

double parse_real(std::string_view what, std::string_view text) {
  const std::string_view t = trim(text);
  double v = 0;
  const char* end = t.data() + t.size();
  const auto [ptr, ec] = std::from_chars(t.data() + (t.starts_with('+') ? 1 : 0), end, v);
  if (t.empty() || ptr != end || ec != std::errc() || !std::isfinite(v))
    throw InputError(std::string(what) + " is '" + std::string(text) + "', but must be a finite number");
  return v;
}

double parse_open_unit(std::string_view what, std::string_view text) {
  const double v = parse_real(what, text);
  if (!(v > 0 && v < 1))
    throw InputError(std::string(what) + " is " + std::string(trim(text)) +
                     ", but must be strictly between 0 and 1");
  return v;
}

void emit(std::string_view text, const std::string& path) {
  if (!path.empty() && path != "-") {
    write_file_atomically(path, text);
    return;
  }
  errno = 0;
  const std::size_t wrote = std::fwrite(text.data(), 1, text.size(), stdout);
  if (wrote != text.size() || std::fflush(stdout) != 0)
    throw InputError(std::string("cannot write to standard output: ") + std::strerror(errno));
}

void add_format_option(CLI::App& sub, std::string& target) {
  sub.add_option("--format", target, "Output format: table, csv or json")
      ->default_val("table")
      ->check(CLI::IsMember({"table", "csv", "json"}));
}

}  // namespace inspectsim::cli
