#include "inspectsim/output/table.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdio>

#include "inspectsim/base/error.hpp"
#include "inspectsim/base/text.hpp"
#include "inspectsim/base/unicode.hpp"

namespace inspectsim::output {

namespace {
// Columns are padded to at most this many characters: a longer cell (a 1 MB name) is printed
// whole but does not widen its column, so the output grows with the input, not rows x widest.
constexpr std::size_t max_pad_width = 60;

std::size_t display_width(std::string_view s) {
  // Count UTF-8 code points, not bytes, so names like "Avon & Somerset" or "±" align.
  return static_cast<std::size_t>(std::count_if(
      s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

// Whether base::printable leaves the cell as it is: printable ASCII alone.
bool printable_ascii(const std::string& cell) {
  return std::all_of(cell.begin(), cell.end(), [](char ch) {
    const auto byte = static_cast<unsigned char>(ch);
    return byte >= 0x20 && byte < 0x7F;
  });
}

// render_text of a table whose cells are printable already.
std::string render_printable(const Table& table) {
  const std::size_t cols = table.header.size();
  std::vector<std::size_t> width(cols, 0);
  for (std::size_t c = 0; c < cols; ++c) width[c] = std::min(display_width(table.header[c]), max_pad_width);
  for (const auto& row : table.rows)
    for (std::size_t c = 0; c < cols && c < row.size(); ++c)
      width[c] = std::max(width[c], std::min(display_width(row[c]), max_pad_width));

  std::string out;
  auto emit = [&](const std::vector<std::string>& row) {
    std::string line;
    for (std::size_t c = 0; c < cols; ++c) {
      const std::string& cell = c < row.size() ? row[c] : std::string();
      const std::size_t shown = display_width(cell);
      const std::size_t pad = shown < width[c] ? width[c] - shown : 0;
      const bool left = c < table.align.size() && table.align[c] == Align::left;
      if (c > 0) line += "  ";
      if (!left) line.append(pad, ' ');
      line += cell;
      if (left && c + 1 < cols) line.append(pad, ' ');
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += line;
    out += '\n';
  };
  emit(table.header);
  std::size_t total = 0;
  for (std::size_t c = 0; c < cols; ++c) total += width[c] + (c > 0 ? 2 : 0);
  out.append(total, '-');
  out += '\n';
  for (const auto& row : table.rows) emit(row);
  return out;
}

}  // namespace

std::string render_text(const Table& raw) {
  // Cells quoted from the input may hold controls that would drive the terminal (ESC, CSI, CR,
  // BS) or reorder the line (U+202E): shown escaped, as in error messages (base::printable). A
  // table of printable ASCII, the usual one, is rendered as it is, not copied first (a million
  // rows of ten cells took a third of a GB more).
  const auto plain = [](const std::vector<std::string>& row) {
    return std::all_of(row.begin(), row.end(), printable_ascii);
  };
  if (plain(raw.header) && std::all_of(raw.rows.begin(), raw.rows.end(), plain)) return render_printable(raw);
  Table table = raw;
  for (auto& cell : table.header) cell = base::printable(cell);
  for (auto& row : table.rows)
    for (auto& cell : row) cell = base::printable(cell);
  return render_printable(table);
}

std::string csv_field(std::string_view field) {
  if (field.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(field);
  std::string out = "\"";
  for (char c : field) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

namespace {
// Whether a cell is a number as the writers print them ("0.25", "-3", "1e-09", "-inf"), or "-"
// (no value), which a spreadsheet reads as a value, not a formula.
bool is_number_cell(std::string_view cell) {
  if (cell == "-") return true;
  if (cell.starts_with('+')) cell.remove_prefix(1);
  double v = 0;
  const auto [ptr, ec] = std::from_chars(cell.data(), cell.data() + cell.size(), v);
  return !cell.empty() && ec == std::errc() && ptr == cell.data() + cell.size();
}
}  // namespace

std::string printable_text(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t start = 0;;) {
    const std::size_t lf = text.find('\n', start);
    out += base::printable(std::string(text.substr(start, lf == std::string_view::npos ? lf : lf - start)));
    if (lf == std::string_view::npos) break;
    out += '\n';
    start = lf + 1;
  }
  return out;
}

std::string csv_cell(std::string_view cell, CsvCells cells) {
  // Line breaks stay (quoted, per RFC 4180); every other control is escaped as on the terminal.
  std::string out = printable_text(cell);
  // OWASP, "CSV Injection": a text cell that begins with = + - @ TAB or CR is run as a formula by
  // spreadsheets; a leading ' makes it text. Numbers are left alone.
  if (cells == CsvCells::guarded && !out.empty() &&
      std::string_view("=+-@\t\r").find(out.front()) != std::string_view::npos && !is_number_cell(out))
    out.insert(0, 1, '\'');
  return csv_field(out);
}

void append_csv_row(std::string& out, const std::vector<std::string>& row, CsvCells cells) {
  for (std::size_t c = 0; c < row.size(); ++c) {
    if (c > 0) out += ',';
    out += csv_cell(row[c], cells);
  }
  out += '\n';
}

std::string render_csv(const Table& table, CsvCells cells) {
  std::string out;
  append_csv_row(out, table.header, cells);
  for (const auto& row : table.rows) append_csv_row(out, row, cells);
  return out;
}

std::string escape_json_controls(std::string json) {
  static constexpr char hex[] = "0123456789abcdef";
  // Plain ASCII without DEL, by far the usual text, is returned as it is: a copy grown a byte at a
  // time held up to three times a 2 GB output at once.
  if (std::none_of(json.begin(), json.end(), [](char ch) { return static_cast<unsigned char>(ch) >= 0x7F; }))
    return json;
  std::string out;
  out.reserve(json.size());
  for (std::size_t i = 0; i < json.size();) {
    const auto byte = static_cast<unsigned char>(json[i]);
    if (byte == 0x7F) {  // DEL, which nlohmann::json writes as it is
      out += "\\u007f";
      ++i;
      continue;
    }
    if (byte < 0x80) {
      out += json[i++];
      continue;
    }
    const base::Utf8Char c = base::decode_utf8(json, i);
    if (c.length > 0 && (base::is_control(c.code) || base::is_bidi_control(c.code))) {
      out += "\\u";
      for (int shift = 12; shift >= 0; shift -= 4) out += hex[(c.code >> shift) & 0xF];
    } else {
      out.append(json, i, c.length > 0 ? c.length : 1);
    }
    i += c.length > 0 ? c.length : 1;
  }
  return out;
}

Format parse_format(std::string_view name) { return base::parse_name<Format>(base::field("format"), name); }

std::string_view format_name(Format format) noexcept { return base::name_of(format); }

}  // namespace inspectsim::output
