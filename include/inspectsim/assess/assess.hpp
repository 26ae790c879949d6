// `inspectsim assess`: everything one figure "X of N" supports, as a value, and its writers.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "inspectsim/stats/interval.hpp"
#include "inspectsim/stats/posterior.hpp"

namespace inspectsim::assess {

struct AssessRequest {
  std::int64_t x = 0;
  std::int64_t n = 0;
  std::optional<std::int64_t> population;  // M: the sample was drawn without replacement from M
  double confidence = 0.95;
  stats::Side side = stats::Side::two_sided;
  std::vector<stats::Method> methods{stats::Method::wilson, stats::Method::clopper_pearson,
                                     stats::Method::jeffreys};
  stats::BetaPrior prior = stats::jeffreys_prior;
  std::vector<double> thresholds;
};

// One row of the interval table. `method` is empty for the hypergeometric row.
struct IntervalRow {
  std::string method;                          // name as on the command line ("wilson", "hypergeometric")
  std::string label;                           // readable name ("Wilson")
  stats::Interval interval;                    // as rates
  std::optional<stats::CountInterval> counts;  // hypergeometric only: bounds on K among the M
};

struct Assessment {
  AssessRequest request;
  double estimate = 0;  // X / N
  std::vector<IntervalRow> intervals;
  stats::Posterior posterior;
};

// Validates the request (throws InputError naming the value and what is allowed) and computes.
Assessment run(const AssessRequest& request);

}  // namespace inspectsim::assess
