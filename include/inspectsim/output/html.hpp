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
  std::string id;  // the anchor headline items link to; default "section-N"
  std::vector<std::string> paragraphs;
  std::vector<std::string> notes;  // a bulleted list after the paragraphs (one sentence per row)
  std::vector<Figure> figures;
  std::vector<TableBlock> tables;
};

// One candidate for the headline: a plain sentence with its number, the section it summarises,
// and how much it changes a reader's conclusion: `kind` first (lower = read first: what is
// unusual, then what the data can tell apart, then what fails its promise), then `weight`
// (larger = more severe) among findings of one kind.
struct Finding {
  std::string text;
  std::string section;  // a Section id
  int kind = 0;
  double weight = 0;
};

// The headline: at most `limit` findings. Each kind present gets one place (its weightiest
// finding) before any kind gets a second, so one long list (ten methods, forty forces) cannot
// crowd out the rest; places left over go to the weightiest remaining findings. The chosen are
// ordered by kind, then weight (descending), ties in the order given. Pure.
std::vector<Finding> select_headline(std::vector<Finding> findings, std::size_t limit = 5);

struct Document {
  std::string title;
  std::string subtitle;
  std::vector<Finding> headline;    // at most five (select_headline), each linking to its section
  std::vector<TableBlock> summary;  // tables up front, under the headline (one row per group)
  Provenance provenance;
  std::vector<Section> sections;
};

// An HTML table: header cells are <th scope="col">, the first column's cells <th scope="row">;
// right-aligned columns (Table::align) are marked so numbers line up.
std::string render_table(const Table& table, std::string_view caption);

// The whole page.
std::string render_html(const Document& document);

}  // namespace inspectsim::output::html
