// The search for the smallest sample size meeting a criterion, shared by the `plan` computations
// (internal to the library; the rule is documented with SearchInfo in include/inspectsim/plan.hpp).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>

#include "inspectsim/plan.hpp"

namespace inspectsim {

enum class Scan {
  none,    // the criterion is monotone in n (proved where used): doubling and bisection are exact
  window,  // not monotone: scan every n from `first` (answers up to the scan limit) or 20% below
};

struct SearchOutcome {
  std::optional<std::int64_t> n;  // empty: the criterion does not hold at `cap`
  SearchInfo info;
};

// The smallest n in [first, cap] at which `meets` holds, by the rule of SearchInfo: doubling from
// `first` to a size where it holds, bisection down to a size whose predecessor fails, then (Scan::
// window) every size from `first` when that size is at most `scan_limit`, else from 80% of it.
SearchOutcome smallest_n(const std::function<bool(std::int64_t)>& meets, std::int64_t first, std::int64_t cap,
                         Scan scan, std::int64_t scan_limit = full_scan_limit);

}  // namespace inspectsim
