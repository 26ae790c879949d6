// assess(): "X of N" for each pair of the vectors x and n.
#include <string>
#include <vector>

#include "glue.hpp"
#include "inspectsim/assess/assess.hpp"
#include "inspectsim/assess/writers.hpp"
#include "inspectsim/base/version.hpp"
#include "inspectsim/simulate/simulate.hpp"

using namespace inspectsim;

// The interval rows as the CLI's CSV for every pair (one header), the CLI's JSON per pair, and
// the posterior (and exceedance probabilities) as data frames, straight from the Assessment.
// [[Rcpp::export(.assess)]]
Rcpp::List assess_glue(Rcpp::NumericVector x, Rcpp::NumericVector n, std::string methods, double confidence,
                       std::string side, double population, std::string prior_name,
                       Rcpp::NumericVector prior_ab, Rcpp::NumericVector thresholds) {
  return r::guarded([&] {
    assess::AssessRequest req;
    req.confidence = confidence;
    req.side = stats::parse_side(side);
    req.methods = stats::parse_methods(methods);
    req.population = r::optional_whole(population);
    req.prior =
        prior_name.empty() ? stats::BetaPrior{prior_ab[0], prior_ab[1]} : stats::parse_prior(prior_name);
    req.thresholds.assign(thresholds.begin(), thresholds.end());
    std::string csv;
    Rcpp::CharacterVector json(x.size());
    std::vector<double> px, pn, pa, pb, mean, lower, upper, ex, en, et, ep;
    for (R_xlen_t i = 0; i < x.size(); ++i) {
      req.x = static_cast<std::int64_t>(x[i]);
      req.n = static_cast<std::int64_t>(n[i]);
      const assess::Assessment a = assess::run(req);
      const std::string part = assess::render_assessment(a, output::Format::csv);
      csv += i == 0 ? part : part.substr(part.find('\n') + 1);  // one header
      json[i] = assess::render_assessment(a, output::Format::json);
      const stats::Posterior& p = a.posterior;
      px.push_back(x[i]);
      pn.push_back(n[i]);
      pa.push_back(p.a);
      pb.push_back(p.b);
      mean.push_back(p.mean);
      lower.push_back(p.lower);
      upper.push_back(p.upper);
      for (const auto& e : p.exceedance) {
        ex.push_back(x[i]);
        en.push_back(n[i]);
        et.push_back(e.threshold);
        ep.push_back(e.probability);
      }
    }
    return Rcpp::List::create(
        Rcpp::Named("rows") = r::frame_from_csv(csv, {"method", "side", "note"}), Rcpp::Named("json") = json,
        Rcpp::Named("posterior") = Rcpp::DataFrame::create(
            Rcpp::Named("x") = px, Rcpp::Named("n") = pn, Rcpp::Named("prior_a") = req.prior.a,
            Rcpp::Named("prior_b") = req.prior.b, Rcpp::Named("a") = pa, Rcpp::Named("b") = pb,
            Rcpp::Named("mean") = mean, Rcpp::Named("lower") = lower, Rcpp::Named("upper") = upper),
        Rcpp::Named("exceedance") =
            Rcpp::DataFrame::create(Rcpp::Named("x") = ex, Rcpp::Named("n") = en,
                                    Rcpp::Named("threshold") = et, Rcpp::Named("probability") = ep));
  });
}

// The library's limits and version, for the checks in R/.
// [[Rcpp::export(.limits)]]
Rcpp::List limits_glue() {
  return Rcpp::List::create(
      Rcpp::Named("max_population") = static_cast<double>(stats::max_population),
      Rcpp::Named("max_simulated_sample") = static_cast<double>(simulate::max_simulated_sample),
      Rcpp::Named("version") = std::string(base::version()));
}
