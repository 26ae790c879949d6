// Reading CSV text (RFC 4180) into records that remember where they came from, so that every
// problem found later can be reported as `file:line: column: problem`. No I/O: the caller reads the
// file (io.hpp) and passes its text.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace inspectsim::base {

struct CsvRecord {
  std::size_t line = 0;  // 1-based line on which the record starts
  std::vector<std::string> fields;
};

// Splits `text` into records per RFC 4180: fields separated by commas; a field in double quotes
// may hold commas, line breaks and doubled quotes (""); records end in LF, CRLF or CR (a final line
// break is optional). A UTF-8 byte-order mark at the start is skipped. Unquoted fields keep their
// text as written except that surrounding spaces and tabs are dropped. Blank lines, and lines
// whose fields are all empty (",,,"), give no record. Throws InputError naming `path` and the line
// for an unterminated quote, text after a closing quote, or a quote inside an unquoted field, and
// with the line and column for text that is not UTF-8 or holds a NUL byte (require_text, io.hpp).
std::vector<CsvRecord> parse_csv(std::string_view text, const std::string& path);

// Reading a field: a whole number ("17", "+17"; nullopt for "17.0", "", "1e3" or out of range), a
// finite number ("0.5", "1e-3", "+2"; nullopt otherwise), and a header's name in ASCII lower case
// (column names are case-insensitive).
std::optional<std::int64_t> field_whole_number(std::string_view field);
std::optional<double> field_number(std::string_view field);
std::string ascii_lower(std::string_view name);

}  // namespace inspectsim::base
