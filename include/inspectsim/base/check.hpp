// Argument checks, in the shape of Stan Math's prim/err/check_*.hpp: each takes the field it checks
// (a request member such as "confidence", named as base::field names it) and the value, and throws
// InputError saying the field, the value and what is allowed. Front ends spell the field their own
// way (the CLI: --confidence).
#pragma once

#include <cstdint>
#include <string_view>

namespace inspectsim::base {

// "<field> is V, but must be strictly between 0 and 1" unless 0 < value < 1.
void check_open_unit(std::string_view field, double value);
// "<field> is V, but must be between 0 and 1" unless 0 <= value <= 1.
void check_unit_interval(std::string_view field, double value);
// "<field> is V, but must be a positive number" unless value > 0 (and finite).
void check_positive(std::string_view field, double value);
// "<field> is V, but must be a whole number from MIN to MAX" unless min <= value <= max.
void check_whole(std::string_view field, std::int64_t value, std::int64_t min, std::int64_t max);

}  // namespace inspectsim::base
