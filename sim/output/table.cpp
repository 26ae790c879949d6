#include "inspectsim/output/table.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdio>

#include "inspectsim/base/error.hpp"
#include "inspectsim/base/text.hpp"

namespace inspectsim::output {

namespace {
std::size_t display_width(std::string_view s) {
  // Count UTF-8 code points, not bytes, so names like "Avon & Somerset" or "±" align.
  return static_cast<std::size_t>(std::count_if(
      s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}
}  // namespace

std::string render_text(const Table& table) {
  const std::size_t cols = table.header.size();
  std::vector<std::size_t> width(cols, 0);
  for (std::size_t c = 0; c < cols; ++c) width[c] = display_width(table.header[c]);
  for (const auto& row : table.rows)
    for (std::size_t c = 0; c < cols && c < row.size(); ++c)
      width[c] = std::max(width[c], display_width(row[c]));

  std::string out;
  auto emit = [&](const std::vector<std::string>& row) {
    std::string line;
    for (std::size_t c = 0; c < cols; ++c) {
      const std::string& cell = c < row.size() ? row[c] : std::string();
      const std::size_t pad = width[c] - display_width(cell);
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

std::string render_csv(const Table& table) {
  std::string out;
  auto emit = [&](const std::vector<std::string>& row) {
    for (std::size_t c = 0; c < row.size(); ++c) {
      if (c > 0) out += ',';
      out += csv_field(row[c]);
    }
    out += '\n';
  };
  emit(table.header);
  for (const auto& row : table.rows) emit(row);
  return out;
}

Format parse_format(std::string_view name) { return base::parse_name<Format>(base::field("format"), name); }

std::string_view format_name(Format format) noexcept { return base::name_of(format); }

}  // namespace inspectsim::output
