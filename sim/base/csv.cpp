#include "inspectsim/base/csv.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>

#include "inspectsim/base/error.hpp"
#include "inspectsim/base/io.hpp"

namespace inspectsim::base {

namespace {

std::string trim_blanks(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return std::string(s);
}

}  // namespace

// A single pass over the text, RFC 4180 section 2 (Shafranovich 2005), with two tolerances common
// in spreadsheet exports: bare LF line ends and blanks around unquoted fields.
std::vector<CsvRecord> parse_csv(std::string_view text, const std::string& path) {
  require_text(text, path);
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);  // UTF-8 byte-order mark
  std::vector<CsvRecord> records;
  std::size_t line = 1;
  std::size_t i = 0;
  const std::size_t n = text.size();
  auto fail = [&](std::size_t at_line, const std::string& what) {
    throw InputError(path + ":" + std::to_string(at_line) + ": " + what);
  };
  while (i < n) {
    CsvRecord rec;
    rec.line = line;
    bool end_of_record = false;
    while (!end_of_record) {
      std::string field;
      // Blanks before an opening quote are tolerated.
      std::size_t j = i;
      while (j < n && (text[j] == ' ' || text[j] == '\t')) ++j;
      if (j < n && text[j] == '"') {
        const std::size_t opened = line;
        i = j + 1;
        while (true) {
          if (i >= n) fail(opened, "a quoted field is never closed (a '\"' is missing)");
          const char c = text[i];
          if (c == '"') {
            if (i + 1 < n && text[i + 1] == '"') {
              field += '"';
              i += 2;
              continue;
            }
            ++i;
            break;
          }
          if (c == '\n' || (c == '\r' && (i + 1 >= n || text[i + 1] != '\n'))) ++line;
          field += c;
          ++i;
        }
        while (i < n && (text[i] == ' ' || text[i] == '\t')) ++i;
        if (i < n && text[i] != ',' && text[i] != '\n' && text[i] != '\r')
          fail(line, "text after the closing quote of a quoted field");
      } else {
        const std::size_t start = i;
        while (i < n && text[i] != ',' && text[i] != '\n' && text[i] != '\r') {
          if (text[i] == '"')
            fail(line, "a '\"' inside an unquoted field (quote the whole field and double the '\"')");
          ++i;
        }
        field = trim_blanks(text.substr(start, i - start));
      }
      rec.fields.push_back(std::move(field));
      if (i >= n) {
        end_of_record = true;
      } else if (text[i] == ',') {
        ++i;
      } else {  // CR, CRLF or LF
        if (text[i] == '\r' && i + 1 < n && text[i + 1] == '\n') ++i;
        ++i;
        ++line;
        end_of_record = true;
      }
    }
    const bool blank =
        std::all_of(rec.fields.begin(), rec.fields.end(), [](const std::string& f) { return f.empty(); });
    if (!blank) records.push_back(std::move(rec));
  }
  return records;
}

std::optional<std::int64_t> field_whole_number(std::string_view t) {
  if (t.starts_with('+')) t.remove_prefix(1);
  std::int64_t v = 0;
  const auto [ptr, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
  if (t.empty() || ec != std::errc() || ptr != t.data() + t.size()) return std::nullopt;
  return v;
}

std::optional<double> field_number(std::string_view t) {
  if (t.starts_with('+')) t.remove_prefix(1);
  double v = 0;
  const auto [ptr, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
  if (t.empty() || ec != std::errc() || ptr != t.data() + t.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

std::string ascii_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

}  // namespace inspectsim::base
