// Names of enumerated choices: one table per enum, and one way to name a value, parse a name,
// list the allowed names and suggest the closest ("did you mean"), so every choice reads alike in a
// message whichever front end or file it came from.
//
// An enum takes part by declaring its table beside itself, found by argument-dependent lookup:
//   enum class Side { two_sided, upper, lower };
//   inline constexpr base::EnumName<Side> side_names[] = {{Side::two_sided, "two-sided"}, ...};
//   constexpr std::span<const base::EnumName<Side>> enum_names(Side) { return side_names; }
// then base::name_of(Side::upper) == "upper" and base::parse_name<Side>("side", "uper") throws
// InputError "side is 'uper', but must be two-sided, upper or lower; did you mean 'upper'?".
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "inspectsim/base/error.hpp"

namespace inspectsim::base {

template <class E>
struct EnumName {
  E value;
  std::string_view name;
};

// The closest of `candidates` to `name` within a few edits (1 for names of up to 4 characters, 2
// up to 8, else 3), by optimal string alignment distance; "" when none is that close.
std::string closest_name(std::string_view name, std::span<const std::string_view> candidates);
std::string closest_name(std::string_view name, const std::vector<std::string>& candidates);

// "a, b or c" (names holding a comma or a space are quoted: 'inspection,category').
std::string allowed_list(std::span<const std::string_view> names, std::string_view last = " or ");
// "; did you mean 'b'?" when a candidate is close to `name`, else "".
std::string did_you_mean(std::string_view name, std::span<const std::string_view> candidates);

template <class E>
std::vector<std::string_view> names_of() {
  std::vector<std::string_view> out;
  for (const auto& e : enum_names(E{})) out.push_back(e.name);
  return out;
}

template <class E>
std::string_view name_of(E value) noexcept {
  for (const auto& e : enum_names(E{}))
    if (e.value == value) return e.name;
  return "?";
}

// The value named `text`, or InputError "<subject> is '<text>', but must be <allowed>[; did you
// mean '<closest>'?]". `subject` is the field (base::field("side")) or a plain description.
template <class E>
E parse_name(const Message& subject, std::string_view text) {
  for (const auto& e : enum_names(E{}))
    if (e.name == text) return e.value;
  const std::vector<std::string_view> names = names_of<E>();
  throw InputError(subject + " is '" + std::string(text) + "', but must be " + allowed_list(names) +
                   did_you_mean(text, names));
}

}  // namespace inspectsim::base
