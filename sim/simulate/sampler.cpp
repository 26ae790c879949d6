#include "inspectsim/simulate/sampler.hpp"

#include <cmath>

#include "inspectsim/random/draws.hpp"
#include "inspectsim/stats/laws.hpp"

namespace inspectsim::simulate {

PointSampler::PointSampler(const CellPoint& point, Draws draws)
    : point_(point), fast_betas_(draws == Draws::fastest) {
  fixed_truth_ = point.truth.kind == Truth::Kind::fixed;
  if (point.clusters) unit_sizes_ = stats::cluster_sizes(point.sample, point.clusters->count);
  if (!fixed_truth_) {
    truth_ = point.truth.a / (point.truth.a + point.truth.b);
    // A Beta truth: the count is drawn from its marginal law (beta-binomial, or mixed over K with
    // a population) wherever that is enumerable; the engine then judges each count by the
    // conditional law of the truth given it (simulate.cpp, summarise).
    if (draws == Draws::fastest) tabulate(exact_count_law(point));
    return;
  }
  truth_ = point.truth.rate;
  if (point.population) {
    wrong_ = stats::population_wrong(point.truth.rate, *point.population);
    truth_ = static_cast<double>(*wrong_) / static_cast<double>(*point.population);
  }
  if (draws == Draws::process) return;
  if (!point.clusters && !point.inspector && !point.selection_odds) {
    const std::vector<double> pmf = point.population
                                        ? stats::hypergeometric_pmf(point.sample, *wrong_, *point.population)
                                        : stats::binomial_pmf(point.sample, truth_);
    table_.emplace(pmf);
    return;
  }
  // A process-level feature: the count's exact law (a convolution or a sum over the true count),
  // where it is enumerable within exact_count_law's bound.
  tabulate(exact_count_law(point));
}

void PointSampler::tabulate(std::optional<CountLaw> law) {
  if (!law) return;
  // Rounding can leave a probability a hair below zero; the table takes it as zero.
  std::vector<double> weights = law->pmf;
  double total = 0;
  for (double& w : weights) {
    if (!(w > 0)) w = 0;
    total += w;
  }
  if (!(total > 0) || !std::isfinite(total)) return;
  table_.emplace(weights);
  law_ = std::move(law);
}

Draw PointSampler::draw(random::Engine& engine) const {
  const CellPoint& p = point_;
  Draw d;
  std::int64_t wrong = 0;
  if (fixed_truth_) {
    if (table_) return {(*table_)(engine), truth_};
    d.truth = truth_;
    wrong = wrong_.value_or(0);
  } else {
    const double rate = fast_betas_ ? random::draw_beta_fast(engine, p.truth.a, p.truth.b)
                                    : random::draw_beta(engine, p.truth.a, p.truth.b);
    if (p.population) {
      wrong = random::draw_binomial(engine, *p.population, rate);
      d.truth = static_cast<double>(wrong) / static_cast<double>(*p.population);
    } else {
      d.truth = rate;
    }
  }
  if (p.population) {
    d.x = p.selection_odds ? random::draw_wallenius(engine, p.sample, wrong, *p.population, *p.selection_odds)
                           : random::draw_hypergeometric(engine, p.sample, wrong, *p.population);
  } else if (p.clusters) {
    d.x = random::draw_clustered(engine, unit_sizes_, d.truth, p.clusters->icc, fast_betas_);
  } else {
    d.x = random::draw_binomial(engine, p.sample, d.truth);
  }
  if (p.inspector)
    d.x = random::draw_flagged(engine, p.sample, d.x, p.inspector->sensitivity, p.inspector->specificity);
  return d;
}

}  // namespace inspectsim::simulate
