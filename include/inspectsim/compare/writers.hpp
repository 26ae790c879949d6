// Writers for `inspectsim compare`: the comparison as readable tables, as CSV (one section per
// file) or as JSON (everything, with provenance). Fields are documented in README.md. No I/O here.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "inspectsim/base/names.hpp"
#include "inspectsim/compare/compare.hpp"
#include "inspectsim/output/table.hpp"

namespace inspectsim::compare {

// Which table the CSV holds: one CSV holds one table. `groups` is one row per group: its
// pooled rate, overdispersion and shrinkage fit (the JSON's group fields, flattened).
enum class CsvSection { rows, pairs, changes, totals, groups };
inline constexpr base::EnumName<CsvSection> csv_section_names[] = {
    {CsvSection::rows, "rows"},     {CsvSection::pairs, "pairs"},   {CsvSection::changes, "changes"},
    {CsvSection::totals, "totals"}, {CsvSection::groups, "groups"},
};
constexpr std::span<const base::EnumName<CsvSection>> enum_names(CsvSection) { return csv_section_names; }
std::string_view csv_section_name(CsvSection s) noexcept;
CsvSection parse_csv_section(std::string_view name);

// The whole result in one of the output formats; JSON fields are documented in README.md. `cells`:
// how CSV text cells that a spreadsheet would run as formulas are written (output::CsvCells).
std::string render_comparison(const Comparison& c, output::Format format,
                              CsvSection section = CsvSection::rows,
                              output::CsvCells cells = output::CsvCells::guarded);

}  // namespace inspectsim::compare
