#include "inspectsim/error.hpp"

#include <utility>

namespace inspectsim {

namespace {
std::string join_lines(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& line : lines) {
    if (!out.empty()) out += '\n';
    out += line;
  }
  return out;
}
}  // namespace

InputErrors::InputErrors(std::vector<std::string> problems)
    : InputError(join_lines(problems)), problems_(std::move(problems)) {}

}  // namespace inspectsim
