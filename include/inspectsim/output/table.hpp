// Text tables and CSV, and the output formats every command offers.
// Shared by every writer (assess, simulate, compare, plan); no I/O here, only strings.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "inspectsim/base/names.hpp"
#include "inspectsim/base/text.hpp"

namespace inspectsim::output {

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
inline constexpr base::EnumName<Format> format_names[] = {
    {Format::table, "table"},
    {Format::csv, "csv"},
    {Format::json, "json"},
};
constexpr std::span<const base::EnumName<Format>> enum_names(Format) { return format_names; }
Format parse_format(std::string_view name);

// The one dispatch from a format to its writer: each command's render_* gives its three writers.
template <class T>
struct Writers {
  std::function<std::string(const T&)> table;
  std::function<std::string(const T&)> csv;
  std::function<std::string(const T&)> json;
};
template <class T>
std::string render(const T& value, Format format, const Writers<T>& writers) {
  switch (format) {
    case Format::table: return writers.table(value);
    case Format::csv: return writers.csv(value);
    case Format::json: return writers.json(value);
  }
  return {};
}
std::string_view format_name(Format format) noexcept;

}  // namespace inspectsim::output
