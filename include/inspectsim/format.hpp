// Turning values into text: numbers, percentages, aligned text tables and CSV.
// Shared by every writer (assess, simulate, compare, plan); no I/O here, only strings.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace inspectsim {

// The shortest text that reads back as the same double ("0.95", "1e-09"); "nan"/"inf" spelt out
// only because callers must never pass them (writers print null or a note instead).
std::string format_number(double value);
// Fixed decimals: format_fixed(0.52941, 4) == "0.5294".
std::string format_fixed(double value, int decimals);
// A share as a percentage: format_percent(0.5294, 1) == "52.9%".
std::string format_percent(double share, int decimals = 1);

enum class Align { left, right };

// A table of already-formatted cells. Text output pads columns; CSV output quotes per RFC 4180.
struct Table {
  std::vector<std::string> header;
  std::vector<Align> align;  // one per column; missing entries are right-aligned
  std::vector<std::vector<std::string>> rows;

  void add_row(std::vector<std::string> row) { rows.push_back(std::move(row)); }
};

// Columns padded to their widest cell, separated by two spaces, with a rule under the header.
std::string render_text(const Table& table);
// RFC 4180: fields with comma, quote, CR or LF are quoted, quotes doubled; lines end in "\n".
std::string render_csv(const Table& table);
std::string csv_field(std::string_view field);

// Output formats every command offers.
enum class Format { table, csv, json };
Format parse_format(std::string_view name);
std::string_view format_name(Format format) noexcept;

}  // namespace inspectsim
