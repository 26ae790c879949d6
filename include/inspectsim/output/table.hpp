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

// Columns padded to their widest cell (up to 60 characters: a longer cell is printed whole without
// widening its column), separated by two spaces, with a rule under the header.
// Control and bidirectional characters in cells are shown escaped (base::printable), so a name
// from the input cannot drive the terminal or reorder a line.
std::string render_text(const Table& table);

// Text for a terminal: every line made printable (base::printable: controls, C1 and bidirectional
// controls escaped), the line breaks kept. printable leaves its own escapes alone, so text whose
// tables were already rendered by render_text can be passed through again. Each command's table
// output goes through it, sentences that quote a name included.
std::string printable_text(std::string_view text);

// How CSV text cells that a spreadsheet would run as a formula are written. `guarded` (the
// default, as OWASP's "CSV Injection" advises): a text cell beginning with = + - @ TAB or CR gets a
// leading ', so that it stays text; numbers ("-0.5") are left alone. `raw`: written as they are,
// for programs that read the CSV as data.
enum class CsvCells { guarded, raw };
// RFC 4180: fields with comma, quote, CR or LF are quoted, quotes doubled; lines end in "\n".
// Controls other than LF are escaped as in render_text; `cells` as above.
std::string render_csv(const Table& table, CsvCells cells = CsvCells::guarded);
// One cell as render_csv writes it.
std::string csv_cell(std::string_view cell, CsvCells cells = CsvCells::guarded);
// One line (the header or a row) as render_csv writes it, appended to out: for a writer that
// makes its rows one at a time rather than holding a whole Table.
void append_csv_row(std::string& out, const std::vector<std::string>& row,
                    CsvCells cells = CsvCells::guarded);
// RFC 4180 quoting alone.
std::string csv_field(std::string_view field);

// JSON text with the DEL, C1 and bidirectional controls that nlohmann::json writes as they are
// (it escapes only C0) written as \uHHHH escapes instead, so JSON on a terminal is safe too.
// Such characters can only stand inside JSON strings, so the text means the same.
std::string escape_json_controls(std::string json);

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
// Text tables are made printable (output::printable_text: no control character of a name reaches
// a terminal) and JSON has its controls escaped (escape_json_controls), here, for every command.
template <class T>
struct Writers {
  std::function<std::string(const T&)> table;
  std::function<std::string(const T&)> csv;
  std::function<std::string(const T&)> json;
};
template <class T>
std::string render(const T& value, Format format, const Writers<T>& writers) {
  switch (format) {
    case Format::table: return printable_text(writers.table(value));
    case Format::csv: return writers.csv(value);
    case Format::json: return escape_json_controls(writers.json(value));
  }
  return {};
}
std::string_view format_name(Format format) noexcept;

}  // namespace inspectsim::output
