// Writers for `inspectsim plan`: each subcommand's result as a table, CSV or JSON, and the
// sentence that states it.
#include "inspectsim/plan/writers.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include <nlohmann/json.hpp>

#include "inspectsim/base/text.hpp"
#include "inspectsim/base/version.hpp"

namespace inspectsim::plan {

namespace {

using json = nlohmann::ordered_json;

json optional_json(const std::optional<std::int64_t>& v) { return v ? json(*v) : json(nullptr); }
json optional_json(const std::optional<double>& v) { return v ? json(*v) : json(nullptr); }
std::string optional_cell(const std::optional<std::int64_t>& v) { return v ? std::to_string(*v) : ""; }
std::string optional_cell(const std::optional<double>& v) { return v ? base::format_number(*v) : ""; }

}  // namespace

// ---- plan claim ----------------------------------------------------------------------------------

std::string claim_sentence(const ClaimResult& r) {
  const auto& q = r.request;
  const std::string level = "(" + base::level_text(q.confidence) + " confidence)";
  const std::string bound = q.population ? "at most " + std::to_string(*r.upper_count) + " of the " +
                                               std::to_string(*q.population) + " records are wrong (" +
                                               base::format_percent(r.upper) + ")"
                                         : "the error rate is below " + base::format_percent(r.upper);
  if (q.tolerable) {
    const std::string claim = q.population ? "fewer than " + std::to_string(*r.threshold_count) + " of the " +
                                                 std::to_string(*q.population) + " records are wrong"
                                           : "the error rate is below " + base::format_percent(*q.tolerable);
    return "Sample " + std::to_string(r.n) + " records: finding at most " + std::to_string(q.allowed_errors) +
           " wrong supports '" + claim + "' " + level + ".";
  }
  return std::to_string(q.allowed_errors) + " wrong in " + std::to_string(r.n) + " supports: " + bound + " " +
         level + ".";
}

namespace {

std::string claim_json(const ClaimResult& r) {
  const auto& q = r.request;
  json j;
  j["mode"] = q.tolerable ? "plan" : "support";
  j["tolerable"] = optional_json(q.tolerable);
  j[q.tolerable ? "allowed_errors" : "found"] = q.allowed_errors;
  j["confidence"] = q.confidence;
  j["population"] = optional_json(q.population);
  j["n"] = r.n;
  j["upper"] = r.upper;
  j["upper_count"] = optional_json(r.upper_count);
  j["threshold_count"] = optional_json(r.threshold_count);
  j["risk"] = optional_json(r.risk);
  json oc = json::array();
  for (const auto& p : r.oc)
    oc.push_back({{"rate", p.rate}, {"count", optional_json(p.count)}, {"probability", p.probability}});
  j["operating_characteristic"] = oc;
  j["sentence"] = claim_sentence(r);
  j["version"] = base::version();
  return j.dump(2) + "\n";
}

std::string claim_csv(const ClaimResult& r) {
  const auto& q = r.request;
  output::Table t;
  t.header = {"mode", "tolerable", "allowed_errors", "confidence",      "population",
              "n",    "upper",     "upper_count",    "threshold_count", "risk",
              "rate", "count",     "probability",    "version"};
  for (const auto& p : r.oc)
    t.add_row({q.tolerable ? "plan" : "support", optional_cell(q.tolerable), std::to_string(q.allowed_errors),
               base::format_number(q.confidence), optional_cell(q.population), std::to_string(r.n),
               base::format_number(r.upper), optional_cell(r.upper_count), optional_cell(r.threshold_count),
               optional_cell(r.risk), base::format_number(p.rate), optional_cell(p.count),
               base::format_number(p.probability), base::version()});
  return output::render_csv(t);
}

std::string claim_table(const ClaimResult& r) {
  const auto& q = r.request;
  std::string out;
  const std::string k = std::to_string(q.allowed_errors);
  if (q.tolerable) {
    out += "Claim: the error rate is below " + base::format_percent(*q.tolerable) + " (" +
           base::level_text(q.confidence) + " confidence), allowing " + k + " wrong";
    if (q.population)
      out += "; in a population of " + std::to_string(*q.population) + " records: fewer than " +
             std::to_string(*r.threshold_count) + " wrong";
    out += "\nSample size: " + std::to_string(r.n) + "\n";
    out += "Risk of supporting the claim when it is just false (" +
           (q.population ? std::to_string(*r.threshold_count) + " wrong"
                         : "rate " + base::format_percent(*q.tolerable)) +
           "): " + base::format_fixed(*r.risk, 4) + " (at most " +
           base::format_number(std::round((1 - q.confidence) * 1e12) / 1e12) + ")\n";
  } else {
    out += "Audit: " + k + " wrong in " + std::to_string(r.n) + " records";
    if (q.population) out += " sampled from " + std::to_string(*q.population);
    out += "\n";
  }
  out += "Exact " + base::level_text(q.confidence) + " upper bound: " + base::format_percent(r.upper, 2);
  if (r.upper_count) out += " (" + std::to_string(*r.upper_count) + " records)";
  out += "\n\nOperating characteristic: P(an audit of " + std::to_string(r.n) + " finds at most " + k +
         " wrong)\n";
  output::Table t;
  t.header = {"true rate"};
  if (q.population) t.header.push_back("wrong of " + std::to_string(*q.population));
  t.header.push_back("probability");
  for (const auto& p : r.oc) {
    std::vector<std::string> row{base::format_percent(p.rate, 2)};
    if (q.population) row.push_back(std::to_string(*p.count));
    row.push_back(base::format_fixed(p.probability, 4));
    t.add_row(std::move(row));
  }
  out += output::render_text(t);
  out += "\n" + claim_sentence(r) + "\n";
  return out;
}

}  // namespace

std::string render_claim(const ClaimResult& r, output::Format format) {
  return output::render<ClaimResult>(r, format, {claim_table, claim_csv, claim_json});
}

// ---- plan precision ------------------------------------------------------------------------------

namespace {

std::string method_text(const PrecisionRequest& q) {
  return q.method ? std::string(stats::method_name(*q.method)) : std::string("hypergeometric");
}

std::string precision_json(const PrecisionResult& r) {
  const auto& q = r.request;
  json j;
  j["rate"] = q.rate;
  j["margin"] = q.margin;
  j["method"] = method_text(q);
  j["confidence"] = q.confidence;
  j["population"] = optional_json(q.population);
  j["true_count"] = optional_json(r.true_count);
  j["criterion"] = criterion_name(q.criterion);
  j["assurance"] = q.assurance;
  j["n"] = r.n;
  j["expected_half_width"] = r.achieved.expected;
  j["probability_within_margin"] = r.achieved.assurance;
  json around = json::array();
  for (const auto& w : r.around)
    around.push_back({{"n", w.n},
                      {"expected_half_width", w.expected},
                      {"probability_within_margin", w.assurance},
                      {"meets", w.meets}});
  j["around"] = around;
  j["search"] = {{"scanned_from", r.search.scanned_from},
                 {"scanned_to", r.search.scanned_to},
                 {"evaluations", r.search.evaluations}};
  j["version"] = base::version();
  return j.dump(2) + "\n";
}

std::string precision_csv(const PrecisionResult& r) {
  const auto& q = r.request;
  output::Table t;
  t.header = {"rate",
              "margin",
              "method",
              "confidence",
              "population",
              "criterion",
              "assurance",
              "answer",
              "n",
              "expected_half_width",
              "probability_within_margin",
              "meets",
              "version"};
  for (const auto& w : r.around)
    t.add_row({base::format_number(q.rate), base::format_number(q.margin), method_text(q),
               base::format_number(q.confidence), optional_cell(q.population),
               std::string(criterion_name(q.criterion)), base::format_number(q.assurance),
               w.n == r.n ? "yes" : "no", std::to_string(w.n), base::format_number(w.expected),
               base::format_number(w.assurance), w.meets ? "yes" : "no", base::version()});
  return output::render_csv(t);
}

std::string points(double share) { return base::format_fixed(100 * share, 2) + " points"; }

std::string precision_table(const PrecisionResult& r) {
  const auto& q = r.request;
  const std::string label =
      q.method ? std::string(stats::method_label(*q.method)) : "hypergeometric (exact, for K / M)";
  std::string out = "Interval: " + base::level_text(q.confidence) + " " + label + ", true rate " +
                    base::format_percent(q.rate);
  if (q.population)
    out += " (" + std::to_string(*r.true_count) + " wrong of a population of " +
           std::to_string(*q.population) + ")";
  out += "\nWanted: ";
  out += q.criterion == WidthCriterion::expected
             ? "expected half-width at most " + points(q.margin)
             : "half-width at most " + points(q.margin) + " with probability at least " +
                   base::format_number(q.assurance);
  out += "\n\nSample size: " + std::to_string(r.n) + "\n";
  out += "Expected half-width " + points(r.achieved.expected) + "; P(half-width <= " + points(q.margin) +
         ") = " + base::format_fixed(r.achieved.assurance, 4) + "\n\n";
  output::Table t;
  t.header = {"n", "expected half-width", "P(half-width <= H)", "meets"};
  t.align = {output::Align::right, output::Align::right, output::Align::right, output::Align::left};
  for (const auto& w : r.around)
    t.add_row({std::to_string(w.n), points(w.expected), base::format_fixed(w.assurance, 4),
               w.n == r.n ? "yes: the answer"
               : w.meets  ? "yes"
                          : "no"});
  out += output::render_text(t);
  out += "\nSearch: every n from " + std::to_string(r.search.scanned_from) + " to " +
         std::to_string(r.search.scanned_to) + " evaluated";
  if (r.search.scanned_from > 1)
    out += " (sizes below " + std::to_string(r.search.scanned_from) +
           " were passed over by bisection: the width is not monotone in n)";
  out += "\n";
  return out;
}

}  // namespace

std::string render_precision(const PrecisionResult& r, output::Format format) {
  return output::render<PrecisionResult>(r, format, {precision_table, precision_csv, precision_json});
}

// ---- plan detect ---------------------------------------------------------------------------------

namespace {

std::string detect_json(const DetectResult& r) {
  const auto& q = r.request;
  json j;
  j["mode"] = q.n ? "power" : "plan";
  j["from"] = q.from;
  j["to"] = q.to;
  j["power_wanted"] = q.power;
  j["alpha"] = q.alpha;
  j["test"] = detect_test_name(q.test);
  j["ratio"] = q.ratio;
  j["n1"] = r.n1;
  j["n2"] = r.n2;
  j["power"] = r.power;
  j["detectable"] = r.detectable ? json(*r.detectable) : json(nullptr);
  j["detectable_difference"] = r.detectable ? json(std::abs(*r.detectable - q.from)) : json(nullptr);
  json around = json::array();
  for (const auto& p : r.around) around.push_back({{"n1", p.n1}, {"n2", p.n2}, {"power", p.power}});
  j["around"] = around;
  j["search"] = q.n ? json(nullptr)
                    : json({{"scanned_from", r.search.scanned_from},
                            {"scanned_to", r.search.scanned_to},
                            {"evaluations", r.search.evaluations}});
  j["version"] = base::version();
  return j.dump(2) + "\n";
}

std::string detect_csv(const DetectResult& r) {
  const auto& q = r.request;
  output::Table t;
  t.header = {"mode",   "from", "to", "power_wanted", "alpha",      "test",   "ratio",
              "answer", "n1",   "n2", "power",        "detectable", "version"};
  auto row = [&](const PowerPoint& p, bool answer) {
    t.add_row({q.n ? "power" : "plan", base::format_number(q.from), base::format_number(q.to),
               base::format_number(q.power), base::format_number(q.alpha),
               std::string(detect_test_name(q.test)), base::format_number(q.ratio), answer ? "yes" : "no",
               std::to_string(p.n1), std::to_string(p.n2), base::format_number(p.power),
               answer && r.detectable ? base::format_number(*r.detectable) : "", base::version()});
  };
  if (r.around.empty()) row({r.n1, r.n2, r.power}, true);
  for (const auto& p : r.around) row(p, p.n1 == r.n1);
  return output::render_csv(t);
}

std::string test_label(DetectTest t) {
  switch (t) {
    case DetectTest::fisher: return "Fisher's exact test";
    case DetectTest::newcombe: return "Newcombe hybrid score interval excluding 0";
    case DetectTest::miettinen_nurminen: return "Miettinen-Nurminen interval excluding 0";
  }
  return "?";
}

std::string detect_table(const DetectResult& r) {
  const auto& q = r.request;
  std::string out = "Change: " + base::format_percent(q.from) + " wrong at the first inspection, " +
                    base::format_percent(q.to) + " at the second\nTest: " + test_label(q.test) +
                    ", two-sided, alpha " + base::format_number(q.alpha) + "\n";
  if (q.n) {
    out += "Samples: " + std::to_string(r.n1) + " and " + std::to_string(r.n2) + " records\n";
    out += "Power: " + base::format_fixed(r.power, 4) + "\n";
    out += "Smallest change detected with power " + base::format_number(q.power) + ": ";
    out += r.detectable ? base::format_percent(q.from) + " -> " + base::format_percent(*r.detectable, 2) +
                              " (a difference of " +
                              base::format_fixed(100 * std::abs(*r.detectable - q.from), 2) + " points)\n"
                        : "none on that side of " + base::format_percent(q.from) + "\n";
    return out;
  }
  out += "Wanted: power " + base::format_number(q.power) + "\n\nSample size: " + std::to_string(r.n1) +
         " records at the first inspection and " + std::to_string(r.n2) + " at the second (power " +
         base::format_fixed(r.power, 4) + ")\n\n";
  output::Table t;
  t.header = {"n1", "n2", "power", "meets"};
  t.align = {output::Align::right, output::Align::right, output::Align::right, output::Align::left};
  for (const auto& p : r.around)
    t.add_row({std::to_string(p.n1), std::to_string(p.n2), base::format_fixed(p.power, 4),
               p.n1 == r.n1         ? "yes: the answer"
               : p.power >= q.power ? "yes"
                                    : "no"});
  out += output::render_text(t);
  out += "\nSearch: every n1 from " + std::to_string(r.search.scanned_from) + " to " +
         std::to_string(r.search.scanned_to) + " evaluated";
  if (r.search.scanned_from > 1)
    out += " (sizes below " + std::to_string(r.search.scanned_from) +
           " were passed over by bisection: power is not monotone in n)";
  out += "\n";
  return out;
}

}  // namespace

std::string render_detect(const DetectResult& r, output::Format format) {
  return output::render<DetectResult>(r, format, {detect_table, detect_csv, detect_json});
}

// ---- plan scenario -------------------------------------------------------------------------------

namespace {

json step_json(const ScenarioStep& s) {
  return {{"sample", s.sample},         {"estimate", s.estimate.value},
          {"se", s.estimate.se},        {"exact", s.exact ? json(*s.exact) : json(nullptr)},
          {"replicates", s.replicates}, {"meets", s.meets}};
}

std::string scenario_json(const ScenarioPlan& p) {
  json j;
  j["file"] = p.source_path;
  j["sha256"] = p.source_sha256;
  j["cell"] = p.cell;
  j["target"] = p.target.text;
  j["seed"] = p.seed;
  j["replicates"] = p.replicates;
  j["sample"] = p.sample;
  j["at"] = step_json(p.at);
  j["below"] = p.below ? step_json(*p.below) : json(nullptr);
  json steps = json::array();
  for (const auto& s : p.steps) steps.push_back(step_json(s));
  j["steps"] = steps;
  j["search"] = {{"scanned_from", p.search.scanned_from},
                 {"scanned_to", p.search.scanned_to},
                 {"evaluations", p.search.evaluations}};
  j["version"] = base::version();
  return j.dump(2) + "\n";
}

std::string scenario_csv(const ScenarioPlan& p, output::CsvCells cells) {
  output::Table t;
  t.header = {"file",     "sha256", "cell",  "target",     "seed",  "answer", "sample",
              "estimate", "se",     "exact", "replicates", "meets", "version"};
  for (const auto& s : p.steps)
    t.add_row({p.source_path, p.source_sha256, p.cell, p.target.text, std::to_string(p.seed),
               s.sample == p.sample ? "yes" : "no", std::to_string(s.sample),
               base::format_number(s.estimate.value), base::format_number(s.estimate.se),
               s.exact ? base::format_number(*s.exact) : "", std::to_string(s.replicates),
               s.meets ? "yes" : "no", base::version()});
  return output::render_csv(t, cells);
}

std::string scenario_table(const ScenarioPlan& p) {
  std::string out = "Scenario: " + p.source_path + " (sha256 " + p.source_sha256.substr(0, 12) + "...)\n";
  out += "Cell: " + p.cell + "; target " + p.target.text + "; seed " + std::to_string(p.seed) + ", " +
         std::to_string(p.replicates) + " replicates per candidate (more near the target)\n\n";
  out += "Sample size: " + std::to_string(p.sample) + " (estimate " +
         base::format_fixed(p.at.estimate.value, 4) + ", standard error " +
         base::format_fixed(p.at.estimate.se, 4) + ")\n\n";
  output::Table t;
  t.header = {"sample", "estimate", "se", "exact", "replicates", "meets"};
  t.align = {output::Align::right, output::Align::right, output::Align::right,
             output::Align::right, output::Align::right, output::Align::left};
  std::vector<ScenarioStep> sorted = p.steps;
  std::sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) { return a.sample < b.sample; });
  for (const auto& s : sorted)
    t.add_row({std::to_string(s.sample), base::format_fixed(s.estimate.value, 4),
               base::format_fixed(s.estimate.se, 4), s.exact ? base::format_fixed(*s.exact, 4) : "-",
               std::to_string(s.replicates),
               s.sample == p.sample ? "yes: the answer"
               : s.meets            ? "yes"
                                    : "no"});
  out += output::render_text(t);
  out += "\nSearch: every sample from " + std::to_string(p.search.scanned_from) + " to " +
         std::to_string(p.search.scanned_to) + " simulated, with the same seed for each\n";
  return out;
}

}  // namespace

std::string render_scenario_plan(const ScenarioPlan& p, output::Format format, output::CsvCells cells) {
  const auto csv = [cells](const ScenarioPlan& v) { return scenario_csv(v, cells); };
  return output::render<ScenarioPlan>(p, format, {scenario_table, csv, scenario_json});
}

}  // namespace inspectsim::plan
