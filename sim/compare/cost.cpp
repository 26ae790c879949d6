#include "inspectsim/compare/cost.hpp"

#include <algorithm>
#include <map>
#include <tuple>

namespace inspectsim::compare {

base::Cost comparison_cost(const ResultsTable& table, const CompareRequest& request) {
  auto kept = [](const std::vector<std::string>& wanted, const std::string& v) {
    return wanted.empty() || std::find(wanted.begin(), wanted.end(), v) != wanted.end();
  };
  std::map<std::tuple<std::string, std::string>, double> groups;
  double rows = 0;
  for (const ResultRow& r : table.rows) {
    if (!kept(request.categories, r.category) || !kept(request.inspections, r.inspection)) continue;
    rows += 1;
    const std::string inspection = request.group_by == GroupBy::category ? std::string() : r.inspection;
    groups[{inspection, r.category}] += 1;
  }
  const auto draws = static_cast<double>(request.draws);
  base::Cost c;
  // Ranks in each group, a total per force and inspection and one per inspection: three Beta
  // draws per row and draw; Fisher's test for each change (at most one per row).
  c.work = 3 * rows * draws * base::weights::row_draw + rows * base::weights::pair_test;
  double largest = 0;
  for (const auto& [key, n] : groups) {
    largest = std::max(largest, n);
    c.bytes += n * n * 8;  // rank counts
    if (request.pairs) c.work += n * (n - 1) / 2 * base::weights::pair_test;
  }
  c.bytes +=
      base::weights::base_bytes + 2 * 8 * draws + rows * 4000;  // one total's draws at a time; the output
  c.advice = "fewer draws (" + base::field("draws") + ")";
  c.detail = base::cost_number(rows, "%.0f") + " rows x " + std::to_string(request.draws) + " draws";
  if (request.pairs)
    c.detail += ", groups of up to " + base::cost_number(largest, "%.0f") + " rows compared in pairs";
  return c;
}

}  // namespace inspectsim::compare
