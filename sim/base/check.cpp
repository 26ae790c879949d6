#include "inspectsim/base/check.hpp"

#include <cmath>
#include <string>

#include "inspectsim/base/error.hpp"
#include "inspectsim/base/text.hpp"

namespace inspectsim::base {

namespace {
[[noreturn]] void refuse(std::string_view name, const std::string& value, const std::string& allowed) {
  throw InputError(field(std::string(name)) + " is " + value + ", but must be " + allowed);
}
}  // namespace

void check_open_unit(std::string_view name, double value) {
  if (!(value > 0 && value < 1)) refuse(name, format_number(value), "strictly between 0 and 1");
}

void check_unit_interval(std::string_view name, double value) {
  if (!(value >= 0 && value <= 1)) refuse(name, format_number(value), "between 0 and 1");
}

void check_positive(std::string_view name, double value) {
  if (!(value > 0 && std::isfinite(value))) refuse(name, format_number(value), "a positive number");
}

void check_whole(std::string_view name, std::int64_t value, std::int64_t min, std::int64_t max) {
  if (value < min || value > max)
    refuse(name, std::to_string(value),
           "a whole number from " + std::to_string(min) + " to " + std::to_string(max));
}

}  // namespace inspectsim::base
