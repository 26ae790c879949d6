// The search for the smallest sample size meeting a criterion, shared by the `plan` computations
// (internal to the library; the rule is documented with SearchInfo in include/inspectsim/plan.hpp).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

#include "inspectsim/plan/plan.hpp"

namespace inspectsim::plan {

enum class Scan {
  none,    // the criterion is monotone in n (proved where used): doubling and bisection are exact
  window,  // not monotone: scan every n from `first` (answers up to the scan limit) or 5% below
};

struct SearchOutcome {
  std::optional<std::int64_t> n;  // empty: the criterion does not hold at `cap`
  SearchInfo info;
};

// The smallest n in [first, cap] at which `meets` holds, by the rule of SearchInfo: doubling from
// `first` to a size where it holds, bisection down to a size whose predecessor fails, then (Scan::
// window) every size from `first` when that size is at most `scan_limit`, else from 95% of it.
SearchOutcome smallest_n(const std::function<bool(std::int64_t)>& meets, std::int64_t first, std::int64_t cap,
                         Scan scan, std::int64_t scan_limit = 0);

// The binomial or hypergeometric law of a count over its support less at most 1e-14 in each tail.
// (Not CountLaw: exact.hpp has a different inspectsim::CountLaw, and two definitions of one name
// broke the program under clang, where the linker kept one destructor for both.)
struct CountPmf {
  std::int64_t lo = 0;
  std::vector<double> pmf;  // P(X = lo + i)
};
CountPmf binomial_law(std::int64_t n, double p);
CountPmf hypergeometric_law(std::int64_t K, std::int64_t n, std::int64_t M);

// ceil(v) after rounding v to the nearest 1e-9, so 0.07 x 100 (7.000000000000001) gives 7.
std::int64_t ceil_whole(double v);

}  // namespace inspectsim::plan
