// One self-contained HTML page: inline CSS and SVG, no scripts, no external URLs, readable offline
// and printable. Shared by the simulate and compare reports (report.hpp). Pure functions: the
// document is a value, render_html turns it into text. Every piece of text is HTML-escaped.
// The page is also well-formed XML (every element closed, only XML's five named entities), so an
// XML parser can check it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "inspectsim/output/table.hpp"

namespace inspectsim::output::html {

// Escapes & < > " ' for HTML text and attribute values, as svg::xml_escape (control characters
// dropped; U+FFFD for noncharacters, bidirectional controls and bytes that are not UTF-8).
std::string escape(std::string_view text);

// Where the figures came from, shown in the page's header.
struct Provenance {
  std::string version;                     // inspectsim's
  std::optional<std::uint64_t> seed;       // where randomness is used
  std::optional<std::int64_t> replicates;  // Monte Carlo replicates or draws
  std::string replicates_label = "Replicates";
  std::string input_path;
  std::string input_sha256;
  std::vector<std::pair<std::string, std::string>> settings;  // further (name, value) lines
};

// A chart (SVG text from svg.hpp) with the table behind it, so nothing is only in a picture.
struct Figure {
  std::string svg;
  std::string caption;
  Table table;
  std::string table_caption;  // defaults to "Table behind the chart: " + caption
};

// A table without a chart.
struct TableBlock {
  std::string caption;
  Table table;
};

struct Section {
  std::string heading;
  std::vector<std::string> paragraphs;
  std::vector<Figure> figures;
  std::vector<TableBlock> tables;
};

struct Document {
  std::string title;
  std::string subtitle;
  std::vector<std::string> findings;  // plain-language sentences, one per cell or force
  Provenance provenance;
  std::vector<Section> sections;
};

// An HTML table: header cells are <th scope="col">, the first column's cells <th scope="row">;
// right-aligned columns (Table::align) are marked so numbers line up.
std::string render_table(const Table& table, std::string_view caption);

// The whole page.
std::string render_html(const Document& document);

}  // namespace inspectsim::output::html
