#include "inspectsim/error.hpp"

#include <cstdio>
#include <utility>

namespace inspectsim {

std::string printable(const std::string& message) {
  std::string out;
  out.reserve(message.size());
  for (const char c : message) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte >= 0x20 && byte != 0x7F) {
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\t') {
      out += "\\t";
    } else {
      char hex[8];
      std::snprintf(hex, sizeof hex, "\\x%02X", static_cast<unsigned>(byte));
      out += hex;
    }
  }
  return out;
}

InputError::InputError(const std::string& message) : Error(printable(message)) {}

namespace {
std::vector<std::string> printable_lines(std::vector<std::string> lines) {
  for (auto& line : lines) line = printable(line);
  return lines;
}
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
    : InputErrors(Lines{}, printable_lines(std::move(problems))) {}

// Each problem made printable once, then joined for what().
InputErrors::InputErrors(Lines, std::vector<std::string> printable_problems)
    : InputError(Lines{}, join_lines(printable_problems)), problems_(std::move(printable_problems)) {}

}  // namespace inspectsim
