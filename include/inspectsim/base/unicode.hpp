// Code points that are unsafe in what other people read: the one place that knows which characters
// drive a terminal, reorder a line or break an XML document. Used by the terminal escaping
// (printable, error.hpp), the input check (require_text, io.hpp) and the XML escaping of SVG
// and HTML (svg::xml_escape). Pure functions; no I/O.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace inspectsim::base {

// One UTF-8 sequence decoded from text[i]: its code point and length in bytes; length 0 when the
// bytes there are not UTF-8 (RFC 3629, sec. 4: overlong forms, surrogates, code points above
// U+10FFFF and truncated sequences are all refused).
struct Utf8Char {
  char32_t code = 0;
  std::size_t length = 0;
};
Utf8Char decode_utf8(std::string_view text, std::size_t i) noexcept;

// C0 (U+0000-U+001F), DEL and C1 (U+0080-U+009F) controls: ECMA-48 gives them meaning on a
// terminal (ESC and CSI U+009B start escape sequences, CR and BS overwrite what was printed).
bool is_control(char32_t code) noexcept;

// The explicit bidirectional formatting characters of Unicode Standard Annex #9 (The Bidirectional
// Algorithm), sec. 2: embeddings and overrides U+202A-U+202E, isolates U+2066-U+2069, and the
// marks U+200E, U+200F, U+061C. A U+202E in a name reverses the rest of its line, figures
// included ("Trojan Source", Boucher and Anderson 2021, CVE-2021-42574).
bool is_bidi_control(char32_t code) noexcept;

// Noncharacters (Unicode Standard, sec. 23.7: U+FDD0-U+FDEF and the last two code points of
// every plane, U+FFFE, U+FFFF, U+1FFFE ...). XML 1.0's production [2] Char excludes U+FFFE and
// U+FFFF, so one of them in a name makes an SVG ill-formed.
bool is_noncharacter(char32_t code) noexcept;

// "U+202E": how messages and escapes name a code point.
std::string code_point_name(char32_t code);

}  // namespace inspectsim::base
