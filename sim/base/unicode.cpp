#include "inspectsim/base/unicode.hpp"

#include <cstdio>

namespace inspectsim::base {

// RFC 3629, sec. 4: the length of the sequence from its first byte, and the range of its second
// byte (which excludes overlong forms, surrogates and code points above U+10FFFF).
Utf8Char decode_utf8(std::string_view text, std::size_t i) noexcept {
  if (i >= text.size()) return {};
  const auto b = static_cast<unsigned char>(text[i]);
  if (b < 0x80) return {b, 1};
  std::size_t length = 0;
  unsigned char lo = 0x80, hi = 0xBF;
  char32_t code = 0;
  if (b >= 0xC2 && b <= 0xDF)
    length = 2, code = b & 0x1F;
  else if (b == 0xE0)
    length = 3, lo = 0xA0, code = b & 0x0F;
  else if (b == 0xED)
    length = 3, hi = 0x9F, code = b & 0x0F;
  else if (b >= 0xE1 && b <= 0xEF)
    length = 3, code = b & 0x0F;
  else if (b == 0xF0)
    length = 4, lo = 0x90, code = b & 0x07;
  else if (b >= 0xF1 && b <= 0xF3)
    length = 4, code = b & 0x07;
  else if (b == 0xF4)
    length = 4, hi = 0x8F, code = b & 0x07;
  else
    return {};
  if (i + length > text.size()) return {};
  for (std::size_t k = 1; k < length; ++k) {
    const auto c = static_cast<unsigned char>(text[i + k]);
    if (k == 1 ? (c < lo || c > hi) : (c < 0x80 || c > 0xBF)) return {};
    code = (code << 6) | (c & 0x3F);
  }
  return {code, length};
}

bool is_control(char32_t code) noexcept { return code < 0x20 || (code >= 0x7F && code <= 0x9F); }

bool is_bidi_control(char32_t code) noexcept {
  return (code >= 0x202A && code <= 0x202E) || (code >= 0x2066 && code <= 0x2069) || code == 0x200E ||
         code == 0x200F || code == 0x061C;
}

bool is_noncharacter(char32_t code) noexcept {
  return (code >= 0xFDD0 && code <= 0xFDEF) || (code & 0xFFFE) == 0xFFFE;
}

std::string code_point_name(char32_t code) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "U+%04X", static_cast<unsigned>(code));
  return buffer;
}

}  // namespace inspectsim::base
