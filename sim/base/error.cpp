#include "inspectsim/base/error.hpp"

#include <utility>
#include "inspectsim/base/unicode.hpp"

namespace inspectsim::base {

// Bytes a terminal would act on are shown as escapes instead: C0 controls and DEL as \xHH (\n, \r,
// \t by name), C1 controls (U+009B is CSI) and bidirectional controls as \uHHHH, and bytes that
// are not UTF-8 (a lone 0x9B is CSI to a Latin-1 terminal) as \xHH. Everything else is kept.
std::string printable(const std::string& message) {
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(message.size());
  auto escape_byte = [&](unsigned char byte) {
    out += "\\x";
    out += hex[byte >> 4];
    out += hex[byte & 0xF];
  };
  for (std::size_t i = 0; i < message.size();) {
    const auto byte = static_cast<unsigned char>(message[i]);
    if (byte >= 0x20 && byte < 0x7F) {
      out += message[i++];
      continue;
    }
    if (byte < 0x80) {
      if (byte == '\n')
        out += "\\n";
      else if (byte == '\r')
        out += "\\r";
      else if (byte == '\t')
        out += "\\t";
      else
        escape_byte(byte);
      ++i;
      continue;
    }
    const Utf8Char c = decode_utf8(message, i);
    if (c.length == 0) {
      escape_byte(byte);
      ++i;
    } else if (is_control(c.code) || is_bidi_control(c.code)) {
      out += "\\u";
      for (int shift = 12; shift >= 0; shift -= 4) out += hex[(c.code >> shift) & 0xF];
      i += c.length;
    } else {
      out.append(message, i, c.length);
      i += c.length;
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

namespace {
// The first max_problems problems, and a last line saying how many more there were: a header of
// 300,000 repeated columns gives a screenful, not 150,000 lines.
std::vector<std::string> first_problems(std::vector<std::string> problems) {
  if (problems.size() > max_problems) {
    const std::size_t more = problems.size() - max_problems;
    problems.resize(max_problems);
    problems.push_back("... and " + std::to_string(more) + " more problems of the same input");
  }
  return problems;
}
}  // namespace

InputErrors::InputErrors(std::vector<std::string> problems)
    : InputErrors(Lines{}, printable_lines(first_problems(std::move(problems)))) {}

// Each problem made printable once, then joined for what().
InputErrors::InputErrors(Lines, std::vector<std::string> printable_problems)
    : InputError(Lines{}, join_lines(printable_problems)), problems_(std::move(printable_problems)) {}

}  // namespace inspectsim::base
