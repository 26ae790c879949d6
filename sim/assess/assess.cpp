#include "inspectsim/assess/assess.hpp"

#include "inspectsim/base/check.hpp"
#include "inspectsim/base/error.hpp"
#include "inspectsim/base/text.hpp"
#include "inspectsim/base/version.hpp"

namespace inspectsim::assess {

Assessment run(const AssessRequest& req) {
  // The request's fields, checked by name so that every front end can say which argument is wrong.
  base::check_whole("n", req.n, 1, stats::max_population);
  base::check_whole("x", req.x, 0, req.n);
  base::check_open_unit("confidence", req.confidence);
  if (req.population) base::check_whole("population", *req.population, req.n, stats::max_population);
  for (const double t : req.thresholds) base::check_unit_interval("thresholds", t);
  if (req.methods.empty())
    throw base::InputError(base::field("methods") + " is empty: no interval method requested");
  Assessment a;
  a.request = req;
  // proportion_interval validates x, n and confidence with messages naming the value.
  for (stats::Method m : req.methods)
    a.intervals.push_back({std::string(stats::method_name(m)), std::string(stats::method_label(m)),
                           stats::proportion_interval(m, req.x, req.n, req.confidence, req.side),
                           std::nullopt});
  a.estimate = static_cast<double>(req.x) / static_cast<double>(req.n);
  if (req.population) {
    const std::int64_t M = *req.population;
    const stats::CountInterval k = stats::hypergeometric_interval(req.x, req.n, M, req.confidence, req.side);
    const double m = static_cast<double>(M);
    a.intervals.push_back(
        {"hypergeometric", "hypergeometric (exact, finite population)",
         stats::Interval{static_cast<double>(k.lower) / m, static_cast<double>(k.upper) / m, true, {}}, k});
  }
  a.posterior = stats::beta_posterior(req.x, req.n, req.prior, req.confidence, req.side, req.thresholds);
  return a;
}

}  // namespace inspectsim::assess
