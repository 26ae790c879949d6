#include "inspectsim/simulate/writers.hpp"

#include "inspectsim/base/text.hpp"

#include <algorithm>
#include <cmath>

#include <nlohmann/json.hpp>

namespace inspectsim::simulate {

namespace {

using json = nlohmann::ordered_json;

// ---- Shared wording ----------------------------------------------------------------------------

// Sentences per point only up to this many points; beyond, one summary line each.
constexpr std::size_t max_points_described = 12;

bool finite(double v) { return std::isfinite(v); }

// A difference of shares in percentage points: "+1.2", "-0.3".
std::string points_text(double share_diff, int decimals = 1, bool sign = false) {
  if (!finite(share_diff)) return "-";
  const std::string s = base::format_fixed(100 * share_diff, decimals);
  return sign && !s.starts_with('-') ? "+" + s : s;
}
std::string estimate_text(const Estimate& e) {
  return base::share_text(e.value, 2) + " ± " + points_text(e.se, 2);
}

// Every line indented by two spaces (tables inside a point's block).
std::string indent(const std::string& text) {
  std::string out;
  bool start = true;
  for (char c : text) {
    if (start && c != '\n') out += "  ";
    out += c;
    start = c == '\n';
  }
  return out;
}

std::string point_label(const CellPoint& p) { return p.force + " / " + p.category; }

bool fixed_truth(const PointResult& r) { return r.point.truth.kind == Truth::Kind::fixed; }

// "15.8%", "15.8% (K = 6 of M = 38)", "Beta(2, 8), mean 20.0%".
std::string truth_text(const PointResult& r) {
  const CellPoint& p = r.point;
  if (!fixed_truth(r))
    return "Beta(" + base::format_number(p.truth.a) + ", " + base::format_number(p.truth.b) +
           ") drawn afresh each replicate, mean " + base::share_text(r.true_rate);
  std::string s = base::share_text(r.true_rate);
  if (r.true_count && p.population)
    s += " (K = " + std::to_string(*r.true_count) + " wrong of M = " + std::to_string(*p.population) + ")";
  return s;
}

std::string design_text(const CellPoint& p) {
  std::string s = "sample of " + std::to_string(p.sample);
  if (p.population)
    s += " drawn without replacement from " + std::to_string(*p.population) + " records";
  else
    s += " from an unlimited stream (binomial)";
  if (p.selection_odds)
    s += ", targeted (a wrong record " + base::format_number(*p.selection_odds) + "x as likely)";
  if (p.clusters)
    s += ", spread over " + std::to_string(p.clusters->count) + " units (icc " +
         base::format_number(p.clusters->icc) + ")";
  if (p.inspector)
    s += ", inspector sensitivity " + base::share_text(p.inspector->sensitivity) + ", specificity " +
         base::share_text(p.inspector->specificity);
  return s;
}

// The smallest d with P(|X / n - truth| <= d) >= level, from the simulated count distribution:
// "the figure lands within d of the truth in 95% of inspections". Fixed truths only.
std::optional<double> spread(const PointResult& r, double level) {
  if (!fixed_truth(r) || r.count_distribution.empty()) return std::nullopt;
  const double n = static_cast<double>(r.point.sample);
  std::vector<std::pair<double, double>> by_distance;  // (|x / n - truth|, P(X = x))
  for (std::size_t x = 0; x < r.count_distribution.size(); ++x)
    by_distance.emplace_back(std::abs(static_cast<double>(x) / n - r.true_rate), r.count_distribution[x]);
  std::sort(by_distance.begin(), by_distance.end());
  double mass = 0;
  for (const auto& [d, p] : by_distance) {
    mass += p;
    if (mass >= level - 1e-12) return d;
  }
  return by_distance.back().first;
}

std::optional<double> p_none_found(const PointResult& r) {
  if (r.count_distribution.empty()) return std::nullopt;
  return r.count_distribution.front();
}

// Power when the truths differ, a false-alarm rate when they are equal.
bool truths_differ(const SimulationResult& res, const ComparisonResult& c) {
  const PointResult& a = res.points.at(c.spec.a);
  const PointResult& b = res.points.at(c.spec.b);
  return a.true_rate != b.true_rate || a.point.truth.kind != b.point.truth.kind;
}

std::string comparison_method(const ComparisonSpec& c) {
  return c.fisher ? "fisher" : std::string(stats::diff_method_name(c.method));
}
std::string comparison_method_label(const ComparisonSpec& c, double confidence) {
  if (c.fisher) return "Fisher's exact test at the " + base::level_text(1 - confidence) + " level";
  const char* label = c.method == stats::DiffMethod::newcombe             ? "Newcombe hybrid score"
                      : c.method == stats::DiffMethod::miettinen_nurminen ? "Miettinen-Nurminen"
                      : c.method == stats::DiffMethod::agresti_caffo      ? "Agresti-Caffo"
                                                                          : "Wald";
  return "the " + base::level_text(confidence) + " " + label + " interval for the difference";
}

// ---- JSON --------------------------------------------------------------------------------------

json number(double v) { return finite(v) ? json(v) : json(nullptr); }
json number(const std::optional<double>& v) { return v ? number(*v) : json(nullptr); }
json numbers(const std::vector<double>& v) {
  json out = json::array();
  for (double x : v) out.push_back(number(x));
  return out;
}

json point_json(const PointResult& r, std::size_t index) {
  const CellPoint& p = r.point;
  json j;
  j["point"] = index + 1;
  j["cell"] = p.cell + 1;
  j["force"] = p.force;
  j["category"] = p.category;
  json truth;
  truth["kind"] = fixed_truth(r) ? "fixed" : "beta";
  truth["rate"] = fixed_truth(r) ? number(p.truth.rate) : json(nullptr);
  truth["beta"] = fixed_truth(r) ? json(nullptr) : json::array({number(p.truth.a), number(p.truth.b)});
  j["truth"] = truth;
  j["true_rate"] = number(r.true_rate);
  j["population"] = p.population ? json(*p.population) : json(nullptr);
  j["true_count"] = r.true_count ? json(*r.true_count) : json(nullptr);
  j["sample"] = p.sample;
  j["clusters"] =
      p.clusters ? json{{"count", p.clusters->count}, {"icc", number(p.clusters->icc)}} : json(nullptr);
  j["inspector"] = p.inspector ? json{{"sensitivity", number(p.inspector->sensitivity)},
                                      {"specificity", number(p.inspector->specificity)}}
                               : json(nullptr);
  j["selection_odds"] = number(p.selection_odds);
  j["replicates"] = r.replicates;
  j["mean_share"] = number(r.mean_share.value);
  j["mean_share_se"] = number(r.mean_share.se);
  j["bias"] = number(r.bias);
  j["sd"] = number(r.sd);
  j["rmse"] = number(r.rmse);
  j["count_distribution"] = numbers(r.count_distribution);
  j["exact_count_distribution"] =
      r.exact_count_distribution.empty() ? json(nullptr) : numbers(r.exact_count_distribution);
  json methods = json::array();
  for (const auto& m : r.methods) {
    json o;
    o["method"] = stats::method_name(m.method);
    o["coverage"] = number(m.coverage.value);
    o["coverage_se"] = number(m.coverage.se);
    o["exact_coverage"] = number(m.exact_coverage);
    o["mean_width"] = number(m.mean_width);
    o["miss_below"] = number(m.miss_below);
    o["miss_above"] = number(m.miss_above);
    o["undefined"] = m.undefined;
    methods.push_back(o);
  }
  j["methods"] = methods;
  json grades = json::array();
  for (std::size_t g = 0; g < r.grades.size(); ++g) {
    const auto& gr = r.grades[g];
    grades.push_back({{"name", gr.name},
                      {"upper", g < p.grades.size() ? number(p.grades[g].upper) : json(nullptr)},
                      {"probability", number(gr.probability.value)},
                      {"probability_se", number(gr.probability.se)},
                      {"exact", number(gr.exact)}});
  }
  j["grades"] = grades;
  j["correct_grade"] = r.correct_grade.empty() ? json(nullptr) : json(r.correct_grade);
  j["p_correct_grade"] = r.p_correct_grade ? number(r.p_correct_grade->value) : json(nullptr);
  j["p_correct_grade_se"] = r.p_correct_grade ? number(r.p_correct_grade->se) : json(nullptr);
  j["exact_p_correct_grade"] = number(r.exact_p_correct_grade);
  return j;
}

// nlohmann's dump(2) puts every array element on its own line; a count distribution of a sample
// of 1,200 would take 1,201 lines. Arrays holding only numbers, null or booleans go on one line.
std::string collapse_flat_arrays(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    out += c;
    if (in_string) {
      if (c == '\\')
        out += text[++i];
      else if (c == '"')
        in_string = false;
      continue;
    }
    if (c == '"') in_string = true;
    if (c != '[') continue;
    const std::size_t close = text.find_first_of("[]{\"", i + 1);
    if (close == std::string::npos || text[close] != ']') continue;
    // Flat: copy the elements with single spaces after commas.
    bool space = false;
    for (std::size_t k = i + 1; k < close; ++k) {
      const char e = text[k];
      if (e == ' ' || e == '\n') {
        space = true;
        continue;
      }
      if (space && out.back() == ',') out += ' ';
      space = false;
      out += e;
    }
    out += ']';
    i = close;
  }
  return out;
}

std::string render_json(const SimulationResult& res) {
  const SimulationSpec& s = res.spec;
  json j;
  j["title"] = s.title;
  j["version"] = res.version;
  j["seed"] = s.seed;
  j["replicates"] = s.replicates;
  j["confidence"] = number(s.confidence);
  j["scenario"] = {{"path", s.source_path}, {"sha256", s.source_sha256}};
  json methods = json::array();
  for (stats::Method m : s.methods) methods.push_back(stats::method_name(m));
  j["methods"] = methods;
  json points = json::array();
  for (std::size_t i = 0; i < res.points.size(); ++i) points.push_back(point_json(res.points[i], i));
  j["points"] = points;
  json comparisons = json::array();
  for (const auto& c : res.comparisons) {
    json o;
    o["name"] = c.spec.name;
    o["a"] = c.spec.a + 1;
    o["b"] = c.spec.b + 1;
    o["method"] = comparison_method(c.spec);
    o["true_rate_a"] = number(res.points.at(c.spec.a).true_rate);
    o["true_rate_b"] = number(res.points.at(c.spec.b).true_rate);
    o["declares"] = truths_differ(res, c) ? "power" : "false alarm";
    o["p_declare"] = number(c.p_declare.value);
    o["p_declare_se"] = number(c.p_declare.se);
    o["exact"] = number(c.exact);
    comparisons.push_back(o);
  }
  j["comparisons"] = comparisons;
  json leagues = json::array();
  for (const auto& l : res.leagues) {
    json o;
    o["name"] = l.spec.name;
    o["size"] = l.members.size();
    o["ties"] = base::name_of(l.spec.ties);
    o["p_true_worst_ranked_worst"] = number(l.p_true_worst_ranked_worst.value);
    o["p_true_worst_ranked_worst_se"] = number(l.p_true_worst_ranked_worst.se);
    o["p_true_worst_ranked_worst_exact"] = number(l.p_true_worst_ranked_worst_exact);
    json top = json::array();
    for (const auto& t : l.top)
      top.push_back(
          {{"k", t.k}, {"probability", number(t.probability.value)}, {"se", number(t.probability.se)}});
    o["top"] = top;
    o["spearman"] = l.spearman ? json{{"mean", number(l.spearman->value)}, {"se", number(l.spearman->se)}}
                               : json(nullptr);
    o["mean_abs_rank_error"] = number(l.mean_abs_rank_error.value);
    o["mean_abs_rank_error_se"] = number(l.mean_abs_rank_error.se);
    json members = json::array();
    for (const auto& m : l.members) {
      const CellPoint& p = res.points.at(m.point).point;
      json e;
      e["point"] = m.point + 1;
      e["force"] = p.force;
      e["category"] = p.category;
      e["true_rate"] = number(m.true_rate);
      e["true_rank"] = m.true_rank;
      e["p_ranked_worst"] = number(m.p_ranked_worst.value);
      e["p_ranked_worst_se"] = number(m.p_ranked_worst.se);
      e["p_ranked_worst_exact"] = number(m.p_ranked_worst_exact);
      e["mean_rank"] = number(m.mean_rank.value);
      e["mean_rank_se"] = number(m.mean_rank.se);
      e["rank_distribution"] = numbers(m.rank_distribution);
      members.push_back(e);
    }
    o["members"] = members;
    leagues.push_back(o);
  }
  j["leagues"] = leagues;
  return collapse_flat_arrays(j.dump(2)) + "\n";
}

// ---- CSV ---------------------------------------------------------------------------------------

std::string csv_number(double v) { return finite(v) ? base::format_number(v) : ""; }
std::string csv_number(const std::optional<double>& v) { return v ? csv_number(*v) : ""; }

std::string render_csv_rows(const SimulationResult& res, output::CsvCells text_cells) {
  output::Table t;
  t.header = simulation_csv_columns();
  for (std::size_t i = 0; i < res.points.size(); ++i) {
    const PointResult& r = res.points[i];
    const CellPoint& p = r.point;
    const bool fixed = fixed_truth(r);
    for (const auto& m : r.methods) {
      t.add_row({std::to_string(i + 1),
                 std::to_string(p.cell + 1),
                 p.force,
                 p.category,
                 fixed ? "fixed" : "beta",
                 csv_number(r.true_rate),
                 fixed ? "" : csv_number(p.truth.a),
                 fixed ? "" : csv_number(p.truth.b),
                 p.population ? std::to_string(*p.population) : "",
                 r.true_count ? std::to_string(*r.true_count) : "",
                 std::to_string(p.sample),
                 std::to_string(r.replicates),
                 csv_number(r.mean_share.value),
                 csv_number(r.bias),
                 csv_number(r.sd),
                 csv_number(r.rmse),
                 csv_number(p_none_found(r)),
                 std::string(stats::method_name(m.method)),
                 csv_number(m.coverage.value),
                 csv_number(m.coverage.se),
                 csv_number(m.exact_coverage),
                 csv_number(m.mean_width),
                 csv_number(m.miss_below),
                 csv_number(m.miss_above),
                 std::to_string(m.undefined),
                 r.correct_grade,
                 r.p_correct_grade ? csv_number(r.p_correct_grade->value) : "",
                 r.p_correct_grade ? csv_number(r.p_correct_grade->se) : ""});
    }
  }
  return output::render_csv(t, text_cells);
}

std::string render_csv_comparisons(const SimulationResult& res) {
  output::Table t;
  t.header = comparison_csv_columns();
  for (const auto& c : res.comparisons)
    t.add_row({c.spec.name, std::to_string(c.spec.a + 1), std::to_string(c.spec.b + 1),
               comparison_method(c.spec), csv_number(res.points.at(c.spec.a).true_rate),
               csv_number(res.points.at(c.spec.b).true_rate), truths_differ(res, c) ? "power" : "false alarm",
               csv_number(c.p_declare.value), csv_number(c.p_declare.se), csv_number(c.exact)});
  return output::render_csv(t);
}

std::string render_csv_leagues(const SimulationResult& res, output::CsvCells text_cells) {
  output::Table t;
  t.header = league_csv_columns();
  for (const auto& l : res.leagues)
    for (const auto& m : l.members) {
      const CellPoint& p = res.points.at(m.point).point;
      t.add_row({l.spec.name, std::to_string(l.members.size()), std::string(base::name_of(l.spec.ties)),
                 std::to_string(m.point + 1), p.force, p.category, std::to_string(p.sample),
                 csv_number(m.true_rate), std::to_string(m.true_rank), csv_number(m.p_ranked_worst.value),
                 csv_number(m.p_ranked_worst.se), csv_number(m.p_ranked_worst_exact),
                 csv_number(m.mean_rank.value), csv_number(m.mean_rank.se),
                 csv_number(m.rank_distribution.size() > 2
                                ? m.rank_distribution[0] + m.rank_distribution[1] + m.rank_distribution[2]
                                : 1.0)});
    }
  return output::render_csv(t, text_cells);
}

// ---- Table -------------------------------------------------------------------------------------

std::string point_block(const SimulationResult& res, std::size_t i) {
  const PointResult& r = res.points[i];
  const CellPoint& p = r.point;
  std::string out = "Point " + std::to_string(i + 1) + ": " + point_label(p) + "\n";
  out += "  truth: " + truth_text(r) + "; " + design_text(p) + "\n";
  out += "  observed share: mean " + base::share_text(r.mean_share.value) + ", bias " +
         points_text(r.bias, 1, true) + " points, sd " + points_text(r.sd) + " points, RMSE " +
         points_text(r.rmse) + " points";
  if (const auto none = p_none_found(r)) out += "; no wrong record found in " + base::share_text(*none);
  out += "\n\n";

  output::Table t;
  t.header = {"method", "coverage ± se", "exact", "mean width", "miss below", "miss above", "undefined"};
  t.align = {output::Align::left};
  for (const auto& m : r.methods)
    t.add_row({std::string(stats::method_label(m.method)), estimate_text(m.coverage),
               base::share_text(m.exact_coverage, 2), points_text(m.mean_width) + " pts",
               base::share_text(m.miss_below), base::share_text(m.miss_above), std::to_string(m.undefined)});
  out += indent(output::render_text(t));
  if (!r.grades.empty()) {
    output::Table g;
    g.header = {"grade", "share up to", "P(grade) ± se", "exact"};
    g.align = {output::Align::left};
    for (std::size_t k = 0; k < r.grades.size(); ++k) {
      g.add_row({r.grades[k].name, k < p.grades.size() ? base::share_text(p.grades[k].upper) : "-",
                 estimate_text(r.grades[k].probability), base::share_text(r.grades[k].exact, 2)});
    }
    out += "\n" + indent(output::render_text(g));
    if (r.p_correct_grade)
      out +=
          "  P(the grade the truth deserves, '" + r.correct_grade +
          "') = " + estimate_text(*r.p_correct_grade) +
          (r.exact_p_correct_grade ? " (exact " + base::share_text(r.exact_p_correct_grade, 2) + ")" : "") +
          "\n";
  }
  return out;
}

// "three" for 3, else the digits.
std::string count_word(std::int64_t k) {
  static const char* words[] = {"zero", "one",   "two",   "three", "four", "five",
                                "six",  "seven", "eight", "nine",  "ten"};
  return k >= 0 && k <= 10 ? words[k] : std::to_string(k);
}

std::string league_block(const SimulationResult& res, const LeagueResult& l) {
  const std::size_t k = l.members.size();
  std::string out = "League: " + l.spec.name + " (" + std::to_string(k) + " members, ties " +
                    std::string(base::name_of(l.spec.ties)) + "; rank 1 = the highest share, the worst)\n";
  out += "  P(the truly worst ranked worst) = " + estimate_text(l.p_true_worst_ranked_worst);
  if (l.p_true_worst_ranked_worst_exact)
    out += " (exact " + base::share_text(l.p_true_worst_ranked_worst_exact, 2) + ")";
  out += "\n";
  for (const auto& t : l.top)
    out += "  P(the ranked worst all among the true worst " + std::to_string(t.k) +
           ") = " + estimate_text(t.probability) + "\n";
  out += "  Spearman's rank correlation: " +
         (l.spearman ? base::value_se_text(l.spearman->value, l.spearman->se)
                     : std::string("- (every true rate is the same)")) +
         "; mean absolute rank error " +
         base::value_se_text(l.mean_abs_rank_error.value, l.mean_abs_rank_error.se, 2) + " places\n\n";
  output::Table t;
  t.header = {"member",         "n",           "true rate", "true rank", "P(ranked worst) ± se", "exact",
              "mean rank ± se", "P(rank <= 3)"};
  t.align = {output::Align::left};
  // Members by true rank (the spec's order among equals).
  std::vector<std::size_t> order(k);
  for (std::size_t i = 0; i < k; ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return l.members[a].true_rank < l.members[b].true_rank;
  });
  for (const std::size_t i : order) {
    const auto& m = l.members[i];
    double top3 = 0;
    for (std::size_t r = 0; r < std::min<std::size_t>(3, k); ++r) top3 += m.rank_distribution[r];
    t.add_row({point_label(res.points.at(m.point).point), std::to_string(res.points.at(m.point).point.sample),
               base::share_text(m.true_rate), std::to_string(m.true_rank), estimate_text(m.p_ranked_worst),
               base::share_text(m.p_ranked_worst_exact, 2),
               base::value_se_text(m.mean_rank.value, m.mean_rank.se, 2), base::share_text(top3)});
  }
  return out + indent(output::render_text(t));
}

std::string render_table(const SimulationResult& res) {
  const SimulationSpec& s = res.spec;
  std::string out = (s.title.empty() ? s.source_path : s.title) + "\n";
  out += "scenario " + s.source_path + " (SHA-256 " + s.source_sha256.substr(0, 16) + "...)\n";
  out += "inspectsim " + res.version + ", seed " + std::to_string(s.seed) + ", " +
         std::to_string(s.replicates) + " replicates per point, " + base::level_text(s.confidence) +
         " two-sided intervals\n";
  out +=
      "Shares in percent, errors and widths in percentage points; 'exact' is by enumeration where the "
      "count's "
      "law is known.\n";
  for (std::size_t i = 0; i < res.points.size(); ++i) out += "\n" + point_block(res, i);
  if (!res.comparisons.empty()) {
    output::Table t;
    t.header = {"comparison", "points", "true rates", "test", "P(declare) ± se", "exact", "meaning"};
    t.align = {output::Align::left, output::Align::left, output::Align::left, output::Align::left};
    for (const auto& c : res.comparisons)
      t.add_row({c.spec.name, std::to_string(c.spec.a + 1) + " vs " + std::to_string(c.spec.b + 1),
                 base::share_text(res.points.at(c.spec.a).true_rate) + " vs " +
                     base::share_text(res.points.at(c.spec.b).true_rate),
                 comparison_method(c.spec), estimate_text(c.p_declare), base::share_text(c.exact, 2),
                 truths_differ(res, c) ? "power" : "false alarm"});
    out += "\nComparisons: how often does the inspection declare a difference?\n\n" + output::render_text(t);
  }
  for (const auto& l : res.leagues) out += "\n" + league_block(res, l);
  out += "\nIn plain words:\n";
  for (const auto& sentence : simulation_sentences(res)) out += "- " + sentence + "\n";
  return out;
}

}  // namespace

const std::vector<std::string>& simulation_csv_columns() {
  static const std::vector<std::string> columns = {"point",
                                                   "cell",
                                                   "force",
                                                   "category",
                                                   "truth",
                                                   "true_rate",
                                                   "beta_a",
                                                   "beta_b",
                                                   "population",
                                                   "true_count",
                                                   "sample",
                                                   "replicates",
                                                   "mean_share",
                                                   "bias",
                                                   "sd",
                                                   "rmse",
                                                   "p_none_found",
                                                   "method",
                                                   "coverage",
                                                   "coverage_se",
                                                   "exact_coverage",
                                                   "mean_width",
                                                   "miss_below",
                                                   "miss_above",
                                                   "undefined",
                                                   "correct_grade",
                                                   "p_correct_grade",
                                                   "p_correct_grade_se"};
  return columns;
}

const std::vector<std::string>& comparison_csv_columns() {
  static const std::vector<std::string> columns = {"name",         "a",           "b",        "method",
                                                   "true_rate_a",  "true_rate_b", "declares", "p_declare",
                                                   "p_declare_se", "exact"};
  return columns;
}

const std::vector<std::string>& league_csv_columns() {
  static const std::vector<std::string> columns = {"league",
                                                   "size",
                                                   "ties",
                                                   "point",
                                                   "force",
                                                   "category",
                                                   "sample",
                                                   "true_rate",
                                                   "true_rank",
                                                   "p_ranked_worst",
                                                   "p_ranked_worst_se",
                                                   "p_ranked_worst_exact",
                                                   "mean_rank",
                                                   "mean_rank_se",
                                                   "p_rank_top3"};
  return columns;
}

std::vector<std::string> league_sentences(const SimulationResult& res, const LeagueResult& l) {
  std::vector<std::string> out;
  std::size_t truly_worst = 0;
  bool one_category = true;
  for (const auto& m : l.members) {
    truly_worst += m.true_rank == 1 ? 1 : 0;
    one_category = one_category && res.points.at(m.point).point.category ==
                                       res.points.at(l.members.front().point).point.category;
  }
  // Members of one category are forces; across categories they are cells.
  const std::string member = one_category ? "force" : "cell";
  std::string s = l.spec.name + ": " +
                  (truly_worst == 1 ? "the truly worst " + member + " is ranked worst in "
                                    : "one of the " + std::to_string(truly_worst) + " " + member +
                                          "s tied as truly worst is ranked worst in ") +
                  base::share_text(l.p_true_worst_ranked_worst.value, 0) + " of inspections";
  for (const auto& t : l.top) {
    if (t.k == 1) continue;
    s += "; the " + member + " ranked worst is among the truly worst " + count_word(t.k) + " in " +
         base::share_text(t.probability.value, 0);
    if (l.spec.ties == Ties::shared) s += " (all of them, when several share the worst place)";
    break;
  }
  out.push_back(s + ".");
  if (l.spearman)
    out.push_back("Across the whole table the observed ranks correlate with the true ones at " +
                  base::format_fixed(l.spearman->value, 2) + " (Spearman), and a " + member + " lands " +
                  base::format_fixed(l.mean_abs_rank_error.value, 1) +
                  " places from its true rank on average.");
  return out;
}

std::vector<std::string> simulation_sentences(const SimulationResult& res) {
  std::vector<std::string> out;
  const SimulationSpec& s = res.spec;
  const std::string level = base::level_text(s.confidence);

  // Per point: how far the figure strays, and how often the first method's interval is right.
  if (res.points.size() <= max_points_described) {
    for (const auto& r : res.points) {
      const CellPoint& p = r.point;
      std::string t = point_label(p) + " (true rate " +
                      (fixed_truth(r) ? base::share_text(r.true_rate)
                                      : "Beta-distributed, mean " + base::share_text(r.true_rate)) +
                      ", " + std::to_string(p.sample) + " records sampled): ";
      std::vector<std::string> parts;
      if (const auto d = spread(r, s.confidence))
        parts.push_back("the inspection's figure lands within " + points_text(*d) +
                        " points of the truth in " + level + " of inspections");
      if (const auto none = p_none_found(r); none && *none >= 0.01 && r.true_rate > 0)
        parts.push_back("it finds no wrong record at all in " + base::share_text(*none));
      if (!r.methods.empty()) {
        const auto& m = r.methods.front();
        parts.push_back("the " + level + " " + std::string(stats::method_label(m.method)) +
                        " interval holds the truth in " + base::share_text(m.coverage.value));
      }
      for (std::size_t k = 0; k < parts.size(); ++k)
        t += (k == 0 ? "" : k + 1 == parts.size() ? "; and " : "; ") + parts[k];
      out.push_back(t + ".");
    }
  } else {
    std::optional<double> lo, hi;
    for (const auto& r : res.points)
      if (const auto d = spread(r, s.confidence)) {
        lo = std::min(lo.value_or(*d), *d);
        hi = std::max(hi.value_or(*d), *d);
      }
    if (lo)
      out.push_back("Across the " + std::to_string(res.points.size()) +
                    " points, the inspection's figure lands within " + points_text(*lo) + " to " +
                    points_text(*hi) + " points of the truth in " + level + " of inspections.");
  }

  // Per method: the lowest coverage and where.
  if (!res.points.empty()) {
    std::string t = "Lowest coverage of each method (nominal " + level + "):";
    for (std::size_t k = 0; k < s.methods.size(); ++k) {
      const PointResult* worst = nullptr;
      for (const auto& r : res.points)
        if (k < r.methods.size() &&
            (!worst || r.methods[k].coverage.value < worst->methods[k].coverage.value))
          worst = &r;
      if (!worst) continue;
      t += std::string(k == 0 ? " " : "; ") + std::string(stats::method_label(s.methods[k])) + " " +
           base::share_text(worst->methods[k].coverage.value) + " (" + point_label(worst->point) +
           ", true rate " + base::share_text(worst->true_rate) +
           ", n = " + std::to_string(worst->point.sample) + ")";
    }
    out.push_back(t + ".");
  }

  // Grades.
  std::size_t graded = 0;
  for (const auto& r : res.points) {
    if (!r.p_correct_grade) continue;
    if (++graded > max_points_described) break;
    out.push_back("A true rate of " + base::share_text(r.true_rate) + " deserves '" + r.correct_grade +
                  "'; an inspection of " + std::to_string(r.point.sample) + " records gives it in " +
                  base::share_text(r.p_correct_grade->value) + " of cases.");
  }

  // Comparisons.
  for (std::size_t i = 0; i < res.comparisons.size() && i < max_points_described; ++i) {
    const auto& c = res.comparisons[i];
    const bool differ = truths_differ(res, c);
    out.push_back(
        c.spec.name + " (true rates " + base::share_text(res.points.at(c.spec.a).true_rate) + " and " +
        base::share_text(res.points.at(c.spec.b).true_rate) +
        "): " + comparison_method_label(c.spec, s.confidence) + " declares a difference in " +
        base::share_text(c.p_declare.value) + " of inspections" +
        (differ ? ", its power to see a real difference." : ", a false alarm, since the rates are equal."));
  }

  // Leagues.
  for (const auto& l : res.leagues)
    for (auto& sentence : league_sentences(res, l)) out.push_back(std::move(sentence));
  return out;
}

std::string render_simulation(const SimulationResult& result, output::Format format, CsvSection section,
                              output::CsvCells text_cells) {
  const auto csv = [section, text_cells](const SimulationResult& r) {
    switch (section) {
      case CsvSection::points: return render_csv_rows(r, text_cells);
      case CsvSection::comparisons: return render_csv_comparisons(r);
      case CsvSection::leagues: return render_csv_leagues(r, text_cells);
    }
    return render_csv_rows(r, text_cells);
  };
  return output::render<SimulationResult>(result, format, {render_table, csv, render_json});
}

}  // namespace inspectsim::simulate
