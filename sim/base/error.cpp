#include "inspectsim/base/error.hpp"

#include <cstdio>
#include <utility>

namespace inspectsim::base {

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

Message::Message(std::string text) {
  if (!text.empty()) parts_.push_back({false, std::move(text)});
}

Message field(std::string name) {
  Message m;
  m.parts_.push_back({true, std::move(name)});
  return m;
}

Message& Message::operator+=(const Message& more) {
  for (const Part& p : more.parts_) {
    if (!p.is_field && !parts_.empty() && !parts_.back().is_field)
      parts_.back().text += p.text;
    else
      parts_.push_back(p);
  }
  return *this;
}

std::string Message::spelled(const Spelling& spell) const {
  std::string out;
  for (const Part& p : parts_) out += p.is_field ? spell(p.text) : p.text;
  return out;
}

std::string Message::plain() const {
  return spelled([](std::string_view name) { return std::string(name); });
}

std::string Message::first_field() const {
  for (const Part& p : parts_)
    if (p.is_field) return p.text;
  return "";
}

InputError::InputError(Message message) : Error(printable(message.plain())), message_(std::move(message)) {}

std::string InputError::spelled(const Message::Spelling& spell) const {
  // Errors built from already printable lines (InputErrors) hold no message parts.
  if (message_.first_field().empty()) return what();
  return printable(message_.spelled(spell));
}

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

}  // namespace inspectsim::base
