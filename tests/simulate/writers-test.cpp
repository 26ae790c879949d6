// Writers for simulate (simulation_report.hpp): a SimulationResult built by hand, so the tests do
// not depend on the engine. Expected values are worked out by hand from the inputs.
#include "inspectsim/simulate/writers.hpp"

#include <limits>
#include <string>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

using namespace inspectsim;
using namespace inspectsim::stats;
using namespace inspectsim::output;
using namespace inspectsim::simulate;

namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();
constexpr double inf = std::numeric_limits<double>::infinity();

// Point 1: fixed rate 1/2, n = 4, Binomial(4, 1/2) counts (1, 4, 6, 4, 1) / 16, two methods, grades.
// Point 2: Beta(2, 8) truth, n = 2, a finite population, with non-finite values the writers must hide.
SimulationResult example() {
  SimulationResult r;
  r.version = "9.9.9";
  SimulationSpec& s = r.spec;
  s.title = "Example";
  s.seed = 42;
  s.replicates = 1000;
  s.confidence = 0.95;
  s.methods = {Method::wilson, Method::wald};
  s.source_path = "scenarios/example.toml";
  s.source_sha256 = std::string(64, 'a');

  CellPoint a;
  a.cell = 0;
  a.force = "Kent";
  a.category = "rape";
  a.truth.rate = 0.5;
  a.sample = 4;
  a.grades = {{"good", 0.25}, {"bad", std::nullopt}};
  CellPoint b;
  b.cell = 1;
  b.force = "Avon & Somerset";
  b.category = "robbery, violence";  // a comma: CSV must quote it
  b.truth = {Truth::Kind::beta, 0, 2, 8};
  b.population = 50;
  b.sample = 2;
  b.clusters = Clusters{2, 0.1};
  b.inspector = Inspector{0.9, 0.98};
  b.selection_odds = 2;
  s.points = {a, b};

  PointResult p;
  p.point = a;
  p.replicates = 1000;
  p.true_rate = 0.5;
  p.mean_share = {0.5, 0.008};
  p.bias = 0;
  p.sd = 0.25;
  p.rmse = 0.25;
  p.count_distribution = {1.0 / 16, 4.0 / 16, 6.0 / 16, 4.0 / 16, 1.0 / 16};
  p.exact_count_distribution = p.count_distribution;
  p.methods = {{Method::wilson, {0.875, 0.0105}, 0.875, 0.6, 0.0625, 0.0625, 0},
               {Method::wald, {0.75, 0.0137}, std::nullopt, 0.5, 0.125, 0.125, 125}};
  p.grades = {{"good", {0.3125, 0.0147}, 0.3125}, {"bad", {0.6875, 0.0147}, 0.6875}};
  p.p_correct_grade = Estimate{0.6875, 0.0147};
  p.exact_p_correct_grade = 0.6875;
  p.correct_grade = "bad";

  PointResult q;
  q.point = b;
  q.replicates = 1000;
  q.true_rate = 0.2;
  q.true_count = std::nullopt;
  q.mean_share = {0.21, 0.01};
  q.bias = 0.01;
  q.sd = nan;
  q.rmse = inf;
  q.count_distribution = {0.6, 0.3, 0.1};
  q.methods = {{Method::wilson, {0.9, 0.0095}, std::nullopt, nan, 0.05, 0.05, 0},
               {Method::wald, {0.8, 0.0126}, nan, 0.4, 0.1, 0.1, 3}};
  r.points = {p, q};

  ComparisonResult c;
  c.spec.name = "Kent/rape vs Avon & Somerset/robbery, violence";
  c.spec.a = 0;
  c.spec.b = 1;
  c.spec.method = DiffMethod::newcombe;
  c.p_declare = {0.3, 0.0145};
  c.exact = std::nullopt;
  r.comparisons = {c};
  return r;
}

}  // namespace

TEST_CASE("JSON: provenance, every documented field, null for what is missing or not finite") {
  const std::string text = render_simulation(example(), Format::json);
  CHECK(text.find("NaN") == std::string::npos);
  CHECK(text.find("nan") == std::string::npos);
  CHECK(text.find("inf") == std::string::npos);
  CHECK(text.find("threads") == std::string::npos);  // results do not depend on it
  // Arrays of numbers on one line; the rest indented.
  CHECK(text.find("\n      \"count_distribution\": [0.0625, 0.25, 0.375, 0.25, 0.0625],\n") !=
        std::string::npos);
  const auto j = nlohmann::ordered_json::parse(text);

  std::vector<std::string> top;
  for (const auto& [k, v] : j.items()) top.push_back(k);
  CHECK(top == std::vector<std::string>{"title", "version", "seed", "replicates", "confidence", "scenario",
                                        "methods", "points", "comparisons", "leagues"});
  CHECK(j["version"] == "9.9.9");
  CHECK(j["seed"] == 42);
  CHECK(j["replicates"] == 1000);
  CHECK(j["scenario"]["path"] == "scenarios/example.toml");
  CHECK(j["scenario"]["sha256"] == std::string(64, 'a'));
  CHECK(j["methods"] == nlohmann::json::array({"wilson", "wald"}));

  const auto& p = j["points"][0];
  std::vector<std::string> keys;
  for (const auto& [k, v] : p.items()) keys.push_back(k);
  CHECK(keys == std::vector<std::string>{"point",
                                         "cell",
                                         "force",
                                         "category",
                                         "truth",
                                         "true_rate",
                                         "population",
                                         "true_count",
                                         "sample",
                                         "clusters",
                                         "inspector",
                                         "selection_odds",
                                         "replicates",
                                         "mean_share",
                                         "mean_share_se",
                                         "bias",
                                         "sd",
                                         "rmse",
                                         "count_distribution",
                                         "exact_count_distribution",
                                         "methods",
                                         "grades",
                                         "correct_grade",
                                         "p_correct_grade",
                                         "p_correct_grade_se",
                                         "exact_p_correct_grade"});
  CHECK(p["point"] == 1);
  CHECK(p["cell"] == 1);
  CHECK(p["truth"] == nlohmann::ordered_json::parse(R"({"kind": "fixed", "rate": 0.5, "beta": null})"));
  CHECK(p["population"].is_null());
  CHECK(p["count_distribution"].size() == 5);
  CHECK(p["count_distribution"][2] == 0.375);
  CHECK(p["methods"][0] ==
        nlohmann::ordered_json::parse(R"({"method": "wilson", "coverage": 0.875, "coverage_se": 0.0105,
      "exact_coverage": 0.875, "mean_width": 0.6, "miss_below": 0.0625, "miss_above": 0.0625, "undefined": 0})"));
  CHECK(p["methods"][1]["exact_coverage"].is_null());
  CHECK(p["methods"][1]["undefined"] == 125);
  CHECK(p["grades"][0] ==
        nlohmann::ordered_json::parse(
            R"({"name": "good", "upper": 0.25, "probability": 0.3125, "probability_se": 0.0147,
                                  "exact": 0.3125})"));
  CHECK(p["grades"][1]["upper"].is_null());
  CHECK(p["correct_grade"] == "bad");
  CHECK(p["p_correct_grade"] == 0.6875);
  CHECK(p["exact_p_correct_grade"] == 0.6875);

  const auto& q = j["points"][1];
  CHECK(q["point"] == 2);
  CHECK(q["truth"] == nlohmann::ordered_json::parse(R"({"kind": "beta", "rate": null, "beta": [2.0, 8.0]})"));
  CHECK(q["population"] == 50);
  CHECK(q["clusters"] == nlohmann::ordered_json::parse(R"({"count": 2, "icc": 0.1})"));
  CHECK(q["inspector"] == nlohmann::ordered_json::parse(R"({"sensitivity": 0.9, "specificity": 0.98})"));
  CHECK(q["selection_odds"] == 2.0);
  CHECK(q["sd"].is_null());    // NaN
  CHECK(q["rmse"].is_null());  // inf
  CHECK(q["exact_count_distribution"].is_null());
  CHECK(q["methods"][0]["mean_width"].is_null());
  CHECK(q["methods"][1]["exact_coverage"].is_null());
  CHECK(q["grades"].empty());
  CHECK(q["correct_grade"].is_null());
  CHECK(q["p_correct_grade"].is_null());

  const auto& c = j["comparisons"][0];
  CHECK(c == nlohmann::ordered_json::parse(
                 R"({"name": "Kent/rape vs Avon & Somerset/robbery, violence", "a": 1, "b": 2,
      "method": "newcombe", "true_rate_a": 0.5, "true_rate_b": 0.2, "declares": "power", "p_declare": 0.3,
      "p_declare_se": 0.0145, "exact": null})"));
}

TEST_CASE("CSV: the documented columns, one row per point x method, empty for what is not finite") {
  const std::string text = render_simulation(example(), Format::csv);
  std::vector<std::string> lines;
  std::size_t start = 0;
  for (std::size_t nl; (nl = text.find('\n', start)) != std::string::npos; start = nl + 1)
    lines.push_back(text.substr(start, nl - start));
  REQUIRE(lines.size() == 5);  // header + 2 points x 2 methods
  CHECK(
      lines[0] ==
      "point,cell,force,category,truth,true_rate,beta_a,beta_b,population,true_count,sample,replicates,mean_"
      "share,"
      "bias,sd,rmse,p_none_found,method,coverage,coverage_se,exact_coverage,mean_width,miss_below,miss_above,"
      "undefined,correct_grade,p_correct_grade,p_correct_grade_se");
  CHECK(lines[1] ==
        "1,1,Kent,rape,fixed,0.5,,,,,4,1000,0.5,0,0.25,0.25,0.0625,wilson,0.875,0.0105,0.875,0.6,0.0625,0."
        "0625,0,bad,"
        "0.6875,0.0147");
  CHECK(lines[2] ==
        "1,1,Kent,rape,fixed,0.5,,,,,4,1000,0.5,0,0.25,0.25,0.0625,wald,0.75,0.0137,,0.5,0.125,0.125,125,bad,"
        "0.6875,"
        "0.0147");
  CHECK(lines[3] ==
        "2,2,Avon & Somerset,\"robbery, "
        "violence\",beta,0.2,2,8,50,,2,1000,0.21,0.01,,,0.6,wilson,0.9,0.0095,,,0.05,"
        "0.05,0,,,");
  CHECK(lines[4] ==
        "2,2,Avon & Somerset,\"robbery, "
        "violence\",beta,0.2,2,8,50,,2,1000,0.21,0.01,,,0.6,wald,0.8,0.0126,,0.4,0.1,"
        "0.1,3,,,");
  CHECK(simulation_csv_columns().size() == 28);
}

TEST_CASE("CSV comparisons section: one row per comparison, the JSON's fields, empty for none") {
  const std::string text = render_simulation(example(), Format::csv, CsvSection::comparisons);
  CHECK(text ==
        "name,a,b,method,true_rate_a,true_rate_b,declares,p_declare,p_declare_se,exact\n"
        "\"Kent/rape vs Avon & Somerset/robbery, violence\",1,2,newcombe,0.5,0.2,power,0.3,0.0145,\n");
  CHECK(comparison_csv_columns().size() == 10);
}

TEST_CASE("table: provenance, one block per point, '-' for what is missing, comparisons, sentences") {
  const std::string text = render_simulation(example(), Format::table);
  CHECK(
      text.starts_with("Example\nscenario scenarios/example.toml (SHA-256 aaaaaaaaaaaaaaaa...)\n"
                       "inspectsim 9.9.9, seed 42, 1000 replicates per point, 95% two-sided intervals\n"));
  CHECK(text.find("nan") == std::string::npos);
  CHECK(text.find("inf") == std::string::npos);
  CHECK(
      text.find("Point 1: Kent / rape\n  truth: 50.0%; sample of 4 from an unlimited stream (binomial)\n") !=
      std::string::npos);
  CHECK(
      text.find("  observed share: mean 50.0%, bias +0.0 points, sd 25.0 points, RMSE 25.0 points; no wrong "
                "record found in 6.2%\n") != std::string::npos);
  CHECK(text.find("  Wilson  87.50% ± 1.05  87.50%    60.0 pts        6.2%        6.2%          0\n") !=
        std::string::npos);
  CHECK(text.find("  Wald    75.00% ± 1.37       -    50.0 pts       12.5%       12.5%        125\n") !=
        std::string::npos);
  CHECK(text.find("  P(the grade the truth deserves, 'bad') = 68.75% ± 1.47 (exact 68.75%)\n") !=
        std::string::npos);
  CHECK(text.find(
            "Point 2: Avon & Somerset / robbery, violence\n  truth: Beta(2, 8) drawn afresh each replicate, "
            "mean 20.0%; sample of 2 drawn without replacement from 50 records, targeted (a wrong record 2x "
            "as likely), spread over 2 units (icc 0.1), inspector sensitivity 90.0%, specificity 98.0%\n") !=
        std::string::npos);
  CHECK(text.find("sd - points, RMSE - points") != std::string::npos);
  CHECK(text.find("       - pts") != std::string::npos);  // mean width NaN
  CHECK(text.find("1 vs 2") != std::string::npos);
  CHECK(text.find("\nIn plain words:\n- ") != std::string::npos);
}

TEST_CASE("sentences: spread of the figure, coverage, grades, power and false alarms") {
  SimulationResult r = example();
  auto s = simulation_sentences(r);
  REQUIRE(s.size() == 5);
  // Binomial(4, 1/2): |x/4 - 1/2| is 0 with probability 6/16, 1/4 with 8/16 (cumulative 14/16 =
  // 87.5% < 95%) and 1/2 with 2/16, so the figure lands within 50 points in 95% of inspections.
  CHECK(s[0] ==
        "Kent / rape (true rate 50.0%, 4 records sampled): the inspection's figure lands within 50.0 points "
        "of the "
        "truth in 95% of inspections; it finds no wrong record at all in 6.2%; and the 95% Wilson interval "
        "holds "
        "the truth in 87.5%.");
  // A Beta truth has no single figure to land near.
  CHECK(s[1] ==
        "Avon & Somerset / robbery, violence (true rate Beta-distributed, mean 20.0%, 2 records sampled): it "
        "finds "
        "no wrong record at all in 60.0%; and the 95% Wilson interval holds the truth in 90.0%.");
  CHECK(s[2] ==
        "Lowest coverage of each method (nominal 95%): Wilson 87.5% (Kent / rape, true rate 50.0%, n = 4); "
        "Wald "
        "75.0% (Kent / rape, true rate 50.0%, n = 4).");
  CHECK(s[3] ==
        "A true rate of 50.0% deserves 'bad'; an inspection of 4 records gives it in 68.8% of cases.");
  CHECK(s[4] ==
        "Kent/rape vs Avon & Somerset/robbery, violence (true rates 50.0% and 20.0%): the 95% Newcombe "
        "hybrid score "
        "interval for the difference declares a difference in 30.0% of inspections, its power to see a real "
        "difference.");

  // At 80% the figure lands within 25 points (14/16 = 87.5% >= 80%); Fisher's test at the 20% level;
  // equal truths make the comparison's rate a false alarm.
  r.spec.confidence = 0.8;
  r.points[1].true_rate = 0.5;
  r.points[1].point.truth = Truth{};
  r.comparisons[0].spec.fisher = true;
  s = simulation_sentences(r);
  CHECK(s[0].find("lands within 25.0 points of the truth in 80% of inspections") != std::string::npos);
  CHECK(s.back() ==
        "Kent/rape vs Avon & Somerset/robbery, violence (true rates 50.0% and 50.0%): Fisher's exact test at "
        "the "
        "20% level declares a difference in 30.0% of inspections, a false alarm, since the rates are equal.");
}

namespace {

// The example with a two-member league of its points: Kent truly worst (50% against 20%).
SimulationResult league_example(Ties ties) {
  SimulationResult r = example();
  LeagueResult l;
  l.spec = {"two forces", {0, 1}, ties, {1, 2}};
  LeagueMemberResult kent{0, 0.5, 1, {0.7, 0.0145}, 0.705, {1.3, 0.0145}, {0.7, 0.3}};
  LeagueMemberResult avon{1, 0.2, 2, {0.4, 0.0155}, std::nullopt, {1.6, 0.0155}, {0.4, 0.6}};
  l.members = {kent, avon};
  l.p_true_worst_ranked_worst = {0.7, 0.0145};
  l.p_true_worst_ranked_worst_exact = std::nullopt;
  l.top = {{1, {0.6, 0.0155}}, {2, {1.0, 0.0}}};
  l.spearman = Estimate{0.4, 0.03};
  l.mean_abs_rank_error = {0.3, 0.0145};
  r.leagues = {l};
  return r;
}

}  // namespace

TEST_CASE("JSON leagues: the fields the issue lists, null where a value does not apply") {
  const auto j = nlohmann::ordered_json::parse(render_simulation(league_example(Ties::shared), Format::json));
  REQUIRE(j["leagues"].size() == 1);
  const auto& l = j["leagues"][0];
  std::vector<std::string> keys;
  for (const auto& [k, v] : l.items()) keys.push_back(k);
  CHECK(keys == std::vector<std::string>{"name", "size", "ties", "p_true_worst_ranked_worst",
                                         "p_true_worst_ranked_worst_se", "p_true_worst_ranked_worst_exact",
                                         "top", "spearman", "mean_abs_rank_error", "mean_abs_rank_error_se",
                                         "members"});
  CHECK(l["name"] == "two forces");
  CHECK(l["size"] == 2);
  CHECK(l["ties"] == "shared");
  CHECK(l["p_true_worst_ranked_worst"] == 0.7);
  CHECK(l["p_true_worst_ranked_worst_exact"].is_null());
  CHECK(l["top"][1] == nlohmann::ordered_json{{"k", 2}, {"probability", 1.0}, {"se", 0.0}});
  CHECK(l["spearman"] == nlohmann::ordered_json{{"mean", 0.4}, {"se", 0.03}});
  const auto& m = l["members"][1];
  keys.clear();
  for (const auto& [k, v] : m.items()) keys.push_back(k);
  CHECK(keys == std::vector<std::string>{"point", "force", "category", "true_rate", "true_rank",
                                         "p_ranked_worst", "p_ranked_worst_se", "p_ranked_worst_exact",
                                         "mean_rank", "mean_rank_se", "rank_distribution"});
  CHECK(m["point"] == 2);
  CHECK(m["force"] == "Avon & Somerset");
  CHECK(m["true_rank"] == 2);
  CHECK(m["p_ranked_worst_exact"].is_null());
  CHECK(m["rank_distribution"] == nlohmann::json::array({0.4, 0.6}));
  CHECK(l["members"][0]["p_ranked_worst_exact"] == 0.705);

  SimulationResult none = league_example(Ties::random);
  none.leagues[0].spearman.reset();
  const auto k = nlohmann::ordered_json::parse(render_simulation(none, Format::json));
  CHECK(k["leagues"][0]["spearman"].is_null());
  CHECK(k["leagues"][0]["ties"] == "random");
}

TEST_CASE("CSV leagues section, table and sentences") {
  const SimulationResult r = league_example(Ties::shared);
  const std::string csv = render_simulation(r, Format::csv, CsvSection::leagues);
  CHECK(csv ==
        "league,size,ties,point,force,category,sample,true_rate,true_rank,p_ranked_worst,p_ranked_worst_se,"
        "p_ranked_worst_exact,mean_rank,mean_rank_se,p_rank_top3\n"
        "two forces,2,shared,1,Kent,rape,4,0.5,1,0.7,0.0145,0.705,1.3,0.0145,1\n"
        "two forces,2,shared,2,Avon & Somerset,\"robbery, violence\",2,0.2,2,0.4,0.0155,,1.6,0.0155,1\n");
  // Members of different categories are cells, not forces; top's first k above 1 is 2 ("two").
  const auto sentences = league_sentences(r, r.leagues[0]);
  REQUIRE(sentences.size() == 2);
  CHECK(sentences[0] ==
        "two forces: the truly worst cell is ranked worst in 70% of inspections; the cell ranked worst is "
        "among the truly worst two in 100% (all of them, when several share the worst place).");
  CHECK(
      sentences[1] ==
      "Across the whole table the observed ranks correlate with the true ones at 0.40 (Spearman), and a cell "
      "lands 0.3 places from its true rank on average.");
  const std::string table = render_simulation(r, Format::table);
  CHECK(table.find("League: two forces (2 members, ties shared; rank 1 = the highest share, the worst)") !=
        std::string::npos);
  CHECK(table.find("P(the truly worst ranked worst) = 70.00% ± 1.45\n") != std::string::npos);
  CHECK(table.find("- " + sentences[0]) != std::string::npos);
  CHECK(table.find("Spearman's rank correlation: 0.400 ± 0.030; ") != std::string::npos);
}

TEST_CASE("table: a small SE of Spearman's correlation shows its two significant digits") {
  // Three decimals would print 0.988 ± 0.000; the SE's two digits set the value's places too.
  SimulationResult r = league_example(Ties::shared);
  r.leagues[0].spearman = Estimate{0.98765, 0.00042};
  CHECK(render_simulation(r, Format::table).find("Spearman's rank correlation: 0.98765 ± 0.00042; ") !=
        std::string::npos);
  // An SE of exactly 0 (every replicate ranks alike) says so rather than "0.000".
  r.leagues[0].spearman = Estimate{1, 0};
  CHECK(render_simulation(r, Format::table).find("Spearman's rank correlation: 1.000 ± 0; ") !=
        std::string::npos);
}
