// Tests for include/inspectsim/report.hpp. The SimulationResult is built by hand, so the report is
// tested independently of the engine.
#include "inspectsim/compare/report.hpp"
#include "inspectsim/simulate/report.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include <doctest/doctest.h>

#include "inspectsim/base/io.hpp"
#include "inspectsim/output/svg.hpp"
#include "inspectsim/simulate/scenario.hpp"
#include "support/support.hpp"

using namespace inspectsim;
using namespace inspectsim::base;
using namespace inspectsim::stats;
using namespace inspectsim::output;
using namespace inspectsim::simulate;
using namespace inspectsim::compare;
using inspectsim::test::xml_problems;

namespace {

// Binomial probabilities P(X = x), x = 0..n, from the definition.
std::vector<double> binomial(std::int64_t n, double p) {
  std::vector<double> out;
  for (std::int64_t x = 0; x <= n; ++x) {
    const double log_choose = std::lgamma(static_cast<double>(n) + 1) -
                              std::lgamma(static_cast<double>(x) + 1) -
                              std::lgamma(static_cast<double>(n - x) + 1);
    out.push_back(std::exp(log_choose + static_cast<double>(x) * std::log(p) +
                           static_cast<double>(n - x) * std::log1p(-p)));
  }
  return out;
}

PointResult point(std::size_t cell, std::string force, std::string category, double rate, std::int64_t n) {
  PointResult p;
  p.point.cell = cell;
  p.point.force = std::move(force);
  p.point.category = std::move(category);
  p.point.truth.rate = rate;
  p.point.sample = n;
  p.replicates = 1000;
  p.true_rate = rate;
  p.mean_share = {rate, 0.01};
  p.rmse = std::sqrt(rate * (1 - rate) / static_cast<double>(n));
  p.sd = p.rmse;
  p.count_distribution = binomial(n, rate);
  p.exact_count_distribution = p.count_distribution;
  for (const Method m : {Method::wilson, Method::clopper_pearson, Method::wald}) {
    MethodResult r;
    r.method = m;
    r.coverage = {m == Method::wald ? 0.88 : 0.95 + rate / 50, 0.007};
    r.exact_coverage = r.coverage.value;
    r.mean_width = m == Method::clopper_pearson ? 0.45 : 0.4;
    r.miss_below = 0.02;
    r.miss_above = 0.03;
    p.methods.push_back(r);
  }
  return p;
}

SimulationResult hand_made_result() {
  SimulationResult r;
  r.version = "0.1.0";
  r.spec.title = "Hampshire & friends <2018>";
  r.spec.seed = 2018;
  r.spec.replicates = 1000;
  r.spec.methods = {Method::wilson, Method::clopper_pearson, Method::wald};
  r.spec.source_path = "scenarios/hampshire-2018.toml";
  r.spec.source_sha256 = std::string(64, 'b');
  // Cell 0: one point with a finite population and grades.
  PointResult h = point(0, "Hampshire", "other sexual offences", 0.5, 17);
  h.point.population = 60;
  h.true_count = 30;
  h.grades = {GradeResult{"good", {0.1, 0.01}, 0.1},
              GradeResult{"requires improvement", {0.3, 0.01}, std::nullopt},
              GradeResult{"inadequate", {0.6, 0.01}, 0.6}};
  h.correct_grade = "inadequate";
  h.p_correct_grade = Estimate{0.6, 0.015};
  h.exact_p_correct_grade = 0.6;
  h.methods[2].exact_coverage = std::numeric_limits<double>::quiet_NaN();  // never printed as NaN
  r.points.push_back(h);
  // Cell 1: a sweep of five true rates at n = 20.
  for (double rate : {0.05, 0.1, 0.2, 0.3, 0.5})
    r.points.push_back(point(1, "Avon & Somerset", "rape", rate, 20));
  // Cell 2: a Beta-distributed truth.
  PointResult b = point(2, "Kent", "robbery", 0.2, 18);
  b.point.truth.kind = Truth::Kind::beta;
  b.point.truth.a = 2;
  b.point.truth.b = 8;
  b.exact_count_distribution.clear();
  r.points.push_back(b);
  ComparisonResult c;
  c.spec.name = "Hampshire/other sexual offences vs Avon & Somerset/rape";
  c.spec.a = 0;
  c.spec.b = 3;
  c.spec.fisher = true;
  c.p_declare = {0.42, 0.016};
  c.exact = 0.415;
  r.comparisons.push_back(c);
  return r;
}

bool has(const std::string& s, const std::string& what) { return s.find(what) != std::string::npos; }

}  // namespace

TEST_CASE("the simulate report: well-formed, every chart with its table, findings and provenance") {
  const std::string s = render_simulation_report(hand_made_result());
  CHECK(xml_problems(s) == "");
  CHECK_FALSE(test::contains_word(s, "nan"));
  CHECK_FALSE(test::contains_word(s, "inf"));
  CHECK_FALSE(has(s, "http"));
  CHECK_FALSE(has(s, "<script"));
  CHECK(has(s, "<h1>Hampshire &amp; friends &lt;2018&gt;</h1>"));
  // Provenance.
  CHECK(has(s, "<dt>Seed</dt><dd>2018</dd>"));
  CHECK(has(s, "<dt>Replicates</dt><dd>1000</dd>"));
  CHECK(has(s, "<dt>Input file</dt><dd>scenarios/hampshire-2018.toml</dd>"));
  CHECK(has(s, "<dd>" + std::string(64, 'b') + "</dd>"));
  CHECK(has(s, "<dt>inspectsim version</dt><dd>0.1.0</dd>"));
  // The headline, in the order of issue 16: the comparison the samples cannot support, then the
  // method that fails its promise (Wald's 88% against 95%, 0.7% Monte Carlo SE), then the grades;
  // each links to its section.
  const auto power =
      s.find("apart in only 42.0% of inspections (power below 80%). <a href=\"#comparisons\">");
  const auto wald = s.find(
      "<li>Wald intervals promise 95% but hold the true rate in as few as 88.0% of "
      "inspections, 7.0 percentage points short (");
  const auto grade = s.find("<li>Every one of 1 design gives the grade it deserves more often than not");
  CHECK(has(s, "<h2 id=\"headline\">Headline</h2>"));
  CHECK(power != std::string::npos);
  CHECK(wald != std::string::npos);
  CHECK(grade != std::string::npos);
  CHECK(power < wald);
  CHECK(wald < grade);
  CHECK(has(s, "<h2 id=\"coverage\">"));
  CHECK(has(s, "<h2 id=\"comparisons\">"));
  CHECK(has(s, "<h2 id=\"grades\">"));
  // One sentence per cell, in the coverage section; the sweep is summarised by its worst coverage.
  CHECK(has(s,
            "<li>Hampshire / other sexual offences: sampling 17 records from 60 records with a true error "
            "rate of 50.0% (30 of 60)"));
  CHECK(has(s, "the grade the true rate deserves (inadequate) is given in 60.0% of inspections.</li>"));
  CHECK(has(s,
            "<li>Avon &amp; Somerset / rape (5 combinations of true rate and sample size): the lowest "
            "coverage of a nominal 95% interval is 95.1% for Wilson (true rate 5.0%, n = 20)"));
  CHECK(has(s,
            "<li>Kent / robbery: sampling 18 records from an unlimited stream with a true error rate of "
            "Beta(2, 8), mean 20.0%"));
  // Every chart, each followed by the table behind it.
  for (const std::string title :
       {"Coverage against the true rate: Avon &amp; Somerset / rape, n = 20", "Coverage of each method",
        "Observed count: Hampshire / other sexual offences",
        "Observed count: Avon &amp; Somerset / rape, true rate 5.0%, n = 20",
        "Mean interval width against the true rate: Avon &amp; Somerset / rape, n = 20",
        "Mean interval width by method", "Probability of each grade",
        "Probability of declaring a difference"}) {
    CAPTURE(title);
    CHECK(has(s, "<title>" + title + "</title>"));
    CHECK(has(s, "<caption>Table behind the chart: " + title + "</caption>"));
  }
  CHECK(has(s, "<caption>Every cell point and method</caption>"));
  // Tables hold the numbers: Wald's exact coverage at Hampshire was not a number.
  CHECK(has(
      s,
      "<tr><th scope=\"row\">Hampshire / other sexual offences</th><td data-label=\"method\">Wald</td><td "
      "class=\"num\" data-label=\"coverage\">88.00%</td><td class=\"num\" data-label=\"Monte Carlo SE\">0.70%"
      "</td><td class=\"num\" data-label=\"exact coverage\">-</td>"));
  CHECK(has(s, "<td data-label=\"test\">Fisher&apos;s exact test</td>"));
  CHECK(has(s,
            "<td data-label=\"reads as\">power</td><td class=\"num\" data-label=\"P(declare)\">42.00%</td>"));
}

TEST_CASE("the simulate report without grades or comparisons leaves those sections out") {
  SimulationResult r = hand_made_result();
  r.comparisons.clear();
  for (auto& p : r.points) {
    p.grades.clear();
    p.p_correct_grade.reset();
  }
  const std::string s = render_simulation_report(r);
  CHECK(xml_problems(s) == "");
  CHECK_FALSE(has(s, "Probability of each grade"));
  CHECK_FALSE(has(s, "Probability of declaring a difference"));
}

TEST_CASE("the simulate report shows a small SE of Spearman's correlation to two significant digits") {
  SimulationResult r = hand_made_result();
  LeagueResult l;
  l.spec = {"two forces", {0, 1}, Ties::shared, {1}};
  l.members = {{0, 0.5, 1, {0.99, 0.003}, 0.99, {1.01, 0.003}, {0.99, 0.01}},
               {1, 0.05, 2, {0.01, 0.003}, 0.01, {1.99, 0.003}, {0.01, 0.99}}};
  l.p_true_worst_ranked_worst = {0.99, 0.003};
  l.top = {{1, {0.99, 0.003}}};
  l.spearman = Estimate{0.98765, 0.00042};  // three decimals would print "0.988 ± 0.000"
  l.mean_abs_rank_error = {0.02, 0.004};
  r.leagues = {l};
  const std::string s = render_simulation_report(r);
  CHECK(xml_problems(s) == "");
  CHECK(has(s, "rank correlation of observed with true ranks: 0.98765 ± 0.00042; "));  // ' is escaped
}

namespace {

Comparison compare_file(const std::string& relative) {
  const std::string path = test::source_path(relative);
  const std::string text = read_text_file(path);
  CompareRequest q;
  q.input_path = relative;
  q.input_sha256 = sha256_hex(text);
  q.draws = 2000;
  return compare::run(parse_results_csv(text, relative), q);
}

}  // namespace

TEST_CASE("the compare report of the shipped cancelled-crimes CSV: every chart with its table") {
  const Comparison c = compare_file("scenarios/data/hmicfrs-cancelled-crimes.csv");
  const std::string s = render_comparison_report(c);
  CHECK(xml_problems(s) == "");
  CHECK_FALSE(test::contains_word(s, "nan"));
  CHECK_FALSE(test::contains_word(s, "inf"));
  CHECK_FALSE(has(s, "<script"));
  CHECK_FALSE(has(s, "src="));
  // The only links are the headline's, to sections of the page itself.
  for (std::size_t at = s.find("href="); at != std::string::npos; at = s.find("href=", at + 1))
    CHECK(s.substr(at, 7) == "href=\"#");
  CHECK(has(s, "<dt>Input file</dt><dd>scenarios/data/hmicfrs-cancelled-crimes.csv</dd>"));
  // The headline: only Hampshire's 9 of 17 lies outside the 99.8% limits (the example of issue 16),
  // linking to its group's section; then the changes between inspections.
  CHECK(has(s, "<h2 id=\"headline\">Headline</h2>"));
  CHECK(has(s,
            "<li>CDI 2018, other sexual offences: Hampshire&apos;s 9 of 17 (52.9%) lies above the 99.8% "
            "funnel limits around the pooled rate of 21.2%. <a href=\"#group-"));
  CHECK(has(s, "changes between inspections are large enough for the samples to detect"));
  CHECK(has(s, "<a href=\"#changes\">See: Changes between inspections</a>"));
  // The summary table, one row per group.
  CHECK(has(s, "<caption>Each group at a glance</caption>"));
  CHECK(has(s,
            "<th scope=\"row\">CDI 2018, other sexual offences</th><td class=\"num\" "
            "data-label=\"forces\">6</td>"));
  // A group of one force has no most likely worst and no P(worst) (it would be 100% by definition);
  // nor has its rank table's row.
  CHECK(has(s,
            "<th scope=\"row\">CDI 2017, robbery</th><td class=\"num\" data-label=\"forces\">1</td><td "
            "class=\"num\" data-label=\"pooled rate\">7.1%</td><td data-label=\"outside the 99.8% "
            "limits\">none</td><td class=\"num\" data-label=\"pairs told apart\">-</td><td "
            "data-label=\"most likely worst\">-</td><td class=\"num\" data-label=\"P(worst)\">-</td></tr>"));
  CHECK(has(s,
            "<th scope=\"row\">Durham</th><td class=\"num\" data-label=\"mean rank\">1.0</td><td "
            "class=\"num\" data-label=\"95% rank interval\">1 to 1</td><td class=\"num\" "
            "data-label=\"P(worst)\">-</td>"));
  CHECK(has(s, "data-label=\"most likely worst\">Hampshire</td>"));  // of CDI 2018, other sexual offences
  CHECK(has(s, "<dt>Input SHA-256</dt><dd>" + c.request.input_sha256 + "</dd>"));
  // One finding per published result, as assess words it: Hampshire 2018, 9 of 17
  // (Wilson 95%: 31.0% to 73.8%, the README's assess example).
  CHECK(has(s,
            "<li>Hampshire: 9 of 17 (52.9%): the true rate is plausibly "
            "anywhere from 31.0% to 73.8% (95% Wilson interval); above the 99.8% funnel limits"));
  for (const GroupResult& g : c.groups) {
    const std::string title = svg::xml_escape(g.inspection + ", " + g.category);
    CAPTURE(title);
    CHECK(has(s, "<h2 id=\"group-"));
    CHECK(has(s, "<title>Share wrong by force: " + title + "</title>"));
    CHECK(has(
        s, "<caption>Table behind the chart: Share wrong by force, sorted, with the pooled rate: " + title));
    CHECK(has(s, "<title>Funnel plot: " + title + "</title>"));
    CHECK(has(s, "<caption>Table behind the chart: Funnel plot with control limits and labelled outliers: " +
                     title));
    CHECK(has(s, "<title>Rank by force: " + title + "</title>"));
    CHECK(has(s, "<caption>Table behind the chart: Rank intervals (1 = highest share wrong): " + title));
    if (g.fit || g.hierarchical) CHECK(has(s, "<title>Shrunk against raw estimates: " + title + "</title>"));
  }
  REQUIRE_FALSE(c.changes.empty());
  CHECK(has(s, "<title>Change in the share wrong between inspections</title>"));
  CHECK(has(s, "<caption>Table behind the chart: Change in the share wrong between inspections</caption>"));
  CHECK(has(s, "<caption>National figures, per inspection</caption>"));
}

TEST_CASE("the compare report of the shipped recording-rates CSV is well-formed") {
  const Comparison c = compare_file("scenarios/data/hmicfrs-recording-rates.csv");
  const std::string s = render_comparison_report(c);
  CHECK(xml_problems(s) == "");
  CHECK_FALSE(test::contains_word(s, "nan"));
  CHECK(has(s, "<title>Funnel plot: "));
}

TEST_CASE("a national compare report (43 forces x 4 categories x 3 inspections) stays under 5 MB") {
  std::string csv = "force,inspection,category,sampled,incorrect,population\n";
  const char* categories[] = {"rape", "other sexual offences", "violence", "robbery"};
  for (int f = 0; f < 43; ++f)
    for (int i = 0; i < 3; ++i)
      for (int k = 0; k < 4; ++k) {
        const int n = 14 + (f * 7 + k * 3 + i) % 20;
        const int x = (f * 13 + k * 5 + i * 3) % (n / 2 + 1);
        csv += "Force " + std::to_string(f) + " & Co," + std::to_string(2016 + i) + "," + categories[k] +
               "," + std::to_string(n) + "," + std::to_string(x) + "," +
               std::to_string(40 + (f * 17 + k) % 360) + "\n";
      }
  CompareRequest q;
  q.input_path = "national.csv";
  q.draws = 200;
  const Comparison c = compare::run(parse_results_csv(csv, "national.csv"), q);
  REQUIRE(c.groups.size() == 12);
  const std::string s = render_comparison_report(c);
  CHECK(s.size() < 5'000'000);
  CHECK(xml_problems(s) == "");
}

TEST_CASE("the simulate report of every shipped scenario: well-formed, every chart with its table") {
  const auto names = test::shipped_scenarios();
  REQUIRE(names.size() >= 6);
  for (const std::string& name : names) {
    CAPTURE(name);
    SimulationSpec spec = load_scenario(test::source_path("scenarios/" + name + ".toml"));
    spec.replicates = 300;
    RunOptions run;
    run.threads = 2;
    const SimulationResult r = simulate::run(spec, run);
    const std::string s = render_simulation_report(r);
    CHECK(xml_problems(s) == "");
    CHECK_FALSE(test::contains_word(s, "nan"));
    CHECK_FALSE(test::contains_word(s, "inf"));
    CHECK_FALSE(has(s, "<script"));
    CHECK_FALSE(has(s, "http"));
    CHECK(has(s, "<dt>Input SHA-256</dt><dd>" + spec.source_sha256 + "</dd>"));
    // Coverage: curves for sweeps or intervals for single points; counts; widths; the big table.
    CHECK((has(s, "<title>Coverage against the true rate: ") ||
           has(s, "<title>Coverage of each method</title>")));
    CHECK(has(s, "<caption>Table behind the chart: Coverage"));
    CHECK(has(s, "<title>Observed count: "));
    CHECK(has(s, "<caption>Table behind the chart: Observed count: "));
    CHECK((has(s, "<title>Mean interval width against the true rate: ") ||
           has(s, "<title>Mean interval width by method</title>")));
    CHECK(has(s, "<caption>Every cell point and method</caption>"));
    const bool graded =
        std::any_of(r.points.begin(), r.points.end(), [](const auto& p) { return !p.grades.empty(); });
    CHECK(has(s, "<title>Probability of each grade</title>") == graded);
    CHECK(has(s, "<title>Probability of declaring a difference</title>") == !r.comparisons.empty());
    // Every chart has its table.
    std::size_t charts = 0, tables = 0;
    for (auto at = s.find("<figure>"); at != std::string::npos; at = s.find("<figure>", at + 1)) ++charts;
    for (auto at = s.find("<caption>Table behind the chart: "); at != std::string::npos;
         at = s.find("<caption>Table behind the chart: ", at + 1))
      ++tables;
    CHECK(charts == tables);
    CHECK(charts >= 3);
  }
}
