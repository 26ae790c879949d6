// Writers for `inspectsim assess`.
#include "inspectsim/assess/writers.hpp"

#include <nlohmann/json.hpp>

#include "inspectsim/base/text.hpp"
#include "inspectsim/base/version.hpp"

namespace inspectsim::assess {

namespace {

std::string prior_text(const stats::BetaPrior& p) {
  if (p.a == 1 && p.b == 1) return "uniform Beta(1, 1)";
  if (p.a == 0.5 && p.b == 0.5) return "Jeffreys Beta(1/2, 1/2)";
  return "Beta(" + base::format_number(p.a) + ", " + base::format_number(p.b) + ")";
}

nlohmann::ordered_json number_or_null(bool defined, double v) {
  return defined ? nlohmann::ordered_json(v) : nlohmann::ordered_json(nullptr);
}

std::string render_json(const Assessment& a) {
  using json = nlohmann::ordered_json;
  const auto& r = a.request;
  json j;
  j["x"] = r.x;
  j["n"] = r.n;
  j["population"] = r.population ? json(*r.population) : json(nullptr);
  j["confidence"] = r.confidence;
  j["side"] = stats::side_name(r.side);
  j["estimate"] = a.estimate;
  json rows = json::array();
  for (const auto& row : a.intervals) {
    json o;
    o["method"] = row.method;
    o["lower"] = number_or_null(row.interval.defined, row.interval.lower);
    o["upper"] = number_or_null(row.interval.defined, row.interval.upper);
    o["lower_count"] = row.counts ? json(row.counts->lower) : json(nullptr);
    o["upper_count"] = row.counts ? json(row.counts->upper) : json(nullptr);
    o["note"] = row.interval.note.empty() ? json(nullptr) : json(row.interval.note);
    rows.push_back(o);
  }
  j["intervals"] = rows;
  json post;
  post["prior"] = {a.posterior.prior.a, a.posterior.prior.b};
  post["mean"] = a.posterior.mean;
  post["lower"] = a.posterior.lower;
  post["upper"] = a.posterior.upper;
  json ex = json::array();
  for (const auto& e : a.posterior.exceedance)
    ex.push_back({{"threshold", e.threshold}, {"probability", e.probability}});
  post["exceedance"] = ex;
  j["posterior"] = post;
  j["version"] = base::version();
  return j.dump(2) + "\n";
}

output::Table interval_table(const Assessment& a, bool for_csv) {
  output::Table t;
  // CSV keeps the count columns always, so its layout does not depend on the options.
  const bool counts = for_csv || a.request.population.has_value();
  t.header = {"method", "lower", "upper"};
  if (counts) {
    t.header.push_back("lower_count");
    t.header.push_back("upper_count");
  }
  t.header.push_back("note");
  t.align = {output::Align::left};
  t.align.resize(t.header.size(), output::Align::right);
  t.align.back() = output::Align::left;
  for (const auto& row : a.intervals) {
    std::vector<std::string> cells;
    cells.push_back(for_csv ? row.method : row.label);
    if (row.interval.defined) {
      cells.push_back(for_csv ? base::format_number(row.interval.lower)
                              : base::format_percent(row.interval.lower));
      cells.push_back(for_csv ? base::format_number(row.interval.upper)
                              : base::format_percent(row.interval.upper));
    } else {
      cells.push_back(for_csv ? "" : "-");
      cells.push_back(for_csv ? "" : "-");
    }
    if (counts) {
      cells.push_back(row.counts ? std::to_string(row.counts->lower) : "");
      cells.push_back(row.counts ? std::to_string(row.counts->upper) : "");
    }
    cells.push_back(row.interval.note);
    t.add_row(std::move(cells));
  }
  return t;
}

std::string render_table(const Assessment& a) {
  const auto& r = a.request;
  std::string out;
  out += std::to_string(r.x) + " of " + std::to_string(r.n) + " records wrong (" +
         base::format_percent(a.estimate) + ")";
  if (r.population) out += ", sampled from " + std::to_string(*r.population) + " records";
  out += "\n";
  const char* side = r.side == stats::Side::two_sided ? "two-sided"
                     : r.side == stats::Side::upper   ? "one-sided upper bound"
                                                      : "one-sided lower bound";
  out += base::level_text(r.confidence) + " confidence intervals (" + side + "):\n\n";
  out += output::render_text(interval_table(a, false));

  const auto& p = a.posterior;
  out += "\nPosterior with a " + prior_text(p.prior) + " prior: Beta(" + base::format_number(p.a) + ", " +
         base::format_number(p.b) + "), mean " + base::format_percent(p.mean) + ", " +
         base::level_text(r.confidence) + " credible interval " + base::format_percent(p.lower) + " to " +
         base::format_percent(p.upper) + "\n";
  for (const auto& e : p.exceedance)
    out += "  P(true rate > " + base::format_percent(e.threshold) +
           ") = " + base::format_fixed(e.probability, 4) + "\n";
  out += "\n" + assessment_sentence(a) + "\n";
  return out;
}

std::string render_csv_rows(const Assessment& a) {
  // One row per interval, with the data repeated so the file stands alone.
  output::Table t = interval_table(a, true);
  output::Table out;
  out.header = {"x", "n", "population", "confidence", "side", "estimate"};
  out.header.insert(out.header.end(), t.header.begin(), t.header.end());
  const auto& r = a.request;
  for (auto& row : t.rows) {
    std::vector<std::string> cells = {std::to_string(r.x),
                                      std::to_string(r.n),
                                      r.population ? std::to_string(*r.population) : "",
                                      base::format_number(r.confidence),
                                      std::string(stats::side_name(r.side)),
                                      base::format_number(a.estimate)};
    cells.insert(cells.end(), row.begin(), row.end());
    out.add_row(std::move(cells));
  }
  return output::render_csv(out);
}

}  // namespace

std::string assessment_sentence(const Assessment& a) {
  const auto& r = a.request;
  std::string head =
      std::to_string(r.x) + " of " + std::to_string(r.n) + " (" + base::format_percent(a.estimate) + "): ";
  for (const auto& row : a.intervals) {
    if (!row.interval.defined) continue;
    const std::string which = "(" + base::level_text(r.confidence) + " " + row.label + " " +
                              (r.side == stats::Side::two_sided ? "interval" : "bound") + ").";
    switch (r.side) {
      case stats::Side::two_sided:
        return head + "the true rate is plausibly anywhere from " + base::format_percent(row.interval.lower) +
               " to " + base::format_percent(row.interval.upper) + " " + which;
      case stats::Side::upper:
        return head + "the true rate is at most " + base::format_percent(row.interval.upper) + " " + which;
      case stats::Side::lower:
        return head + "the true rate is at least " + base::format_percent(row.interval.lower) + " " + which;
    }
  }
  return head + "no requested method gives an interval for these data.";
}

std::string render_assessment(const Assessment& a, output::Format format) {
  return output::render<Assessment>(a, format, {render_table, render_csv_rows, render_json});
}

}  // namespace inspectsim::assess
