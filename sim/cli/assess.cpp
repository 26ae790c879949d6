// `inspectsim assess X N`: which true error rates is "X of N records wrong" compatible with?
#include <memory>
#include <string>
#include <vector>

#include "cli.hpp"
#include "common.hpp"
#include "inspectsim/assess/assess.hpp"
#include "inspectsim/assess/writers.hpp"
#include "inspectsim/base/error.hpp"

namespace inspectsim::cli {

namespace {

struct AssessOptions {
  std::string x;
  std::string n;
  std::string confidence = "0.95";
  std::string side = "two-sided";
  std::string methods = "wilson,clopper-pearson,jeffreys";
  std::string population;
  std::string prior = "jeffreys";
  std::vector<std::string> thresholds;
  std::string format = "table";
};

void run_assess(const AssessOptions& o) {
  assess::AssessRequest req;
  // N is capped where every figure is checked (tests/interval-extremes-test.cpp) and as everywhere
  // else (results CSVs, scenario samples): beyond about 10^12 Boost's Beta quantile for the
  // posterior gives up (found by fuzzing), and no inspection samples billions of records.
  req.n = parse_integer("N (records sampled)", o.n, 1, stats::max_population);
  req.x = parse_integer("X (records found wrong)", o.x, 0, req.n);
  req.confidence = parse_open_unit("--confidence", o.confidence);
  req.side = stats::parse_side(o.side);
  req.methods = stats::parse_methods(o.methods);
  if (!o.population.empty())
    req.population = parse_integer("--population", o.population, req.n, stats::max_population);
  req.prior = stats::parse_prior(o.prior);
  for (const auto& t : o.thresholds) {
    const double v = parse_real("--threshold", t);
    if (!(v >= 0 && v <= 1)) throw base::InputError("--threshold is " + t + ", but must be between 0 and 1");
    req.thresholds.push_back(v);
  }
  emit(assess::render_assessment(assess::run(req), output::parse_format(o.format)));
}

}  // namespace

void setup_assess(CLI::App& app) {
  auto opt = std::make_shared<AssessOptions>();
  CLI::App* sub =
      app.add_subcommand("assess", "Intervals for one figure: X records found wrong out of N sampled");
  sub->add_option("X", opt->x, "Records found wrong")->required();
  sub->add_option("N", opt->n, "Records sampled")->required();
  sub->add_option("--confidence", opt->confidence, "Confidence level, strictly between 0 and 1")
      ->default_str("0.95");
  sub->add_option("--side", opt->side, "two-sided, upper (\"at most\") or lower (\"at least\")")
      ->default_str("two-sided");
  sub->add_option("--methods", opt->methods,
                  "Comma-separated interval methods, or 'all': wald, wald-cc, wilson, wilson-cc, "
                  "agresti-coull, jeffreys, clopper-pearson, mid-p, likelihood-ratio, logit")
      ->default_str("wilson,clopper-pearson,jeffreys");
  sub->add_option("--population", opt->population,
                  "The N records were drawn without replacement from this many records; adds the "
                  "exact hypergeometric interval");
  sub->add_option("--prior", opt->prior, "Beta prior for the posterior: uniform, jeffreys or A,B")
      ->default_str("jeffreys");
  sub->add_option("--threshold", opt->thresholds, "Report P(true rate > T); repeatable, each in [0, 1]")
      ->allow_extra_args(false);
  add_format_option(*sub, opt->format);
  sub->callback([opt] { run_assess(*opt); });
}

}  // namespace inspectsim::cli
