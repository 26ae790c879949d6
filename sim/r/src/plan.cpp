// plan_claim(), plan_precision(), plan_detect(): sample sizes, pure functions of the request.
#include <string>

#include "glue.hpp"
#include "inspectsim/plan/plan.hpp"
#include "inspectsim/plan/writers.hpp"

using namespace inspectsim;

namespace {

// What every plan returns: the CLI's CSV (one row per point of the operating characteristic or
// per size around the answer; R/plan.R splits it), JSON and table.
template <class Result, class Render>
Rcpp::List outputs(const Result& r, Render render) {
  return Rcpp::List::create(Rcpp::Named("csv") = render(r, output::Format::csv),
                            Rcpp::Named("json") = render(r, output::Format::json),
                            Rcpp::Named("text") = render(r, output::Format::table));
}

std::optional<double> optional_number(double v) {
  if (std::isnan(v)) return std::nullopt;
  return v;
}

}  // namespace

// [[Rcpp::export(.plan_claim)]]
Rcpp::List plan_claim_glue(double tolerable, double allowed_errors, double n, double confidence,
                           double population) {
  return r::guarded([&] {
    plan::ClaimRequest q;
    q.tolerable = optional_number(tolerable);
    q.allowed_errors = r::optional_whole(allowed_errors).value_or(0);
    q.n = r::optional_whole(n);
    q.confidence = confidence;
    q.population = r::optional_whole(population);
    return outputs(plan::plan_claim(q), plan::render_claim);
  });
}

// `method` "" is the default (wilson, or hypergeometric with a population).
// [[Rcpp::export(.plan_precision)]]
Rcpp::List plan_precision_glue(double rate, double margin, std::string method, double confidence,
                               double population, std::string criterion, double assurance,
                               double work_limit) {
  return r::guarded([&] {
    plan::PrecisionRequest q;
    q.rate = rate;
    q.margin = margin;
    q.confidence = confidence;
    q.population = r::optional_whole(population);
    q.criterion = plan::parse_criterion(criterion);
    q.assurance = assurance;
    q.work_limit = r::optional_whole(work_limit);
    if (method.empty()) method = q.population ? "hypergeometric" : "wilson";
    if (method == "hypergeometric")
      q.method.reset();
    else
      q.method = stats::parse_method(method);
    return outputs(plan::plan_precision(q), plan::render_precision);
  });
}

// [[Rcpp::export(.plan_detect)]]
Rcpp::List plan_detect_glue(double from, double to, double power, double alpha, std::string test,
                            double ratio, double n, double work_limit) {
  return r::guarded([&] {
    plan::DetectRequest q;
    q.from = from;
    q.to = to;
    q.power = power;
    q.alpha = alpha;
    q.test = plan::parse_detect_test(test);
    q.ratio = ratio;
    q.n = r::optional_whole(n);
    q.work_limit = r::optional_whole(work_limit);
    return outputs(plan::plan_detect(q), plan::render_detect);
  });
}
