#include "inspectsim/compare/cost.hpp"

#include <algorithm>
#include <functional>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "inspectsim/base/blocks.hpp"
#include "inspectsim/compare/draws.hpp"

namespace inspectsim::compare {

base::Cost comparison_cost(const ResultsTable& table, const CompareRequest& request) {
  auto kept = [](const std::vector<std::string>& wanted, const std::string& v) {
    return wanted.empty() || std::find(wanted.begin(), wanted.end(), v) != wanted.end();
  };
  struct Group {
    double rows = 0;
    double text = 0;  // bytes of the rows' names and extra columns
  };
  // Groups by views of the rows' names in a hash map (the sums below do not depend on the order):
  // no copy of a name per row.
  using Key = std::pair<std::string_view, std::string_view>;
  struct KeyHash {
    std::size_t operator()(const Key& k) const noexcept {
      const std::hash<std::string_view> h;
      return h(k.first) * 0x9E3779B97F4A7C15u ^ h(k.second);
    }
  };
  std::unordered_map<Key, Group, KeyHash> groups;
  double rows = 0;
  for (const ResultRow& r : table.rows) {
    if (!kept(request.categories, r.category) || !kept(request.inspections, r.inspection)) continue;
    rows += 1;
    const std::string_view inspection =
        request.group_by == GroupBy::category ? std::string_view() : std::string_view(r.inspection);
    Group& g = groups[{inspection, r.category}];
    g.rows += 1;
    g.text += static_cast<double>(r.force.size() + r.inspection.size() + r.category.size() + r.source.size());
    for (const std::string& e : r.extra) g.text += static_cast<double>(e.size());
  }
  const auto draws = static_cast<double>(request.draws);
  base::Cost c;
  // A total per force and inspection and one per inspection: two Beta draws per row and draw;
  // Fisher's test for each change (at most one per row); each row's own figures (interval, funnel
  // limits, shrunk posterior, its jobs' streams, its output). The ranks are counted by group below.
  c.work = 2 * rows * draws * base::weights::total_draw + rows * base::weights::pair_test +
           rows * base::weights::compare_row;
  const bool joint_ranks = rank_posterior_of(request) == RankPosterior::hierarchical;
  const double ppc_replicates = std::min(draws, static_cast<double>(max_ppc_replicates));
  double largest = 0;
  // Rank counts, one group's at a time (groups are ranked one after another): the merged ones (8
  // bytes each), the rank distributions made from them (8 bytes each, dropped once the group's
  // summaries are made) and each block's counts (4 bytes) for the blocks in flight, at most five per
  // worker thread (base::run_blocks).
  const double in_flight = 5.0 * base::worker_threads(request.threads, blocks_of(request.draws));
  for (const auto& [key, g] : groups) {
    const double n = g.rows;
    largest = std::max(largest, n);
    // The group's ranks: one draw per row and draw, from the joint posterior where the group has
    // the hierarchical model, else from each row's tabled posterior; the model itself.
    const bool hierarchical =
        request.shrinkage == Shrinkage::hierarchical && n >= static_cast<double>(min_shrinkage_units);
    c.work +=
        n * draws * (hierarchical && joint_ranks ? base::weights::joint_rank_draw : base::weights::rank_draw);
    if (hierarchical)
      c.work += base::weights::hierarchical_fit + n * base::weights::hierarchical_row +
                n * ppc_replicates * base::weights::ppc_draw;
    // The output holds each name a few times (table, CSV or JSON, the report's tables and charts,
    // each escaped): counted at 16 bytes per byte of input text, and in each of a row's n - 1 pairs.
    c.bytes += 16 * g.text;
    // Fisher's test for every pair (the listed pairs, the count told apart, simultaneous rank
    // intervals); only listed pairs take room in the output.
    if (tests_pairs(request)) c.work += n * (n - 1) / 2 * base::weights::pair_test;
    if (request.pairs) c.bytes += 4 * (n - 1) * g.text;
  }
  c.bytes += largest * largest * (8 + 8 + 4 * in_flight);  // the largest group's rank counts
  // One total's draws at a time; each row's results (its row, result, total and change: about
  // 1.1 KB) and its output, counted as JSON's (up to 2.5 KB a row for the row, its total and its
  // change, held twice while the text grows): 10^6 rows in groups of 5 peaked at 6.1 GB with
  // '--format json', 2.1 GB with '--format csv'.
  c.bytes += base::weights::base_bytes + 2 * 8 * draws + rows * 6500;
  c.advice = "fewer draws (" + base::field("draws") + ")";
  c.detail = base::cost_number(rows, "%.0f") + " rows x " + std::to_string(request.draws) + " draws";
  if (tests_pairs(request))
    c.detail += ", groups of up to " + base::cost_number(largest, "%.0f") + " rows compared in pairs";
  return c;
}

}  // namespace inspectsim::compare
