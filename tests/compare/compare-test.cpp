// Tests for include/inspectsim/compare.hpp.
#include "inspectsim/compare/compare.hpp"
#include "inspectsim/compare/writers.hpp"

#include <algorithm>
#include <atomic>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "inspectsim/base/csv.hpp"
#include "inspectsim/base/error.hpp"
#include "inspectsim/base/text.hpp"

using namespace inspectsim;
using namespace inspectsim::base;
using namespace inspectsim::stats;
using namespace inspectsim::random;
using namespace inspectsim::output;
using namespace inspectsim::compare;

namespace {
const char* const k_csv =
    "force,inspection,category,sampled,incorrect,population,note\n"
    "Hampshire,CDI 2018,other sexual offences,17,9,60,x\n"
    "Humberside,CDI 2018,other sexual offences,20,8,,\n"
    "Lancashire,CDI 2018,other sexual offences,20,1,,\n"
    "Hampshire,CDI 2014,other sexual offences,28,18,,\n"
    "Hampshire,CDI 2018,rape,19,3,40,\n";

Comparison run(CompareRequest req = {}) {
  req.draws = 2000;
  req.input_path = "t.csv";
  req.input_sha256 = "abc";
  return compare::run(parse_results_csv(k_csv, "t.csv"), req);
}
}  // namespace

TEST_CASE("groups, changes between inspections and totals") {
  CompareRequest req;
  req.pairs = true;
  const Comparison c = run(req);
  REQUIRE(c.groups.size() == 3);  // (2018, other sexual), (2014, other sexual), (2018, rape)
  const GroupResult& g = c.groups[0];
  CHECK(g.inspection == "CDI 2018");
  CHECK(g.rows.size() == 3);
  CHECK(g.sampled == 57);
  CHECK(g.incorrect == 18);
  REQUIRE(g.hierarchical.has_value());  // the default shrinkage
  CHECK_FALSE(g.fit.has_value());
  REQUIRE(g.rows[0].population_interval.has_value());
  CHECK(g.rows[0].population_interval->lower == hypergeometric_interval(9, 17, 60, 0.95).lower);
  CHECK(g.rows[0].interval.lower == proportion_interval(Method::wilson, 9, 17, 0.95).lower);
  CHECK(g.rows[0].funnel.size() == 2);
  // Pairs in file order: (Hampshire, Humberside), (Hampshire, Lancashire), (Humberside, Lancashire).
  REQUIRE(g.pairs.size() == 3);
  CHECK(g.pairs[1].p == doctest::Approx(fisher_exact_p(9, 17, 1, 20)));
  const std::vector<double> adj = holm_adjust({g.pairs[0].p, g.pairs[1].p, g.pairs[2].p});
  CHECK(g.pairs[1].p_holm == adj[1]);
  CHECK(g.pairs[1].distinguishable);  // 9/17 vs 1/20: p = 0.0017, Holm 0.005
  CHECK_FALSE(g.pairs[0].distinguishable);
  CHECK(g.distinguishable == 2);  // Humberside 8/20 vs Lancashire 1/20 as well (p = 0.02, Holm 0.04)

  // Hampshire, other sexual offences: CDI 2014 (18/28) to CDI 2018 (9/17).
  REQUIRE(c.changes.size() == 1);
  const ChangeResult& ch = c.changes[0];
  CHECK(c.table.rows[ch.from].inspection == "CDI 2014");
  CHECK(ch.difference == doctest::Approx(9.0 / 17 - 18.0 / 28));
  CHECK(ch.interval.lower == difference_interval(DiffMethod::newcombe, 9, 17, 18, 28, 0.95).lower);
  CHECK(ch.verdict == Verdict::no_change);

  // Totals: Hampshire CDI 2018 has two categories, populations 60 and 40.
  REQUIRE(c.totals.size() == 4);
  CHECK(c.totals[0].force == "Hampshire");
  CHECK(c.totals[0].total.by_population);
  CHECK(c.totals[0].total.estimate == doctest::Approx((60 * 9.0 / 17 + 40 * 3.0 / 19) / 100));
  REQUIRE(c.national.size() == 2);
  CHECK(c.national[0].inspection == "CDI 2018");
  CHECK(c.national[0].rows.size() == 4);
}

TEST_CASE("grouping by category puts a force inspected twice in one group") {
  CompareRequest req;
  req.group_by = GroupBy::category;
  const Comparison c = run(req);
  REQUIRE(c.groups.size() == 2);
  CHECK(c.groups[0].rows.size() == 4);
  CHECK(c.groups[0].rows[3].label == "Hampshire (CDI 2014)");
  CHECK(c.groups[0].inspection.empty());
}

TEST_CASE("no empirical shrinkage when no row has a wrong record") {
  CompareRequest req;
  req.draws = 100;
  req.shrinkage = Shrinkage::empirical;
  const Comparison c = compare::run(
      parse_results_csv("force,inspection,category,sampled,incorrect\nA,I,c,10,0\nB,I,c,20,0\nC,I,c,5,0\n",
                        "z.csv"),
      req);
  CHECK_FALSE(c.groups[0].fit.has_value());
  CHECK(render_comparison(c, Format::table)
            .find("No shrinkage: with no wrong records in every row the spread between forces cannot be "
                  "estimated.") != std::string::npos);
}

TEST_CASE("verdicts: worse and better") {
  const char* csv =
      "force,inspection,category,sampled,incorrect\nA,I1,c,40,2\nA,I2,c,40,20\nB,I1,c,40,20\nB,I2,c,40,2\n";
  CompareRequest req;
  req.draws = 100;
  const Comparison c = compare::run(parse_results_csv(csv, "v.csv"), req);
  REQUIRE(c.changes.size() == 2);
  CHECK(c.changes[0].verdict == Verdict::worse);
  CHECK(c.changes[1].verdict == Verdict::better);
  CHECK(verdict_name(Verdict::no_change) == "no detectable change");
}

TEST_CASE("the same seed gives the same result and JSON records provenance, never NaN") {
  const std::string a = render_comparison(run(), Format::json);
  CHECK(a == render_comparison(run(), Format::json));
  const auto j = nlohmann::json::parse(a);
  CHECK(j["input"]["path"] == "t.csv");
  CHECK(j["input"]["sha256"] == "abc");
  CHECK(j["seed"] == default_seed);
  CHECK(j["draws"] == 2000);
  CHECK(j["groups"][0]["rows"][0]["extra"]["note"] == "x");
  CHECK(j["groups"][0]["rows"][0]["population_interval"]["lower_count"].is_number_integer());
  CHECK(a.find("NaN") == std::string::npos);
  CompareRequest other;
  other.seed = 1;
  CHECK(render_comparison(run(other), Format::json) != a);
}

TEST_CASE("CSV sections have one header each") {
  const Comparison c = run();
  CHECK(render_comparison(c, Format::csv, CsvSection::rows)
            .starts_with("group_inspection,group_category,line,"));
  CHECK(render_comparison(c, Format::csv, CsvSection::changes).starts_with("force,category,from,to,"));
  CHECK(render_comparison(c, Format::csv, CsvSection::totals).starts_with("scope,force,inspection,"));
  CHECK(render_comparison(c, Format::csv, CsvSection::pairs)
            .starts_with("group_inspection,group_category,a,b,"));
  CHECK(render_comparison(c, Format::csv, CsvSection::groups)
            .starts_with("group_inspection,group_category,rows,sampled,incorrect,pooled_rate,"));
}

TEST_CASE("the groups CSV section has one row per group, with the JSON's figures") {
  const Comparison c = run();
  const auto records =
      inspectsim::base::parse_csv(render_comparison(c, Format::csv, CsvSection::groups), "groups");
  REQUIRE(records.size() == c.groups.size() + 1);
  const auto j = nlohmann::json::parse(render_comparison(c, Format::json));
  for (std::size_t g = 0; g < c.groups.size(); ++g) {
    const auto& fields = records[g + 1].fields;
    CHECK(fields[1] == j["groups"][g]["category"].get<std::string>());
    CHECK(std::stoll(fields[3]) == j["groups"][g]["sampled"].get<std::int64_t>());
    CHECK(std::stod(fields[5]) == j["groups"][g]["pooled_rate"].get<double>());
  }
  // A hierarchical group's typical rate and spread, with their intervals, as in the JSON.
  const std::vector<std::string>& header = records[0].fields;
  auto column = [&](const std::string& name) {
    return static_cast<std::size_t>(std::find(header.begin(), header.end(), name) - header.begin());
  };
  bool seen = false;
  for (std::size_t g = 0; g < c.groups.size(); ++g) {
    const auto& s = j["groups"][g]["shrinkage"];
    if (s.is_null() || s["kind"] != "hierarchical") continue;
    seen = true;
    const auto& fields = records[g + 1].fields;
    CHECK(fields.at(column("shrinkage")) == "hierarchical");
    CHECK(std::stod(fields.at(column("typical_rate_lower"))) == s["typical_rate"]["lower"].get<double>());
    CHECK(std::stod(fields.at(column("spread_upper"))) == s["spread"]["upper"].get<double>());
    CHECK(std::stod(fields.at(column("ppc_p"))) == s["ppc_p"].get<double>());
  }
  CHECK(seen);
}

TEST_CASE("categories and inspections keep only the named rows") {
  CompareRequest req;
  req.categories = {"rape"};
  const Comparison c = run(req);
  REQUIRE(c.table.rows.size() == 1);
  CHECK(c.groups.size() == 1);
  CompareRequest bad;
  bad.inspections = {"CDI 2020"};
  CHECK_THROWS_WITH_AS(run(bad),
                       "inspections is 'CDI 2020', but t.csv has no such rows; it has 'CDI 2018', 'CDI 2014'",
                       InputError);
}

TEST_CASE("request errors name the option") {
  CompareRequest req;
  req.levels = {0.95, 1.2};
  CHECK_THROWS_WITH_AS(run(req), "levels has 1.2, but every level must be strictly between 0 and 1",
                       InputError);
  CHECK_THROWS_WITH_AS(parse_group_by("force"),
                       "group_by is 'force', but must be 'inspection,category' or category", InputError);
  CHECK_THROWS_WITH_AS(parse_rank_posterior("flat"),
                       "rank_posterior is 'flat', but must be jeffreys, shrunk or hierarchical", InputError);
  CHECK_THROWS_WITH_AS(parse_csv_section("all"),
                       "csv_section is 'all', but must be rows, pairs, changes, totals or groups",
                       InputError);
}

TEST_CASE("hierarchical shrinkage (the default) works where empirical Bayes has no fit") {
  CompareRequest req;
  req.draws = 200;
  const Comparison c = compare::run(
      parse_results_csv("force,inspection,category,sampled,incorrect\nA,I,c,10,0\nB,I,c,20,0\nC,I,c,5,0\n",
                        "z.csv"),
      req);
  REQUIRE(c.groups[0].hierarchical.has_value());
  CHECK(c.groups[0].ranks_from == RankPosterior::hierarchical);
  for (const RowResult& r : c.groups[0].rows) {
    REQUIRE(r.shrunk.has_value());
    CHECK(r.shrunk->lower >= 0);
    CHECK(r.shrunk->upper > 0);
  }
}

TEST_CASE("the issue's crashing file: both kinds of shrinkage give sensible estimates") {
  const char* csv =
      "force,inspection,category,sampled,incorrect\nA,I,c,36,9\nB,I,c,9,0\nC,I,c,20,1\nD,I,c,57,9\nE,I,c,54,"
      "12\n";
  for (Shrinkage kind : {Shrinkage::empirical, Shrinkage::hierarchical}) {
    CompareRequest req;
    req.draws = 200;
    req.shrinkage = kind;
    req.thresholds = {0.1, 0.25};
    const Comparison c = compare::run(parse_results_csv(csv, "crash.csv"), req);
    const GroupResult& g = c.groups[0];
    for (const RowResult& r : g.rows) {
      REQUIRE(r.shrunk.has_value());
      CHECK(r.shrunk->lower < r.shrunk->estimate);
      CHECK(r.shrunk->estimate < r.shrunk->upper);
      CHECK(r.shrunk->estimate > 0.02);
      CHECK(r.shrunk->estimate < 0.3);
      REQUIRE(r.shrunk->p_above.size() == 2);
      CHECK(r.shrunk->p_above[0].probability >= r.shrunk->p_above[1].probability);
    }
    const auto j = nlohmann::json::parse(render_comparison(c, Format::json));
    const auto& sh = j["groups"][0]["shrinkage"];
    CHECK(sh["kind"] == shrinkage_name(kind));
    CHECK(sh["typical_rate"]["estimate"].get<double>() > 0.1);
    CHECK(j["groups"][0]["rows"][0]["shrunk"]["p_above"][1]["threshold"] == 0.25);
    if (kind == Shrinkage::hierarchical) {
      CHECK(sh["hyperprior"] == "albert,1,1,1");
      CHECK(sh["spread"]["lower"].get<double>() < sh["spread"]["upper"].get<double>());
      CHECK(sh["ppc_p"].get<double>() >= 0);
      CHECK(j["groups"][0]["ranks_from"] == "hierarchical");
    }
  }
}

TEST_CASE("spread chi-square and the posterior predictive check") {
  // Pearson's statistic about the pooled rate 0.25: (5-2.5)^2/1.875 + (0-2.5)^2/1.875.
  const std::vector<Count> d{{5, 10}, {0, 10}};
  CHECK(spread_chi_square(d) == doctest::Approx(2 * 6.25 / 1.875));
  // Forces far more spread than beta-binomial groups of this size usually are give a small p; identical
  // forces give a large one.
  const std::vector<Count> wild{{0, 40}, {0, 40}, {0, 40}, {40, 40}, {40, 40}, {20, 40}};
  const std::vector<Count> same{{4, 40}, {4, 40}, {4, 40}, {4, 40}, {4, 40}, {4, 40}};
  const Streams e1{1, 0, 4}, e2{1, 0, 4};
  const double p_same = posterior_predictive_p(fit_hierarchical(same, Hyperprior{}, 0.95), same, 2000, e1);
  CHECK(p_same > 0.5);
  const double p_wild = posterior_predictive_p(fit_hierarchical(wild, Hyperprior{}, 0.95), wild, 2000, e2);
  CHECK(p_wild < p_same);
}

TEST_CASE("shrinkage requests that cannot be met are refused by field") {
  CompareRequest req;
  req.rank_posterior = RankPosterior::shrunk;
  CHECK_THROWS_WITH_AS(
      run(req),
      "rank_posterior is 'shrunk', which needs shrinkage 'empirical'; with hierarchical shrinkage "
      "rank from 'hierarchical'",
      InputError);
  req.shrinkage = Shrinkage::empirical;
  req.rank_posterior = RankPosterior::hierarchical;
  CHECK_THROWS_WITH_AS(run(req), "rank_posterior is 'hierarchical', which needs shrinkage 'hierarchical'",
                       InputError);
  req = {};
  req.thresholds = {1.5};
  CHECK_THROWS_WITH_AS(run(req), "thresholds has 1.5, but every threshold must be between 0 and 1",
                       InputError);
  CHECK_THROWS_WITH_AS(parse_shrinkage("eb"), "shrinkage is 'eb', but must be hierarchical or empirical",
                       InputError);
  req = {};
  req.hyperprior.kind = HyperpriorKind::bda3;
  req.draws = 100;
  CHECK_THROWS_WITH_AS(
      compare::run(parse_results_csv("force,inspection,category,sampled,incorrect\nA,I,c,10,0\nB,I,c,20,0\n"
                                     "C,I,c,5,0\n",
                                     "z.csv"),
                   req),
      "hyperprior is 'bda3', an improper prior, and in group 'I / c' every force has none or all of its "
      "records "
      "wrong, so the posterior is improper too (nothing bounds the spread between forces); use the proper "
      "default "
      "'albert'",
      InputError);
}

TEST_CASE("the whole comparison is identical for 1, 2 and 3 threads and progress covers every block") {
  // Draws that are not a multiple of the block size, so the jobs end in partial blocks; every
  // drawn figure (ranks, totals, national figures, the predictive checks) is in the JSON.
  auto with = [](unsigned threads, const Monitor& monitor = {}) {
    CompareRequest req;
    req.draws = 3 * draws_per_block + 17;
    req.threads = threads;
    req.input_path = "t.csv";
    req.input_sha256 = "abc";
    return render_comparison(compare::run(parse_results_csv(k_csv, "t.csv"), req, monitor), Format::json);
  };
  std::uint64_t last_done = 0, last_total = 0;
  Monitor watch;
  watch.progress = [&](std::uint64_t done, std::uint64_t total) {
    CHECK(done >= last_done);
    CHECK(done <= total);
    last_done = done;
    last_total = total;
  };
  const std::string one = with(1, watch);
  CHECK(last_done == last_total);
  CHECK(last_total > 0);
  CHECK(with(2) == one);
  CHECK(with(3) == one);
  CompareRequest other;
  other.draws = 3 * draws_per_block + 17;
  other.seed = 7;
  other.input_path = "t.csv";
  other.input_sha256 = "abc";
  CHECK(render_comparison(compare::run(parse_results_csv(k_csv, "t.csv"), other), Format::json) != one);
}

TEST_CASE("a cancelled comparison throws Interrupted and threads out of range is refused by field") {
  std::atomic<bool> cancel{true};
  Monitor m;
  m.cancel = &cancel;
  CHECK_THROWS_AS(compare::run(parse_results_csv(k_csv, "t.csv"), CompareRequest{}, m), Interrupted);
  CompareRequest req;
  req.threads = 5000;
  CHECK_THROWS_WITH_AS(compare::run(parse_results_csv(k_csv, "t.csv"), req),
                       "threads is 5000, but must be a whole number from 0 (all cores) to 1024", InputError);
}

TEST_CASE("simultaneous rank intervals in the comparison and its outputs") {
  CompareRequest req;
  req.rank_intervals = RankIntervals::simultaneous;
  const Comparison c = run(req);
  const GroupResult& g = c.groups[0];  // Hampshire 9/17, Humberside 8/20, Lancashire 1/20
  CHECK(g.pairs_tested);
  CHECK(g.pair_count == 3);
  CHECK(g.pairs.empty());  // tested, not listed
  const auto expected = simultaneous_rank_intervals(std::vector<Count>{{9, 17}, {8, 20}, {1, 20}}, 0.95);
  for (std::size_t k = 0; k < 3; ++k) {
    REQUIRE(g.rows[k].simultaneous.has_value());
    CHECK(g.rows[k].simultaneous->lower == expected[k].lower);
    CHECK(g.rows[k].simultaneous->upper == expected[k].upper);
  }
  // Fisher p: Hampshire - Lancashire 0.00198, Humberside - Lancashire 0.01966, Hampshire -
  // Humberside 0.517; Holm: 3 x 0.00198 and 2 x 0.01966 = 0.0393 are below 0.05, so both are told
  // apart: Hampshire [1, 2], Humberside [1, 2], Lancashire [3, 3]. The worst quarter of three is
  // rank 1, which no force has to itself.
  CHECK(g.distinguishable == 2);
  CHECK(g.rows[0].simultaneous->upper == 2);
  CHECK(g.rows[1].simultaneous->lower == 1);
  CHECK(g.rows[1].simultaneous->upper == 2);
  CHECK(g.rows[2].simultaneous->lower == 3);
  CHECK(g.rows[2].simultaneous->upper == 3);
  CHECK(g.worst_quarter_ranks == 1);
  CHECK(g.in_worst_quarter == 0);
  const std::string text = render_comparison(c, Format::table);
  CHECK(text.find("all at once 95%") != std::string::npos);
  CHECK(text.find("0 forces can be placed in the worst quarter (ranks 1 to 1 of 3) with 95% confidence.") !=
        std::string::npos);
  CHECK(text.find("2 of 3 pairs can be told apart") != std::string::npos);
  const auto j = nlohmann::json::parse(render_comparison(c, Format::json));
  CHECK(j["settings"]["rank_intervals"] == "simultaneous");
  CHECK(j["groups"][0]["rank_intervals"]["kind"] == "simultaneous");
  CHECK(j["groups"][0]["rank_intervals"]["method"] == "holm-fisher");
  CHECK(j["groups"][0]["rank_intervals"]["worst_quarter_ranks"] == 1);
  CHECK(j["groups"][0]["rank_intervals"]["in_worst_quarter"] == 0);
  CHECK(j["groups"][0]["distinguishable_pairs"] == 2);
  CHECK(j["groups"][0]["pairs"].is_null());
  CHECK(j["groups"][0]["rows"][0]["simultaneous_rank"]["lower"] == 1);
  CHECK(j["groups"][0]["rows"][0]["simultaneous_rank"]["upper"] == 2);
  CHECK(j["groups"][0]["rows"][0]["simultaneous_rank"]["worst_quarter"] == false);
  const auto rows = inspectsim::base::parse_csv(render_comparison(c, Format::csv, CsvSection::rows), "rows");
  const auto& header = rows[0].fields;
  const auto col = [&](const std::string& name) {
    return static_cast<std::size_t>(std::find(header.begin(), header.end(), name) - header.begin());
  };
  REQUIRE(col("simultaneous_rank_upper") < header.size());
  CHECK(rows[1].fields[col("rank_intervals")] == "simultaneous");
  CHECK(rows[1].fields[col("simultaneous_rank_lower")] == "1");
  CHECK(rows[1].fields[col("simultaneous_rank_upper")] == "2");
  CHECK(rows[1].fields[col("worst_quarter")] == "false");

  // Marginal (the default): no simultaneous intervals, no pair tests, the fields empty or null.
  const Comparison m = run();
  CHECK_FALSE(m.groups[0].pairs_tested);
  CHECK_FALSE(m.groups[0].rows[0].simultaneous.has_value());
  const auto mj = nlohmann::json::parse(render_comparison(m, Format::json));
  CHECK(mj["settings"]["rank_intervals"] == "marginal");
  CHECK(mj["groups"][0]["rank_intervals"]["kind"] == "marginal");
  CHECK(mj["groups"][0]["rank_intervals"]["in_worst_quarter"].is_null());
  CHECK(mj["groups"][0]["rows"][0]["simultaneous_rank"].is_null());
  CHECK(mj["groups"][0]["distinguishable_pairs"].is_null());
  CHECK(render_comparison(m, Format::table).find("worst quarter") == std::string::npos);
}

TEST_CASE("pair_tests counts the pairs told apart without listing them") {
  CompareRequest req;
  req.pair_tests = true;
  const Comparison c = run(req);
  CHECK(c.groups[0].pairs_tested);
  CHECK(c.groups[0].pairs.empty());
  CHECK(c.groups[0].pair_count == 3);
  CompareRequest listed;
  listed.pairs = true;
  CHECK(c.groups[0].distinguishable == run(listed).groups[0].distinguishable);
  CHECK(render_comparison(c, Format::table).find("2 of 3 pairs can be told apart") != std::string::npos);
}

TEST_CASE("a group of one force has no P(worst): '-' in the table, null in the JSON, empty in the CSV") {
  const Comparison c = run();
  REQUIRE(c.groups.size() == 3);
  const GroupResult& three = c.groups[0];  // CDI 2018, other sexual offences: three forces
  const GroupResult& one = c.groups[1];    // CDI 2014, other sexual offences: Hampshire alone
  REQUIRE(one.rows.size() == 1);
  CHECK(one.rows[0].rank.p_worst == 1);  // the ranks themselves are unchanged: 1 by definition
  CHECK_FALSE(p_worst_shown(one, one.rows[0]).has_value());
  for (const RowResult& r : three.rows) CHECK(p_worst_shown(three, r) == r.rank.p_worst);

  // The table: the ranks block of the one-force group (no shrinkage with fewer than three forces).
  const std::string text = render_comparison(c, Format::table);
  const std::size_t at = text.find("== CDI 2014 / other sexual offences: 1 force");
  REQUIRE(at != std::string::npos);
  const std::string block = text.substr(at, text.find("\n==", at + 1) - at);
  CHECK(block.find("mean rank  rank 95%  P(worst)  P(worst 3)\n") != std::string::npos);
  CHECK(block.find("\nHampshire        1.0       1-1         -       1.000\n") != std::string::npos);
  // A group of three keeps its figures: Hampshire's row ends "P(worst) P(worst 3)" as numbers.
  CHECK(text.find("1-2     " + format_fixed(three.rows[0].rank.p_worst, 3) + "       1.000\n") !=
        std::string::npos);

  const auto j = nlohmann::json::parse(render_comparison(c, Format::json));
  CHECK(j["groups"][1]["rows"][0]["rank"]["p_worst"].is_null());
  CHECK(j["groups"][1]["rows"][0]["rank"]["p_worst_three"] == 1.0);
  CHECK(j["groups"][0]["rows"][0]["rank"]["p_worst"] == three.rows[0].rank.p_worst);

  const auto rows = inspectsim::base::parse_csv(render_comparison(c, Format::csv, CsvSection::rows), "rows");
  const auto& header = rows[0].fields;
  const auto p_worst =
      static_cast<std::size_t>(std::find(header.begin(), header.end(), "p_worst") - header.begin());
  REQUIRE(p_worst < header.size());
  REQUIRE(rows.size() == 6);  // the header, three rows of the first group, then one each
  CHECK(rows[4].fields[1] == "other sexual offences");
  CHECK(rows[4].fields[0] == "CDI 2014");
  CHECK(rows[4].fields[p_worst] == "");
  CHECK(rows[1].fields[p_worst] == base::format_number(three.rows[0].rank.p_worst));
}
