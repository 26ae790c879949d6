#include "inspectsim/stats/hierarchical.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numeric>
#include <string>
#include <tuple>
#include <utility>

#include <boost/math/quadrature/gauss.hpp>
#include <boost/math/special_functions/beta.hpp>
#include <boost/math/tools/roots.hpp>

#include "inspectsim/base/error.hpp"
#include "inspectsim/base/text.hpp"

namespace inspectsim::stats {

namespace {

// Boost.Math computes in double (not promoted to long double, which is ten times slower here): the
// mixtures sum hundreds of incomplete beta functions per probability, each to about 1e-15.
using Double = boost::math::policies::policy<boost::math::policies::promote_double<false>>;

// log(1 / (1 + e^-x)), without overflow for large |x|.
double log_logistic(double x) { return x < 0 ? x - std::log1p(std::exp(x)) : -std::log1p(std::exp(-x)); }
double logistic(double x) { return 1 / (1 + std::exp(-x)); }

// log Gamma(a + k) - log Gamma(a) for a > 0 and k >= 0. For a >= 1e6, from Stirling's series
// log Gamma(z) = (z - 1/2) log z - z + log(2 pi)/2 + 1/(12 z) - ... (Abramowitz and Stegun 6.1.41),
// differenced so that nothing cancels: the next term is below 1e-20. Else lgamma directly.
double log_rising(double a, double k) {
  if (k <= 0) return 0;
  if (a >= 1e6)
    return (a - 0.5) * std::log1p(k / a) + k * std::log(a + k) - k + 1 / (12 * (a + k)) - 1 / (12 * a);
  return std::lgamma(a + k) - std::lgamma(a);
}

// The log marginal likelihood of a group, arranged for speed. log B(a + x, b + n - x) - log B(a, b)
// = log (a)_x + log (b)_(n-x) - log (a + b)_n with rising factorials (a)_k = a (a + 1) ... (a + k - 1).
// The first `exact` factors of every unit's rising factorials are summed as logs over a histogram of the
// counts (how many units have x > j, n - x > j, n > j), so a grid point costs O(exact) logs whatever
// the number of units; the rest of a factorial, for units with larger counts, by log_rising.
class Likelihood {
 public:
  static constexpr std::int64_t exact = 64;

  explicit Likelihood(std::span<const Count> data) {
    std::int64_t top = 0;
    for (const Count& c : data) top = std::max(top, std::min(c.n, exact));
    above_x_.assign(static_cast<std::size_t>(top), 0);
    above_y_ = above_n_ = above_x_;
    for (const Count& c : data) {
      for (std::int64_t j = 0; j < std::min(c.x, exact); ++j) ++above_x_[static_cast<std::size_t>(j)];
      for (std::int64_t j = 0; j < std::min(c.n - c.x, exact); ++j) ++above_y_[static_cast<std::size_t>(j)];
      for (std::int64_t j = 0; j < std::min(c.n, exact); ++j) ++above_n_[static_cast<std::size_t>(j)];
      if (c.n > exact) large_.push_back(c);
    }
  }

  double operator()(double eta, double lambda) const {
    const double m = std::exp(lambda);
    const double a = m * logistic(eta), b = m * logistic(-eta);
    double ll = 0;
    for (std::size_t j = 0; j < above_n_.size(); ++j) {
      const auto jd = static_cast<double>(j);
      if (above_x_[j] > 0) ll += above_x_[j] * std::log(a + jd);
      if (above_y_[j] > 0) ll += above_y_[j] * std::log(b + jd);
      ll -= above_n_[j] * std::log(m + jd);
    }
    const auto e = static_cast<double>(exact);
    for (const Count& c : large_) {
      const auto x = static_cast<double>(c.x), y = static_cast<double>(c.n - c.x);
      const auto n = static_cast<double>(c.n);
      if (x > e) ll += log_rising(a + e, x - e);
      if (y > e) ll += log_rising(b + e, y - e);
      ll -= log_rising(m + e, n - e);
    }
    return ll;
  }

 private:
  std::vector<double> above_x_, above_y_, above_n_;
  std::vector<Count> large_;
};

struct Box {
  double e0, e1, l0, l1;
};

// The log posterior on an ne x nl grid over the box (row-major in eta).
struct Grid {
  Box box{};
  int ne = 0, nl = 0;
  double he = 0, hl = 0;
  std::vector<double> f;
  double eta(int i) const { return box.e0 + i * he; }
  double lambda(int j) const { return box.l0 + j * hl; }
};

Grid evaluate(const Likelihood& lik, const Hyperprior& h, const Box& box, int ne, int nl) {
  Grid g;
  g.box = box;
  g.ne = ne;
  g.nl = nl;
  g.he = (box.e1 - box.e0) / (ne - 1);
  g.hl = (box.l1 - box.l0) / (nl - 1);
  g.f.resize(static_cast<std::size_t>(ne) * static_cast<std::size_t>(nl));
  for (int i = 0; i < ne; ++i)
    for (int j = 0; j < nl; ++j) {
      const double v = log_hyperprior(h, g.eta(i), g.lambda(j)) + lik(g.eta(i), g.lambda(j));
      // log(0) from an underflowed a or b is a density of 0; NaN cannot arise inside the domain.
      g.f[static_cast<std::size_t>(i) * static_cast<std::size_t>(nl) + static_cast<std::size_t>(j)] =
          std::isnan(v) ? -std::numeric_limits<double>::infinity() : v;
    }
  return g;
}

double max_of(const Grid& g) { return *std::max_element(g.f.begin(), g.f.end()); }

// The box holds every point whose log density is within `drop` of the peak. The density decays at
// least exponentially in both axes outside it (in lambda as M^(-1), albert, or M^(-1/2), bda3, times a
// bounded likelihood), so the mass outside is below about 2 e^-drop = 4e-9 of the whole: well inside
// grid_tolerance, and all the grid's nodes serve the region that matters.
constexpr double drop = 20;
constexpr double grid_tolerance = 1e-6;
constexpr double pruned_mass = 1e-9;  // nodes holding this much of the mass in all are dropped

// The figures whose stability decides the grid: log normaliser, E[mu], E[rho], E[sd], and each unit's
// posterior mean and pull.
std::vector<double> checked_figures(const Grid& g, std::span<const Count> data, double fmax) {
  double z = 0, mu = 0, rho = 0, sd = 0;
  std::vector<double> mean(data.size(), 0.0), pull(data.size(), 0.0);
  for (int i = 0; i < g.ne; ++i) {
    const double m_u = logistic(g.eta(i));
    for (int j = 0; j < g.nl; ++j) {
      const double w = std::exp(g.f[static_cast<std::size_t>(i * g.nl + j)] - fmax);
      if (w == 0) continue;
      const double m = std::exp(g.lambda(j));
      z += w;
      mu += w * m_u;
      rho += w / (m + 1);
      sd += w * std::sqrt(m_u * (1 - m_u) / (m + 1));
      for (std::size_t k = 0; k < data.size(); ++k) {
        const auto x = static_cast<double>(data[k].x), n = static_cast<double>(data[k].n);
        mean[k] += w * (m * m_u + x) / (m + n);
        pull[k] += w * m / (m + n);
      }
    }
  }
  std::vector<double> out{std::log(z * g.he * g.hl) + fmax, mu / z, rho / z, sd / z};
  for (std::size_t k = 0; k < data.size(); ++k) {
    out.push_back(mean[k] / z);
    out.push_back(pull[k] / z);
  }
  return out;
}

// The marginal posterior of one axis (eta when by_eta, else lambda) and its quantiles.
class Marginal {
 public:
  Marginal(const Likelihood& lik, const Hyperprior& h, const Grid& g, double fmax, double log_z, bool by_eta)
      : lik_(lik), h_(h), g_(g), fmax_(fmax), log_z_(log_z), by_eta_(by_eta) {}

  // The density of the axis at t: the other axis integrated by the grid's trapezoid rule.
  double density(double t) const {
    const int n = by_eta_ ? g_.nl : g_.ne;
    const double step = by_eta_ ? g_.hl : g_.he;
    double s = 0;
    for (int k = 0; k < n; ++k) {
      const double e = by_eta_ ? t : g_.eta(k), l = by_eta_ ? g_.lambda(k) : t;
      const double v = log_hyperprior(h_, e, l) + lik_(e, l) - fmax_;
      if (!std::isnan(v)) s += std::exp(v);
    }
    return s * step / std::exp(log_z_ - fmax_);
  }

  double cell_mass(double from, double to) const {
    return boost::math::quadrature::gauss<double, 10>::integrate([this](double t) { return density(t); },
                                                                 from, to);
  }

  // The p-quantile of the axis: cells accumulated from the lower end (p <= 1/2) or from the upper end,
  // then Newton's method inside the cell that holds it (boost::math::tools::newton_raphson_iterate,
  // which keeps to the cell), the derivative of the mass being the density itself, from the point
  // the cell's mass would put it at if it were spread evenly.
  double quantile(double p) const {
    const int n = by_eta_ ? g_.ne : g_.nl;
    const double lo = by_eta_ ? g_.box.e0 : g_.box.l0, step = by_eta_ ? g_.he : g_.hl;
    const bool from_below = p <= 0.5;
    const double target = from_below ? p : 1 - p;
    double cum = 0;
    for (int c = 0; c + 1 < n; ++c) {
      const int cell = from_below ? c : n - 2 - c;
      const double a = lo + cell * step, b = a + step;
      const double mass = cell_mass(a, b);
      if (cum + mass >= target) {
        // Mass from the cell's outer edge to t, plus what lies beyond the cell, equals target.
        auto f = [&](double t) {
          return from_below ? std::pair(cum + cell_mass(a, t) - target, density(t))
                            : std::pair(cum + cell_mass(t, b) - target, -density(t));
        };
        const double share = mass > 0 ? (target - cum) / mass : 0.5;
        const double guess = from_below ? a + share * step : b - share * step;
        std::uintmax_t iterations = 60;
        return boost::math::tools::newton_raphson_iterate(f, std::clamp(guess, a, b), a, b, 40, iterations);
      }
      cum += mass;
    }
    return from_below ? lo + (n - 1) * step : lo;
  }

 private:
  const Likelihood& lik_;
  const Hyperprior& h_;
  const Grid& g_;
  double fmax_, log_z_;
  bool by_eta_;
};

void check_unit_interval(double v, const char* what) {
  if (!(v > 0 && v < 1))
    throw base::InputError(base::field(what) + " is " + base::format_number(v) +
                           ", but must be strictly between 0 and 1");
}

}  // namespace

std::string hyperprior_text(const Hyperprior& h) {
  if (h.kind == HyperpriorKind::bda3) return "bda3";
  return "albert," + base::format_number(h.scale) + "," + base::format_number(h.mu_a) + "," +
         base::format_number(h.mu_b);
}

Hyperprior parse_hyperprior(std::string_view text) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (true) {
    const std::size_t comma = text.find(',', start);
    parts.emplace_back(
        text.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start));
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  const auto bad = [&](const std::string& why) {
    return base::InputError(base::field("hyperprior") + " is '" + std::string(text) + "', but " + why);
  };
  Hyperprior h;
  if (parts[0] == "bda3") {
    if (parts.size() > 1) throw bad("bda3 takes no parameters");
    h.kind = HyperpriorKind::bda3;
    return h;
  }
  if (parts[0] != "albert")
    throw bad("must be 'albert', 'albert,S', 'albert,S,A,B' (M's scale S, mu ~ Beta(A, B)) or 'bda3'");
  if (parts.size() != 1 && parts.size() != 2 && parts.size() != 4)
    throw bad("albert takes 0, 1 or 3 parameters: 'albert', 'albert,S' or 'albert,S,A,B'");
  std::vector<double> v;
  for (std::size_t k = 1; k < parts.size(); ++k) {
    char* end = nullptr;
    const double d = std::strtod(parts[k].c_str(), &end);
    if (parts[k].empty() || end != parts[k].c_str() + parts[k].size() || !std::isfinite(d) || !(d > 0))
      throw bad("parameter '" + parts[k] + "' must be a positive finite number");
    v.push_back(d);
  }
  if (!v.empty()) h.scale = v[0];
  if (v.size() == 3) {
    h.mu_a = v[1];
    h.mu_b = v[2];
  }
  return h;
}

double log_hyperprior(const Hyperprior& h, double eta, double lambda) {
  const double log_mu = log_logistic(eta), log_1m = log_logistic(-eta);
  if (h.kind == HyperpriorKind::bda3)
    // p(mu, M) ~ M^(-3/2) (BDA3 eq. 5.9 moved to (mu, M), Jacobian M), times mu (1 - mu) M.
    return log_mu + log_1m - lambda / 2;
  // Beta(mu_a, mu_b) density of mu times mu (1 - mu); s / (s + M)^2 times M, with
  // log(s + M) = max(log s, lambda) + log1p(e^-|lambda - log s|).
  const double log_s = std::log(h.scale);
  const double log_sum = std::max(log_s, lambda) + std::log1p(std::exp(-std::abs(lambda - log_s)));
  return h.mu_a * log_mu + h.mu_b * log_1m + log_s + lambda - 2 * log_sum;
}

double hierarchical_log_density(std::span<const Count> data, const Hyperprior& h, double eta, double lambda) {
  return log_hyperprior(h, eta, lambda) + Likelihood(data)(eta, lambda);
}

bool improper_posterior(const Hyperprior& h, std::span<const Count> data) {
  // A unit with 0 < X < N bounds the spread as M -> 0 (the header works the integral out).
  return h.kind == HyperpriorKind::bda3 &&
         std::none_of(data.begin(), data.end(), [](const Count& c) { return c.x > 0 && c.x < c.n; });
}

HierarchicalFit fit_hierarchical(std::span<const Count> data, const Hyperprior& h, double confidence) {
  check_unit_interval(confidence, "confidence");
  if (data.size() < 2)
    throw base::InputError(
        "the hierarchical model needs at least two units to estimate the spread between "
        "them; got " +
        std::to_string(data.size()));
  if (improper_posterior(h, data))
    throw base::InputError(
        base::field("hyperprior") +
        " is 'bda3', whose prior is improper, and with these counts so is the posterior: every unit has "
        "none or all of its records wrong, so nothing bounds the spread between them (the integral "
        "diverges as M -> 0); use the proper default 'albert'");
  const Likelihood lik(data);
  double sx = 0, sn = 0;
  for (const Count& c : data) {
    sx += static_cast<double>(c.x);
    sn += static_cast<double>(c.n);
  }
  const double pooled = (sx + 0.5) / (sn + 1);
  const double centre = std::log(pooled / (1 - pooled));

  // Zoom in: a 41 x 41 grid on the box, then the box cut to the cells around every node within `drop`
  // of the maximum, until the box stops shrinking.
  Box box{centre - 40, centre + 40, -60, 90};
  for (int zoom = 0; zoom < 12; ++zoom) {
    const Grid g = evaluate(lik, h, box, 41, 41);
    const double fmax = max_of(g);
    int i0 = g.ne, i1 = -1, j0 = g.nl, j1 = -1;
    for (int i = 0; i < g.ne; ++i)
      for (int j = 0; j < g.nl; ++j)
        if (g.f[static_cast<std::size_t>(i * g.nl + j)] > fmax - drop) {
          i0 = std::min(i0, i);
          i1 = std::max(i1, i);
          j0 = std::min(j0, j);
          j1 = std::max(j1, j);
        }
    const Box next{g.eta(std::max(i0 - 1, 0)), g.eta(std::min(i1 + 1, g.ne - 1)),
                   g.lambda(std::max(j0 - 1, 0)), g.lambda(std::min(j1 + 1, g.nl - 1))};
    const bool settled =
        next.e1 - next.e0 > 0.8 * (box.e1 - box.e0) && next.l1 - next.l0 > 0.8 * (box.l1 - box.l0);
    box = next;
    if (settled) break;
  }

  // Refine: halve the spacing of each axis until the checked figures agree to 1e-6 (the two axes'
  // changes summed); keep the coarser grid (its error is what the halving measured; the trapezoid rule's
  // error falls geometrically, so it is usually far smaller). The product rule's error is, to leading order,
  // the sum of the two one-dimensional rules' errors, so each axis is halved on its own and only where its
  // halving moves the figures: a box that is long in log M (a spread that may be near 0) needs finer steps in
  // lambda, not in eta.
  int ne = 17, nl = 17;
  Grid g = evaluate(lik, h, box, ne, nl);
  double fmax = max_of(g);
  std::vector<double> figures = checked_figures(g, data, fmax);
  const auto change_from = [&](const std::vector<double>& finer) {
    double c = 0;
    for (std::size_t k = 0; k < figures.size(); ++k) c = std::max(c, std::abs(finer[k] - figures[k]));
    return c;
  };
  double change = 1;
  while (ne < 1025 && nl < 1025) {
    Grid by_eta = evaluate(lik, h, box, 2 * ne - 1, nl);
    std::vector<double> figures_eta = checked_figures(by_eta, data, max_of(by_eta));
    const double change_eta = change_from(figures_eta);
    Grid by_lambda = evaluate(lik, h, box, ne, 2 * nl - 1);
    std::vector<double> figures_lambda = checked_figures(by_lambda, data, max_of(by_lambda));
    const double change_lambda = change_from(figures_lambda);
    change = change_eta + change_lambda;
    if (change < grid_tolerance) break;
    // At least one axis moved the figures by half the tolerance or more: halve its spacing. Where
    // only one axis is halved, that grid has just been evaluated.
    const bool finer_eta = change_eta >= grid_tolerance / 2,
               finer_lambda = change_lambda >= grid_tolerance / 2;
    if (finer_eta) ne = 2 * ne - 1;
    if (finer_lambda) nl = 2 * nl - 1;
    if (finer_eta && finer_lambda) {
      g = evaluate(lik, h, box, ne, nl);
      figures = checked_figures(g, data, max_of(g));
    } else {
      g = std::move(finer_eta ? by_eta : by_lambda);
      figures = std::move(finer_eta ? figures_eta : figures_lambda);
    }
    fmax = max_of(g);
  }

  HierarchicalFit fit;
  fit.hyperprior = h;
  fit.confidence = confidence;
  fit.grid_eta = g.ne;
  fit.grid_lambda = g.nl;
  fit.accuracy = change;
  // Normalised weights; the lightest nodes, holding pruned_mass of the posterior in all, are dropped
  // (so no probability computed from the mixture moves by more than that).
  std::vector<double> w(g.f.size());
  double z = 0;
  for (std::size_t k = 0; k < w.size(); ++k) z += w[k] = std::exp(g.f[k] - fmax);
  for (double& v : w) v /= z;
  std::vector<double> sorted = w;
  std::sort(sorted.begin(), sorted.end());
  double dropped = 0, cutoff = 0;
  for (double v : sorted) {
    if (dropped + v > pruned_mass) break;
    dropped += v;
    cutoff = v;
  }
  double kept = 0;
  for (int i = 0; i < g.ne; ++i)
    for (int j = 0; j < g.nl; ++j) {
      const double v = w[static_cast<std::size_t>(i * g.nl + j)];
      if (v <= cutoff || v == 0) continue;
      fit.nodes.push_back({logistic(g.eta(i)), std::exp(g.lambda(j)), v});
      kept += v;
    }
  double mu = 0, rho = 0, sd = 0;
  for (HyperNode& node : fit.nodes) {
    node.weight /= kept;
    mu += node.weight * node.mu;
    rho += node.weight / (node.concentration + 1);
    sd += node.weight * std::sqrt(node.mu * (1 - node.mu) / (node.concentration + 1));
  }
  const double tail = (1 - confidence) / 2;
  const double log_z = std::log(z * g.he * g.hl) + fmax;
  const Marginal by_eta(lik, h, g, fmax, log_z, true), by_lambda(lik, h, g, fmax, log_z, false);
  fit.typical_rate = {mu, logistic(by_eta.quantile(tail)), logistic(by_eta.quantile(1 - tail))};
  // rho = 1/(M + 1) falls as lambda rises: its lower limit comes from lambda's upper quantile.
  fit.spread = {rho, 1 / (std::exp(by_lambda.quantile(1 - tail)) + 1),
                1 / (std::exp(by_lambda.quantile(tail)) + 1)};
  fit.between_sd = sd;
  return fit;
}

ShrunkEstimate hierarchical_shrink(const HierarchicalFit& fit, Count c, std::span<const double> thresholds) {
  for (double t : thresholds)
    if (!(t >= 0 && t <= 1))
      throw base::InputError(base::field("thresholds") + " has " + base::format_number(t) +
                             ", but every threshold must be between 0 and 1");
  const auto x = static_cast<double>(c.x), y = static_cast<double>(c.n - c.x), n = static_cast<double>(c.n);
  // Each component Beta(a, b) with weight w, and log(w / B(a, b)) for its density. log B by lgamma loses
  // up to about 1e-8 (relatively) when a + b is near 10^7; it enters only the derivatives that steer
  // the root finder below, never the probabilities, which come from Boost's ibeta alone.
  struct Component {
    double a, b, w, log_scale;
  };
  std::vector<Component> mix;
  mix.reserve(fit.nodes.size());
  ShrunkEstimate s;
  double second = 0;
  for (const HyperNode& node : fit.nodes) {
    const double a = node.concentration * node.mu + x, b = node.concentration * (1 - node.mu) + y;
    mix.push_back(
        {a, b, node.weight, std::log(node.weight) - (std::lgamma(a) + std::lgamma(b) - std::lgamma(a + b))});
    const double m = a / (a + b);
    s.estimate += node.weight * m;
    second += node.weight * (m * m + m * (1 - m) / (a + b + 1));
    s.weight += node.weight * node.concentration / (node.concentration + n);
  }
  // The mixture's CDF and upper tail, sum_k w_k I_t(a_k, b_k) (Boost's regularised incomplete beta).
  auto upper_tail = [&](double t) {
    double p = 0;
    for (const Component& m : mix) p += m.w * boost::math::ibetac(m.a, m.b, t, Double());
    return p;
  };
  // Each end of the interval solves F(t) = p on the logit scale u = log(t / (1 - t)) by Halley's
  // method (boost::math::tools::halley_iterate), from the quantile of a Beta with the mixture's mean
  // and variance. With t = 1 / (1 + e^-u), the mixture's density on that scale is
  //   g(u) = sum_k w_k t^a_k (1 - t)^b_k / B(a_k, b_k),  g'(u) = sum_k [the same term] (a_k (1 - t) - b_k t),
  // one exponential per component, beside the one incomplete beta per component of F itself. The lower
  // tail is solved from the CDF and the upper from the upper tail, so that neither loses digits to
  // 1 - p. Two or three steps reach 1e-10 where a bracketing solver took a dozen evaluations of F.
  const double mean = std::clamp(s.estimate, 1e-300, 1 - 1e-16);
  const double var = std::clamp(second - s.estimate * s.estimate, 1e-300, mean * (1 - mean) * (1 - 1e-12));
  const double k = mean * (1 - mean) / var - 1;
  const double logit_sd = std::sqrt(var) / (mean * (1 - mean));
  auto quantile = [&](double p) {
    double guess =
        boost::math::ibeta_inv(std::max(mean * k, 1e-300), std::max((1 - mean) * k, 1e-300), p, Double());
    guess = std::clamp(guess, 1e-300, 1 - 1e-16);
    const double u0 = std::log(guess) - std::log1p(-guess);
    const bool lower_tail = p <= 0.5;
    auto f = [&](double u) {
      const double t = logistic(u), log_t = log_logistic(u), log_1m = log_logistic(-u);
      double prob = 0, g = 0, dg = 0;
      for (const Component& m : mix) {
        prob += m.w * (lower_tail ? boost::math::ibeta(m.a, m.b, t, Double())
                                  : boost::math::ibetac(m.a, m.b, t, Double()));
        const double term = std::exp(m.log_scale + m.a * log_t + m.b * log_1m);
        g += term;
        dg += term * (m.a * (1 - t) - m.b * t);
      }
      return std::tuple<double, double, double>(lower_tail ? prob - p : (1 - p) - prob, g, dg);
    };
    // The root lies within 40 logit SDs of the guess (and inside the range where t is representable).
    const double lo = std::max(u0 - 40 * logit_sd - 1, -745.0), hi = std::min(u0 + 40 * logit_sd + 1, 37.0);
    std::uintmax_t iterations = 100;
    // The interval's ends to about 1e-10 on the logit scale.
    return logistic(boost::math::tools::halley_iterate(f, std::clamp(u0, lo, hi), lo, hi, 34, iterations));
  };
  const double tail = (1 - fit.confidence) / 2;
  s.lower = quantile(tail);
  s.upper = quantile(1 - tail);
  for (double t : thresholds) s.p_above.push_back({t, t <= 0 ? 1.0 : t >= 1 ? 0.0 : upper_tail(t)});
  return s;
}

double hierarchical_cdf(const HierarchicalFit& fit, Count c, double t) {
  if (t <= 0) return 0;
  if (t >= 1) return 1;
  const auto x = static_cast<double>(c.x), y = static_cast<double>(c.n - c.x);
  double p = 0;
  for (const HyperNode& node : fit.nodes)
    p += node.weight * boost::math::ibeta(node.concentration * node.mu + x,
                                          node.concentration * (1 - node.mu) + y, t, Double());
  return p;
}

}  // namespace inspectsim::stats
