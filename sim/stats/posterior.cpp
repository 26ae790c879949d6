#include "inspectsim/stats/posterior.hpp"

#include <charconv>
#include <cmath>
#include <string>

#include <boost/math/distributions/beta.hpp>

#include "inspectsim/base/check.hpp"
#include "inspectsim/base/error.hpp"
#include "inspectsim/base/text.hpp"

namespace inspectsim::stats {

namespace {
bool parse_positive(std::string_view text, double& out) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  const char* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, out);
  return ec == std::errc() && ptr == end && std::isfinite(out) && out > 0;
}
}  // namespace

BetaPrior parse_prior(std::string_view text) {
  if (text == "uniform") return uniform_prior;
  if (text == "jeffreys") return jeffreys_prior;
  const std::size_t comma = text.find(',');
  BetaPrior p;
  if (comma != std::string_view::npos && parse_positive(text.substr(0, comma), p.a) &&
      parse_positive(text.substr(comma + 1), p.b))
    return p;
  throw base::InputError("prior '" + std::string(text) +
                         "' is not allowed; use uniform, jeffreys, or A,B with A and B positive numbers "
                         "(Beta(A, B))");
}

Posterior beta_posterior(std::int64_t x, std::int64_t n, BetaPrior prior, double confidence, Side side,
                         std::span<const double> thresholds) {
  // Reuse the interval module's argument checks for x, n and confidence.
  (void)proportion_interval(Method::wald, x, n, confidence, side);
  if (!(prior.a > 0 && prior.b > 0 && std::isfinite(prior.a) && std::isfinite(prior.b)))
    throw base::InputError("prior Beta(" + base::format_number(prior.a) + ", " +
                           base::format_number(prior.b) +
                           ") is not allowed; both parameters must be positive and finite");
  Posterior post;
  post.prior = prior;
  post.a = prior.a + static_cast<double>(x);
  post.b = prior.b + static_cast<double>(n - x);
  const boost::math::beta_distribution<double> dist(post.a, post.b);
  post.mean = boost::math::mean(dist);
  const double tail = side == Side::two_sided ? (1 - confidence) / 2 : 1 - confidence;
  post.lower = side == Side::upper ? 0.0 : boost::math::quantile(dist, tail);
  post.upper = side == Side::lower ? 1.0 : boost::math::quantile(boost::math::complement(dist, tail));
  for (double t : thresholds) {
    if (!(t >= 0 && t <= 1))
      throw base::InputError(base::field("thresholds") + " is " + base::format_number(t) +
                             ", but must be between 0 and 1");
    post.exceedance.push_back({t, boost::math::cdf(boost::math::complement(dist, t))});
  }
  return post;
}

}  // namespace inspectsim::stats
