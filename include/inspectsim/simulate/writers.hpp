// Writers for `inspectsim simulate`: the engine's SimulationResult as a readable table, as CSV (one
// row per cell point and interval method) or as JSON (everything, with provenance). The fields and
// columns are documented in README.md. No I/O here; outputs never contain NaN or inf.
#pragma once

#include <string>
#include <vector>

#include "inspectsim/base/names.hpp"
#include "inspectsim/output/table.hpp"
#include "inspectsim/simulate/simulate.hpp"

namespace inspectsim::simulate {

// Which table the CSV holds (one CSV holds one table): a row per cell point and interval method, or
// a row per comparison (the JSON's comparison fields). Only the CSV format has sections.
enum class CsvSection { points, comparisons, leagues };
inline constexpr base::EnumName<CsvSection> csv_section_names[] = {{CsvSection::points, "points"},
                                                                   {CsvSection::comparisons, "comparisons"},
                                                                   {CsvSection::leagues, "leagues"}};
constexpr std::span<const base::EnumName<CsvSection>> enum_names(CsvSection) { return csv_section_names; }

// `cells`: how CSV text cells that a spreadsheet would run as formulas are written (output::CsvCells).
std::string render_simulation(const SimulationResult& result, output::Format format,
                              CsvSection section = CsvSection::points,
                              output::CsvCells cells = output::CsvCells::guarded);

// The plain sentences the table ends with: per point (when there are few) what the figure and the
// first interval method do, the lowest coverage of each method, the chance of the right grade and
// each comparison's power or false-alarm rate.
std::vector<std::string> simulation_sentences(const SimulationResult& result);

// The CSV columns, in order (one row per cell point x interval method).
const std::vector<std::string>& simulation_csv_columns();
// The comparisons section's columns, in order (one row per comparison).
const std::vector<std::string>& comparison_csv_columns();
// The leagues section's columns, in order (one row per league member).
const std::vector<std::string>& league_csv_columns();

// The plain sentences of one league: how often the truly worst is ranked worst, and how often the
// member ranked worst is among the truly worst k.
std::vector<std::string> league_sentences(const SimulationResult& result, const LeagueResult& league);

}  // namespace inspectsim::simulate
