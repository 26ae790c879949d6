// The Monte Carlo engine: simulate::run() from simulate/simulate.hpp.
//
// Replicates run in blocks of block_replicates. Block i draws from make_stream(seed, i) alone and
// runs the points in spec order, so a block's tally depends on (spec, seed, i) only. Worker threads
// take blocks from an atomic counter and fill one tally each; the calling thread merges tallies
// strictly in block order (a reorder buffer of at most a few blocks per thread), so even the
// floating-point sums are identical for any number of threads, and memory does not grow with the
// number of replicates.
//
// Every per-replicate quantity is a function of the observed count x (and, with a Beta rate, of
// the replicate's truth), so interval bounds, widths and grade bands are tabulated once per
// x = 0..n. With a fixed truth a block only needs the histogram of x; coverage, widths, misses
// and grade probabilities are then sums over the histogram, which is exactly the Monte Carlo
// estimate (Monte Carlo standard error sqrt(p (1 - p) / R) for a proportion, sd / sqrt(R) for a mean).
#include <algorithm>
#include <chrono>
#include <cmath>
#include <concepts>
#include <cstring>
#include <limits>
#include <map>
#include <set>
#include <tuple>
#include <type_traits>
#include <utility>

#include "inspectsim/base/blocks.hpp"
#include "inspectsim/base/checkpoint.hpp"
#include "inspectsim/base/error.hpp"
#include "inspectsim/base/team.hpp"
#include "inspectsim/base/text.hpp"
#include "inspectsim/base/version.hpp"
#include "inspectsim/output/table.hpp"
#include "inspectsim/simulate/exact.hpp"
#include "inspectsim/simulate/sampler.hpp"
#include "inspectsim/simulate/simulate.hpp"
#include "inspectsim/stats/difference.hpp"

namespace inspectsim::simulate {

namespace {

constexpr double infinity = std::numeric_limits<double>::infinity();

// ---- Validation --------------------------------------------------------------------------------

std::string place(const CellPoint& p, std::string_view key) {
  std::string out = "cell[" + std::to_string(p.cell) + "]";
  if (!p.force.empty() || !p.category.empty()) out += " (" + p.force + " / " + p.category + ")";
  return out + "." + std::string(key);
}

bool in_unit(double v) { return v >= 0.0 && v <= 1.0; }

void validate_point(const CellPoint& p, std::vector<std::string>& problems) {
  auto problem = [&](std::string_view key, const std::string& text) {
    problems.push_back(place(p, key) + ": " + text);
  };
  if (p.sample < 1 || p.sample > max_simulated_sample)
    problem("sample", "is " + std::to_string(p.sample) + ", but must be a whole number from 1 to " +
                          std::to_string(max_simulated_sample));
  if (p.population && (*p.population < p.sample || *p.population > stats::max_population))
    problem("population", "is " + std::to_string(*p.population) + ", but must be at least the sample (" +
                              std::to_string(p.sample) + ") and at most " +
                              std::to_string(stats::max_population));
  if (p.truth.kind == Truth::Kind::fixed) {
    if (!in_unit(p.truth.rate))
      problem("true_rate", "is " + base::format_number(p.truth.rate) + ", but must be between 0 and 1");
  } else {
    for (const double shape : {p.truth.a, p.truth.b})
      if (!(shape > 0.0 && std::isfinite(shape)))
        problem("true_rate.beta",
                "has shape " + base::format_number(shape) + ", but Beta shapes must be positive");
  }
  if (p.clusters) {
    if (p.clusters->count < 1 || p.clusters->count > p.sample)
      problem("clusters.count", "is " + std::to_string(p.clusters->count) +
                                    ", but must be a whole number from 1 to the sample (" +
                                    std::to_string(p.sample) + ")");
    if (!(p.clusters->icc >= 0.0 && p.clusters->icc < 1.0))
      problem("clusters.icc",
              "is " + base::format_number(p.clusters->icc) + ", but must be at least 0 and below 1");
    if (p.population)
      problem("clusters",
              "needs an unlimited population (clustered samples are drawn with replacement); "
              "omit population");
  }
  if (p.inspector) {
    if (!in_unit(p.inspector->sensitivity))
      problem("inspector.sensitivity",
              "is " + base::format_number(p.inspector->sensitivity) + ", but must be between 0 and 1");
    if (!in_unit(p.inspector->specificity))
      problem("inspector.specificity",
              "is " + base::format_number(p.inspector->specificity) + ", but must be between 0 and 1");
  }
  if (p.selection_odds) {
    if (!(*p.selection_odds > 0.0 && std::isfinite(*p.selection_odds)))
      problem("selection.odds",
              "is " + base::format_number(*p.selection_odds) + ", but must be a positive number");
    if (!p.population)
      problem("selection",
              "needs a finite population (targeted selection draws records without replacement)");
  }
  for (std::size_t g = 0; g < p.grades.size(); ++g) {
    const bool last = g + 1 == p.grades.size();
    const auto& upper = p.grades[g].upper;
    const std::string key = "grades[" + std::to_string(g) + "].upper";
    if (last && upper)
      problem(key, "is " + base::format_number(*upper) + ", but the last grade must have no upper bound");
    if (!last && !upper) problem(key, "is missing; every grade but the last needs an upper bound");
    if (!last && upper && !std::isfinite(*upper)) problem(key, "must be a finite number");
    if (g > 0 && upper && p.grades[g - 1].upper && !(*upper > *p.grades[g - 1].upper))
      problem(key, "is " + base::format_number(*upper) + ", but grades must ascend (the previous upper is " +
                       base::format_number(*p.grades[g - 1].upper) + ")");
  }
}

void validate(const SimulationSpec& spec) {
  std::vector<std::string> problems;
  if (spec.replicates < 1)
    problems.push_back("replicates: is " + std::to_string(spec.replicates) + ", but must be at least 1");
  if (!(spec.confidence > 0.0 && spec.confidence < 1.0))
    problems.push_back("confidence: is " + base::format_number(spec.confidence) +
                       ", but must be strictly between 0 and 1");
  for (const auto& p : spec.points) validate_point(p, problems);
  for (std::size_t c = 0; c < spec.comparisons.size(); ++c) {
    const auto& cmp = spec.comparisons[c];
    const std::string key = "comparisons[" + std::to_string(c) + "]";
    if (cmp.a >= spec.points.size() || cmp.b >= spec.points.size())
      problems.push_back(key + ": refers to point " + std::to_string(std::max(cmp.a, cmp.b)) +
                         ", but there are " + std::to_string(spec.points.size()) + " points");
    else if (cmp.a == cmp.b)
      problems.push_back(key + ": compares point " + std::to_string(cmp.a) + " with itself");
  }
  for (std::size_t l = 0; l < spec.leagues.size(); ++l) {
    const LeagueSpec& league = spec.leagues[l];
    const std::string key = "leagues[" + std::to_string(l) + "]";
    const auto k = static_cast<std::int64_t>(league.members.size());
    if (k < 2)
      problems.push_back(key + ": has " + std::to_string(k) + (k == 1 ? " member" : " members") +
                         ", but a league needs at least two");
    std::set<std::size_t> distinct;
    for (const std::size_t m : league.members) {
      if (m >= spec.points.size()) {
        problems.push_back(key + ": refers to point " + std::to_string(m) + ", but there are " +
                           std::to_string(spec.points.size()) + " points");
        continue;
      }
      if (!distinct.insert(m).second)
        problems.push_back(key + ": lists point " + std::to_string(m) + " twice");
      if (spec.points[m].truth.kind == Truth::Kind::beta)
        problems.push_back(key + ": member " + spec.points[m].force + "/" + spec.points[m].category +
                           " has a Beta true rate, but leagues rank fixed true rates only");
    }
    for (std::size_t t = 0; t < league.top.size(); ++t)
      if (league.top[t] < 1 || league.top[t] > k || (t > 0 && league.top[t] <= league.top[t - 1]))
        problems.push_back(key + ".top: is " + std::to_string(league.top[t]) +
                           ", but must ascend, each a whole number from 1 to the league's size (" +
                           std::to_string(k) + ")");
  }
  // Swept points of one cell share its problems: report each once, in order.
  std::vector<std::string> unique;
  std::set<std::string> seen;
  for (auto& text : problems)
    if (seen.insert(text).second) unique.push_back(std::move(text));
  if (!unique.empty()) throw base::InputErrors(std::move(unique));
}

// ---- Plan: everything tabulated once per run ---------------------------------------------------

// Interval bounds for x = 0..n of one method; shared by points with the same n.
struct IntervalTable {
  std::vector<double> lower;
  std::vector<double> upper;
  std::vector<unsigned char> defined;
};

IntervalTable tabulate(stats::Method method, std::int64_t n, double confidence) {
  IntervalTable t;
  for (std::int64_t x = 0; x <= n; ++x) {
    const stats::Interval iv = stats::proportion_interval(method, x, n, confidence);
    t.lower.push_back(iv.lower);
    t.upper.push_back(iv.upper);
    t.defined.push_back(iv.defined ? 1 : 0);
  }
  return t;
}

// The grade band of a share: the first band with share <= upper; the last band has none.
std::size_t band_of(const std::vector<Grade>& grades, double share) {
  for (std::size_t g = 0; g + 1 < grades.size(); ++g)
    if (share <= *grades[g].upper) return g;
  return grades.size() - 1;
}

struct PointPlan {
  const CellPoint* point = nullptr;
  PointSampler sampler;
  std::int64_t n = 0;
  std::vector<const IntervalTable*> intervals;  // one per spec method
  std::vector<std::size_t> band_of_x;           // grade of x / n (empty without grades)
  std::ptrdiff_t slot = -1;                     // where its counts are kept for comparisons

  explicit PointPlan(const CellPoint& p) : point(&p), sampler(p), n(p.sample) {}
};

// Does the comparison declare a difference when point a shows xa and point b shows xb?
// decision[xa * (nb + 1) + xb], tabulated once.
struct Decisions {
  std::int64_t nb = 0;
  std::vector<unsigned char> declare;
};

Decisions tabulate_decisions(const ComparisonSpec& c, std::int64_t na, std::int64_t nb, double confidence) {
  Decisions d;
  d.nb = nb;
  d.declare.reserve(static_cast<std::size_t>((na + 1) * (nb + 1)));
  for (std::int64_t xa = 0; xa <= na; ++xa)
    for (std::int64_t xb = 0; xb <= nb; ++xb) {
      bool declare = false;
      if (c.fisher) {
        declare = stats::fisher_exact_p(xa, na, xb, nb) <= 1 - confidence;
      } else {
        const stats::Interval iv = stats::difference_interval(c.method, xa, na, xb, nb, confidence);
        declare = iv.lower > 0.0 || iv.upper < 0.0;  // the interval excludes no difference
      }
      d.declare.push_back(declare ? 1 : 0);
    }
  return d;
}

// A league, tabulated once: each member's kept counts, its shares as comparable keys and its
// true rank.
struct LeaguePlan {
  std::vector<std::size_t> slots;               // per member
  std::vector<std::vector<std::int32_t>> keys;  // per member: key of x / n, x = 0..n
  std::vector<std::int32_t> true_rank;          // per member, 1 = worst (shared ties)
  std::int64_t sum_t = 0, sum_t2 = 0;           // of the true ranks, for Spearman
  bool random_ties = false;
  bool narrow = false;  // every key and the size fit 16 bits
  // Where every key fits a byte and the league has at most 255 members: per member, the key of
  // x / n less 128, so that signed byte comparisons order the shares (else empty).
  std::vector<std::vector<std::int8_t>> byte_keys;
};

struct Plan {
  const SimulationSpec* spec = nullptr;
  std::vector<PointPlan> points;
  std::size_t slots = 0;                    // points whose per-replicate counts comparisons and leagues need
  std::vector<const Decisions*> decisions;  // one per comparison
  std::vector<LeaguePlan> leagues;
};

// Rank 1 for the highest value; equal values share the better (smaller) rank.
template <class T>
std::vector<std::int32_t> shared_ranks(const std::vector<T>& values) {
  std::vector<std::int32_t> ranks(values.size(), 1);
  for (std::size_t i = 0; i < values.size(); ++i)
    for (std::size_t j = 0; j < values.size(); ++j) ranks[i] += values[j] > values[i] ? 1 : 0;
  return ranks;
}

// ---- Tallies -----------------------------------------------------------------------------------

// What one block (and, merged, the whole run) counts for one point. Everything is a count except
// the sums of errors, which only points with a Beta rate use.
struct PointTally {
  std::vector<std::uint64_t> histogram;  // x = 0..n
  // Beta rates only (fixed truths derive these from the histogram):
  std::vector<std::uint64_t> covered, below, above;  // per method
  std::uint64_t correct_grade = 0;
  double sum_error = 0;
  double sum_error2 = 0;
};

// What a league counts. Integer counts except the sums of the per-replicate Spearman correlation and
// of squared rank errors, which merge in block order like every other sum.
struct LeagueTally {
  std::vector<std::uint64_t> ranks;  // member i has observed rank r: ranks[i * K + r - 1]
  std::uint64_t true_worst_ranked_worst = 0;
  std::vector<std::uint64_t> worst_true_rank;  // the largest true rank among the ranked worst: [rank - 1]
  std::uint64_t abs_error = 0;                 // sum over replicates and members of |rank - true rank|
  double abs_error2 = 0;                       // sum over replicates of (sum over members)^2
  double rho = 0, rho2 = 0;

  void reset(std::size_t k) {
    ranks.assign(k * k, 0);
    true_worst_ranked_worst = 0;
    worst_true_rank.assign(k, 0);
    abs_error = 0;
    abs_error2 = rho = rho2 = 0;
  }
  void add(const LeagueTally& o) {
    for (std::size_t i = 0; i < ranks.size(); ++i) ranks[i] += o.ranks[i];
    true_worst_ranked_worst += o.true_worst_ranked_worst;
    for (std::size_t i = 0; i < worst_true_rank.size(); ++i) worst_true_rank[i] += o.worst_true_rank[i];
    abs_error += o.abs_error;
    abs_error2 += o.abs_error2;
    rho += o.rho;
    rho2 += o.rho2;
  }
};

// The tallies' fields, each named once, for checkpoints (base::StateWriter and StateReader).
template <class T, class Visit>
requires std::same_as<std::remove_const_t<T>, PointTally>
void fields(T& t, Visit& visit) {
  visit("histogram", t.histogram);
  visit("covered", t.covered);
  visit("below", t.below);
  visit("above", t.above);
  visit("correct_grade", t.correct_grade);
  visit("sum_error", t.sum_error);
  visit("sum_error2", t.sum_error2);
}

template <class T, class Visit>
requires std::same_as<std::remove_const_t<T>, LeagueTally>
void fields(T& t, Visit& visit) {
  visit("ranks", t.ranks);
  visit("true_worst_ranked_worst", t.true_worst_ranked_worst);
  visit("worst_true_rank", t.worst_true_rank);
  visit("abs_error", t.abs_error);
  visit("abs_error2", t.abs_error2);
  visit("rho", t.rho);
  visit("rho2", t.rho2);
}

struct Tally {
  std::vector<PointTally> points;
  std::vector<std::uint64_t> declared;  // per comparison
  std::vector<LeagueTally> leagues;

  void reset(const Plan& plan) {
    points.resize(plan.points.size());
    for (std::size_t i = 0; i < points.size(); ++i) {
      PointTally& t = points[i];
      t.histogram.assign(static_cast<std::size_t>(plan.points[i].n) + 1, 0);
      const std::size_t m = plan.points[i].sampler.fixed_truth() ? 0 : plan.spec->methods.size();
      t.covered.assign(m, 0);
      t.below.assign(m, 0);
      t.above.assign(m, 0);
      t.correct_grade = 0;
      t.sum_error = 0;
      t.sum_error2 = 0;
    }
    declared.assign(plan.spec->comparisons.size(), 0);
    leagues.resize(plan.leagues.size());
    for (std::size_t l = 0; l < leagues.size(); ++l) leagues[l].reset(plan.leagues[l].slots.size());
  }

  void add(const Tally& other) {
    for (std::size_t i = 0; i < points.size(); ++i) {
      PointTally& t = points[i];
      const PointTally& o = other.points[i];
      for (std::size_t x = 0; x < t.histogram.size(); ++x) t.histogram[x] += o.histogram[x];
      for (std::size_t m = 0; m < t.covered.size(); ++m) {
        t.covered[m] += o.covered[m];
        t.below[m] += o.below[m];
        t.above[m] += o.above[m];
      }
      t.correct_grade += o.correct_grade;
      t.sum_error += o.sum_error;
      t.sum_error2 += o.sum_error2;
    }
    for (std::size_t c = 0; c < declared.size(); ++c) declared[c] += other.declared[c];
    for (std::size_t l = 0; l < leagues.size(); ++l) leagues[l].add(other.leagues[l]);
  }
};

template <class T, class Visit>
requires std::same_as<std::remove_const_t<T>, Tally>
void fields(T& t, Visit& visit) {
  for (std::size_t i = 0; i < t.points.size(); ++i) {
    visit.scope("points[" + std::to_string(i) + "]");
    fields(t.points[i], visit);
  }
  visit.scope("");
  visit("declared", t.declared);
  for (std::size_t l = 0; l < t.leagues.size(); ++l) {
    visit.scope("leagues[" + std::to_string(l) + "]");
    fields(t.leagues[l], visit);
  }
}

base::CheckpointState save_state(const Tally& t) {
  base::StateWriter writer;
  fields(t, writer);
  return writer.take();
}

// ---- One block ---------------------------------------------------------------------------------

// Per-thread scratch: the counts of the points that comparisons pair, replicate by replicate.
struct Scratch {
  std::vector<std::vector<std::int32_t>> counts;
  std::vector<std::int32_t> keys, ranks;  // a league's members in one replicate
  std::vector<std::int16_t> keys16;
  std::vector<std::int8_t> lane_keys;    // run_league_bytes: member-major, lane_chunk replicates each
  std::vector<std::uint8_t> lane_ranks;  // the same layout
  std::vector<std::uint32_t> rank_lanes;
  std::vector<std::uint64_t> draws;  // random tie-breaking words
  std::vector<std::uint32_t> lanes;  // interleaved histograms (a block has at most 4096 replicates)
};

void run_point_variable(const PointPlan& pp, random::Engine& engine, std::int64_t replicates, PointTally& t,
                        std::int32_t* keep) {
  const std::size_t methods = pp.intervals.size();
  const auto& grades = pp.point->grades;
  const double nd = static_cast<double>(pp.n);
  for (std::int64_t r = 0; r < replicates; ++r) {
    const Draw d = pp.sampler.draw(engine);
    const auto x = static_cast<std::size_t>(d.x);
    ++t.histogram[x];
    if (keep) keep[r] = static_cast<std::int32_t>(d.x);
    const double error = static_cast<double>(d.x) / nd - d.truth;
    t.sum_error += error;
    t.sum_error2 += error * error;
    for (std::size_t m = 0; m < methods; ++m) {
      const IntervalTable& iv = *pp.intervals[m];
      if (!iv.defined[x]) continue;
      if (iv.upper[x] < d.truth)
        ++t.below[m];
      else if (iv.lower[x] > d.truth)
        ++t.above[m];
      else
        ++t.covered[m];
    }
    if (!grades.empty() && band_of(grades, d.truth) == pp.band_of_x[x]) ++t.correct_grade;
  }
}

// The shared ranks of one replicate: 1 + the number of members whose key is higher. `key` holds
// `padded` entries, a multiple of 16 whose padding is -1 (below every share's key, so it never
// counts), so the inner loop runs in whole vectors without a scalar tail; Key is 16 bits wide where
// every key and the league's size fit (8 comparisons per SSE2 instruction), else 32.
template <class Key>
void shared_ranks_of(const Key* key, std::size_t k, std::size_t padded, std::int32_t* rank) {
  for (std::size_t i = 0; i < k; ++i) {
    const Key ki = key[i];
    Key above = 0;
    // Blocks of 16 with a fixed trip count, which g++ vectorises even at -O2's cost model.
    for (std::size_t b = 0; b < padded; b += 16)
      for (std::size_t j = 0; j < 16; ++j) above = static_cast<Key>(above + (key[b + j] > ki ? 1 : 0));
    rank[i] = 1 + above;
  }
}

// Random ties: a member is tied when another has its key, and then draws one word from the block's
// stream (in member order); among tied members the higher word takes the better rank, and equal
// words fall back on the members' order, so the ranks are always a permutation.
template <class Key>
void break_ties_randomly(const Key* key, std::size_t k, random::Engine& engine, std::uint64_t* word,
                         std::int32_t* rank) {
  bool tied = false;
  for (std::size_t i = 0; i < k; ++i) {
    std::size_t equal = 0;
    for (std::size_t j = 0; j < k; ++j) equal += key[j] == key[i] ? 1 : 0;
    word[i] = equal > 1 ? engine() : 0;
    tied = tied || equal > 1;
  }
  if (!tied) return;
  for (std::size_t i = 0; i < k; ++i) {
    std::int32_t before = 0;
    for (std::size_t j = 0; j < k; ++j)
      before += key[j] == key[i] && (word[j] > word[i] || (word[j] == word[i] && j < i)) ? 1 : 0;
    rank[i] += before;
  }
}

// Ranks every replicate of a block: the members' shares as keys, shared ranks 1 + the number of
// members above, random ties broken by one word from the block's stream per tied member (and the
// member's place for equal words, so the ranks are always a permutation).
template <class Key>
void run_league(const LeaguePlan& lp, const std::vector<std::vector<std::int32_t>>& counts,
                random::Engine& engine, std::int64_t replicates, LeagueTally& t, std::vector<Key>& keys,
                Scratch& scratch) {
  const std::size_t k = lp.slots.size();
  const std::size_t padded = (k + 15) / 16 * 16;
  const auto kk = static_cast<std::int64_t>(k);
  keys.assign(padded, Key{-1});
  scratch.ranks.resize(k);
  scratch.draws.resize(k);
  Key* key = keys.data();
  std::int32_t* rank = scratch.ranks.data();
  std::uint64_t* word = scratch.draws.data();
  const std::int32_t* true_rank = lp.true_rank.data();
  const double true_var = static_cast<double>(kk * lp.sum_t2 - lp.sum_t * lp.sum_t);
  std::uint64_t* hist = t.ranks.data();
  for (std::int64_t r = 0; r < replicates; ++r) {
    for (std::size_t i = 0; i < k; ++i)
      key[i] = static_cast<Key>(
          lp.keys[i][static_cast<std::size_t>(counts[lp.slots[i]][static_cast<std::size_t>(r)])]);
    shared_ranks_of(key, k, padded, rank);
    if (lp.random_ties) break_ties_randomly(key, k, engine, word, rank);
    std::int32_t worst_true = 0;
    bool true_worst_first = false;
    std::int64_t sum_o = 0, sum_o2 = 0, sum_ot = 0, abs_error = 0;
    for (std::size_t i = 0; i < k; ++i) {
      const std::int64_t o = rank[i], tr = true_rank[i];
      ++hist[i * k + static_cast<std::size_t>(o - 1)];
      if (o == 1) {
        worst_true = std::max(worst_true, true_rank[i]);
        true_worst_first = true_worst_first || tr == 1;
      }
      sum_o += o;
      sum_o2 += o * o;
      sum_ot += o * tr;
      abs_error += o > tr ? o - tr : tr - o;
    }
    ++t.worst_true_rank[static_cast<std::size_t>(worst_true - 1)];
    t.true_worst_ranked_worst += true_worst_first ? 1 : 0;
    t.abs_error += static_cast<std::uint64_t>(abs_error);
    t.abs_error2 += static_cast<double>(abs_error) * static_cast<double>(abs_error);
    // Pearson's correlation of the two rank vectors (Spearman's rho with ties as ranked).
    const double obs_var = static_cast<double>(kk * sum_o2 - sum_o * sum_o);
    const double rho = obs_var > 0 && true_var > 0 ? static_cast<double>(kk * sum_ot - sum_o * lp.sum_t) /
                                                         std::sqrt(obs_var * true_var)
                                                   : 0.0;
    t.rho += rho;
    t.rho2 += rho * rho;
  }
}

// ---- Leagues in byte lanes ---------------------------------------------------------------------
//
// Where every share key fits a byte and the league has at most 255 members, a block's replicates
// are ranked column-wise, 16 replicates per vector: member i's rank in each replicate is 1 plus the
// number of members j whose key is higher, counted as K x K vector comparisons over 64 replicates
// at a time (GCC/Clang vector extensions, which are SSE2 on x86-64, NEON on ARM, and scalar code
// elsewhere). The tallies then accumulate over the same columns; only the per-replicate Spearman
// correlation and the squared rank error stay scalar, and are added in replicate order, so the
// result is the one run_league gives, bit for bit (the national league's golden file and its 10^6
// replicate JSON did not change); simulate-test.cpp holds every ranking path to exact mean ranks.

constexpr std::size_t lane_chunk = 64;  // replicates ranked together: 4 vectors of 16

using ByteVector = std::int8_t __attribute__((vector_size(16)));
using UByteVector = std::uint8_t __attribute__((vector_size(16)));

// ranks[i * lane_chunk + c] = 1 + #{j : keys[j * lane_chunk + c] > keys[i * lane_chunk + c]}.
void byte_lane_ranks(const std::int8_t* keys, std::size_t k, std::uint8_t* ranks) {
  constexpr std::size_t vectors = lane_chunk / 16;
  for (std::size_t i = 0; i < k; ++i) {
    ByteVector mine[vectors];
    UByteVector above[vectors];
    for (std::size_t q = 0; q < vectors; ++q) {
      std::memcpy(&mine[q], keys + i * lane_chunk + 16 * q, 16);
      above[q] = UByteVector{} + 1;
    }
    for (std::size_t j = 0; j < k; ++j)
      for (std::size_t q = 0; q < vectors; ++q) {
        ByteVector theirs;
        std::memcpy(&theirs, keys + j * lane_chunk + 16 * q, 16);
        // A true comparison is all ones (-1 as a byte): subtracting it adds one.
        above[q] -= reinterpret_cast<UByteVector>(theirs > mine[q]);
      }
    for (std::size_t q = 0; q < vectors; ++q) std::memcpy(ranks + i * lane_chunk + 16 * q, &above[q], 16);
  }
}

void run_league_bytes(const LeaguePlan& lp, const std::vector<std::vector<std::int32_t>>& counts,
                      random::Engine& engine, std::int64_t replicates, LeagueTally& t, Scratch& scratch) {
  const std::size_t k = lp.slots.size();
  const auto kk = static_cast<std::int64_t>(k);
  scratch.lane_keys.assign(k * lane_chunk, 0);
  scratch.lane_ranks.resize(k * lane_chunk);
  scratch.keys.resize(k);
  scratch.ranks.resize(k);
  scratch.draws.resize(k);
  std::int8_t* keys = scratch.lane_keys.data();
  std::uint8_t* ranks = scratch.lane_ranks.data();
  const std::int32_t* true_rank = lp.true_rank.data();
  const double true_var = static_cast<double>(kk * lp.sum_t2 - lp.sum_t * lp.sum_t);
  // The rank histogram in four interleaved 32-bit lanes (a block has at most 4096 replicates), so
  // that a member's run of equal ranks does not wait on each increment; summed at the end.
  scratch.rank_lanes.assign(4 * k * k, 0);
  std::uint32_t* lanes = scratch.rank_lanes.data();
  const auto all = static_cast<std::size_t>(replicates);
  for (std::size_t first = 0; first < all; first += lane_chunk) {
    const std::size_t m = std::min(lane_chunk, all - first);
    for (std::size_t i = 0; i < k; ++i) {
      const std::int32_t* x = counts[lp.slots[i]].data() + first;
      const std::int8_t* table = lp.byte_keys[i].data();
      std::int8_t* out = keys + i * lane_chunk;
      for (std::size_t c = 0; c < m; ++c) out[c] = table[static_cast<std::size_t>(x[c])];
    }
    byte_lane_ranks(keys, k, ranks);
    if (lp.random_ties)
      for (std::size_t c = 0; c < m; ++c) {
        for (std::size_t i = 0; i < k; ++i) {
          scratch.keys[i] = keys[i * lane_chunk + c];
          scratch.ranks[i] = ranks[i * lane_chunk + c];
        }
        break_ties_randomly(scratch.keys.data(), k, engine, scratch.draws.data(), scratch.ranks.data());
        for (std::size_t i = 0; i < k; ++i)
          ranks[i * lane_chunk + c] = static_cast<std::uint8_t>(scratch.ranks[i]);
      }
    // Per replicate: the largest true rank among the ranked worst, whether the truly worst is among
    // them, and the sums of observed ranks, their squares, their products with the true ranks and
    // the absolute rank errors (each fits 32 bits: at most 255 members of rank at most 255).
    std::uint8_t worst_true[lane_chunk] = {};
    std::uint8_t true_worst_first[lane_chunk] = {};
    std::uint32_t sum_o[lane_chunk] = {}, sum_o2[lane_chunk] = {}, sum_ot[lane_chunk] = {},
                  abs_error[lane_chunk] = {};
    for (std::size_t i = 0; i < k; ++i) {
      const std::uint8_t* o = ranks + i * lane_chunk;
      const auto tr = static_cast<std::uint8_t>(true_rank[i]);
      const std::uint32_t tr32 = tr;
      std::uint32_t* h = lanes + i * k - 1;
      std::size_t r = 0;
      for (; r + 4 <= m; r += 4) {
        ++h[o[r]];
        ++h[k * k + o[r + 1]];
        ++h[2 * k * k + o[r + 2]];
        ++h[3 * k * k + o[r + 3]];
      }
      for (; r < m; ++r) ++h[o[r]];
      for (std::size_t c = 0; c < lane_chunk; ++c) {
        const std::uint32_t oc = o[c];
        worst_true[c] = std::max(worst_true[c], o[c] == 1 ? tr : std::uint8_t{0});
        sum_o[c] += oc;
        sum_o2[c] += oc * oc;
        sum_ot[c] += oc * tr32;
        abs_error[c] += oc > tr32 ? oc - tr32 : tr32 - oc;
      }
      if (tr == 1)
        for (std::size_t c = 0; c < lane_chunk; ++c) true_worst_first[c] |= o[c] == 1 ? 1 : 0;
    }
    for (std::size_t c = 0; c < m; ++c) {
      ++t.worst_true_rank[worst_true[c] - 1u];
      t.true_worst_ranked_worst += true_worst_first[c];
      t.abs_error += abs_error[c];
      t.abs_error2 += static_cast<double>(abs_error[c]) * static_cast<double>(abs_error[c]);
      const std::int64_t so = sum_o[c], so2 = sum_o2[c], sot = sum_ot[c];
      const double obs_var = static_cast<double>(kk * so2 - so * so);
      const double rho = obs_var > 0 && true_var > 0
                             ? static_cast<double>(kk * sot - so * lp.sum_t) / std::sqrt(obs_var * true_var)
                             : 0.0;
      t.rho += rho;
      t.rho2 += rho * rho;
    }
  }
  for (std::size_t e = 0; e < k * k; ++e)
    t.ranks[e] += std::uint64_t{lanes[e]} + lanes[k * k + e] + lanes[2 * k * k + e] + lanes[3 * k * k + e];
}

void run_block(const Plan& plan, std::uint64_t block, Tally& tally, Scratch& scratch) {
  const SimulationSpec& spec = *plan.spec;
  tally.reset(plan);
  const std::int64_t first = static_cast<std::int64_t>(block) * block_replicates;
  const std::int64_t replicates = std::min(block_replicates, spec.replicates - first);
  random::Engine engine = random::make_stream(spec.seed, block);
  scratch.counts.resize(plan.slots);
  for (std::size_t i = 0; i < plan.points.size(); ++i) {
    const PointPlan& pp = plan.points[i];
    PointTally& t = tally.points[i];
    std::int32_t* keep = nullptr;
    if (pp.slot >= 0) {
      auto& v = scratch.counts[static_cast<std::size_t>(pp.slot)];
      v.resize(static_cast<std::size_t>(replicates));
      keep = v.data();
    }
    std::uint64_t* hist = t.histogram.data();
    if (const random::AliasTable* table = pp.sampler.table()) {
      // The inner loop of the whole program: one 64-bit word and one counter per replicate, in four
      // interleaved histograms, so that runs of the same count do not wait on each other's
      // increment (store-to-load forwarding), summed afterwards. Comparisons and leagues also keep
      // each replicate's count.
      const auto width = static_cast<std::size_t>(pp.n) + 1;
      scratch.lanes.assign(4 * width, 0);
      std::uint32_t* lane = scratch.lanes.data();
      const auto draw_all = [&](auto keeping) {
        std::int64_t r = 0;
        for (; r + 4 <= replicates; r += 4) {
          const std::int64_t x0 = (*table)(engine), x1 = (*table)(engine), x2 = (*table)(engine),
                             x3 = (*table)(engine);
          ++lane[x0];
          ++lane[width + static_cast<std::size_t>(x1)];
          ++lane[2 * width + static_cast<std::size_t>(x2)];
          ++lane[3 * width + static_cast<std::size_t>(x3)];
          if constexpr (decltype(keeping)::value) {
            keep[r] = static_cast<std::int32_t>(x0);
            keep[r + 1] = static_cast<std::int32_t>(x1);
            keep[r + 2] = static_cast<std::int32_t>(x2);
            keep[r + 3] = static_cast<std::int32_t>(x3);
          }
        }
        for (; r < replicates; ++r) {
          const std::int64_t x = (*table)(engine);
          ++lane[x];
          if constexpr (decltype(keeping)::value) keep[r] = static_cast<std::int32_t>(x);
        }
      };
      if (keep)
        draw_all(std::true_type{});
      else
        draw_all(std::false_type{});
      for (std::size_t x = 0; x < width; ++x)
        hist[x] += std::uint64_t{lane[x]} + lane[width + x] + lane[2 * width + x] + lane[3 * width + x];
    } else if (pp.sampler.fixed_truth()) {
      for (std::int64_t r = 0; r < replicates; ++r) {
        const std::int64_t x = pp.sampler.draw(engine).x;
        ++hist[x];
        if (keep) keep[r] = static_cast<std::int32_t>(x);
      }
    } else {
      run_point_variable(pp, engine, replicates, t, keep);
    }
  }
  // Each replicate pairs the two points' counts from the same block.
  for (std::size_t c = 0; c < spec.comparisons.size(); ++c) {
    const ComparisonSpec& cmp = spec.comparisons[c];
    const Decisions& d = *plan.decisions[c];
    const std::int32_t* xa = scratch.counts[static_cast<std::size_t>(plan.points[cmp.a].slot)].data();
    const std::int32_t* xb = scratch.counts[static_cast<std::size_t>(plan.points[cmp.b].slot)].data();
    const std::int64_t stride = d.nb + 1;
    std::uint64_t declared = 0;
    for (std::int64_t r = 0; r < replicates; ++r)
      declared += d.declare[static_cast<std::size_t>(xa[r] * stride + xb[r])];
    tally.declared[c] = declared;
  }
  // Each league ranks the same replicates' counts, after every point has drawn its block.
  for (std::size_t l = 0; l < plan.leagues.size(); ++l) {
    const LeaguePlan& lp = plan.leagues[l];
    if (!lp.byte_keys.empty())
      run_league_bytes(lp, scratch.counts, engine, replicates, tally.leagues[l], scratch);
    else if (lp.narrow)
      run_league(lp, scratch.counts, engine, replicates, tally.leagues[l], scratch.keys16, scratch);
    else
      run_league(lp, scratch.counts, engine, replicates, tally.leagues[l], scratch.keys, scratch);
  }
}

// ---- Threads -----------------------------------------------------------------------------------

// Runs every block and returns the merged tally (base::run_blocks: workers compute blocks, the
// calling thread merges them in block order, reports progress and watches for cancellation).
// With a checkpoint path, the merged tally is saved now and then (Checkpoint) and a run resumes from
// a checkpoint it finds there. With a team of ranks, rank 0 alone reads and writes the checkpoint,
// and every other rank starts from the state rank 0 resumes from.
Tally run_blocks(const Plan& plan, const RunOptions& options, const Checkpoint& checkpoint) {
  const SimulationSpec& spec = *plan.spec;
  const auto blocks = static_cast<std::uint64_t>((spec.replicates + block_replicates - 1) / block_replicates);
  Tally total;
  total.reset(plan);
  std::uint64_t first = 0;
  RunOptions run = options;
  run.checkpoint = {};  // a raw block-runner callback could not see the tally: checkpoints are by path
  base::Team* team = base::sharing(options.team);
  if (!checkpoint.path.empty() && (team == nullptr || team->rank() == 0)) {
    const base::RunIdentity identity{
        "simulate", checkpoint.input_sha256.empty() ? spec.source_sha256 : checkpoint.input_sha256, spec.seed,
        spec.replicates, blocks};
    if (const auto saved = base::read_checkpoint(checkpoint.path, identity,
                                                 base::checkpoint_size_bound(save_state(total)))) {
      base::StateReader reader(saved->state, checkpoint.path);
      fields(total, reader);
      reader.finish();
      first = saved->merged;
    }
    run.checkpoint.interval =
        std::chrono::milliseconds(static_cast<std::int64_t>(std::ceil(checkpoint.interval_seconds * 1000)));
    run.checkpoint.save = [&, identity](std::uint64_t merged) {
      base::write_checkpoint(checkpoint.path, identity, merged, save_state(total));
    };
    // Written once before the first block, so that a path that cannot be written is refused now,
    // not after the first interval of work.
    run.checkpoint.save(first);
  }
  if (team != nullptr) base::take_from_rank0(*team, first, total);
  base::run_blocks<Tally, Scratch>(
      blocks, run,
      [&](std::uint64_t block, Tally& tally, Scratch& scratch) { run_block(plan, block, tally, scratch); },
      [&](std::uint64_t, const Tally& tally) { total.add(tally); }, first,
      [&](Tally& tally) {
        if (tally.points.size() != plan.points.size() || tally.leagues.size() != plan.leagues.size())
          tally.reset(plan);
      });
  return total;
}

// ---- Results -----------------------------------------------------------------------------------

Estimate proportion(std::uint64_t hits, double replicates) {
  const double p = static_cast<double>(hits) / replicates;
  return {p, std::sqrt(p * (1 - p) / replicates)};
}

PointResult summarise(const SimulationSpec& spec, const PointPlan& pp, const PointTally& t,
                      const std::optional<CountLaw>& law) {
  const CellPoint& p = *pp.point;
  const double reps = static_cast<double>(spec.replicates);
  const double nd = static_cast<double>(pp.n);
  const std::size_t size = t.histogram.size();
  const bool fixed = pp.sampler.fixed_truth();
  const double truth = pp.sampler.truth();
  // A Beta truth drawn by its count's marginal law (PointSampler::table): each replicate's
  // indicator (covered, missed, graded right) and error is replaced by its conditional expectation
  // given the count, which the count's exact law gives for x = 0..n. The estimate is unbiased, its
  // Monte Carlo variance is Var(E[. | X]) <= Var(.) (Rao-Blackwell), and its SE is estimated from
  // the same histogram.
  const CountLaw* given = !fixed && pp.sampler.table() ? &*pp.sampler.law() : nullptr;
  // Sum over the histogram of f(x) and of f(x)^2, as an Estimate of E f(X).
  auto expected = [&](auto f) {
    double sum = 0, sum2 = 0;
    for (std::size_t x = 0; x < t.histogram.size(); ++x) {
      if (t.histogram[x] == 0) continue;
      const double v = f(x), h = static_cast<double>(t.histogram[x]);
      sum += h * v;
      sum2 += h * v * v;
    }
    const double mean = sum / reps;
    return Estimate{mean, std::sqrt(std::max(0.0, sum2 / reps - mean * mean) / reps)};
  };
  // P(T in [lo, hi] | X = x) (closed) and P(T in (lo, hi] | X = x) from the joint law.
  auto within_given = [&](std::size_t x, double lo, double hi) {
    const double px = given->pmf[x];
    return px > 0 ? std::clamp(probability_truth_within(*given, static_cast<std::int64_t>(x), lo, hi) / px,
                               0.0, 1.0)
                  : 0.0;
  };
  auto band_given = [&](std::size_t x, double lo, double hi) {
    const double px = given->pmf[x];
    return px > 0 ? std::clamp(probability_truth_in_band(*given, static_cast<std::int64_t>(x), lo, hi) / px,
                               0.0, 1.0)
                  : 0.0;
  };

  PointResult r;
  r.point = p;
  r.replicates = spec.replicates;
  r.true_rate = truth;
  r.true_count = pp.sampler.wrong();

  // The share's distribution, mean, spread and error.
  r.count_distribution.resize(size);
  double mean = 0;
  for (std::size_t x = 0; x < size; ++x) {
    r.count_distribution[x] = static_cast<double>(t.histogram[x]) / reps;
    mean += r.count_distribution[x] * (static_cast<double>(x) / nd);
  }
  double variance = 0;
  double mse = 0;
  for (std::size_t x = 0; x < size; ++x) {
    const double share = static_cast<double>(x) / nd;
    variance += r.count_distribution[x] * (share - mean) * (share - mean);
    mse += r.count_distribution[x] * (share - truth) * (share - truth);
  }
  r.sd = std::sqrt(variance);
  r.mean_share = {mean, r.sd / std::sqrt(reps)};
  r.bias = fixed ? mean - truth : t.sum_error / reps;
  r.rmse = std::sqrt(fixed ? mse : t.sum_error2 / reps);
  if (given) {
    // E[X/n - T | x] and E[(X/n - T)^2 | x] from the truth's conditional moments.
    double bias = 0, square = 0;
    for (std::size_t x = 0; x < size; ++x) {
      if (t.histogram[x] == 0) continue;
      const double share = static_cast<double>(x) / nd, h = static_cast<double>(t.histogram[x]);
      const TruthMoments m = truth_moments_given(*given, static_cast<std::int64_t>(x));
      bias += h * (share - m.mean);
      square += h * std::max(0.0, share * share - 2 * share * m.mean + m.second);
    }
    r.bias = bias / reps;
    r.rmse = std::sqrt(square / reps);
  }

  if (law) r.exact_count_distribution = law->pmf;

  for (std::size_t m = 0; m < spec.methods.size(); ++m) {
    const IntervalTable& iv = *pp.intervals[m];
    MethodResult mr{spec.methods[m], {}, {}, 0, 0, 0, 0};
    std::uint64_t covered = 0, below = 0, above = 0, defined = 0;
    double width = 0;
    for (std::size_t x = 0; x < size; ++x) {
      const std::uint64_t h = t.histogram[x];
      if (!iv.defined[x]) {
        mr.undefined += static_cast<std::int64_t>(h);
        continue;
      }
      defined += h;
      width += static_cast<double>(h) * (iv.upper[x] - iv.lower[x]);
      if (!fixed) continue;
      if (iv.upper[x] < truth)
        below += h;
      else if (iv.lower[x] > truth)
        above += h;
      else
        covered += h;
    }
    if (!fixed) {
      covered = t.covered[m];
      below = t.below[m];
      above = t.above[m];
    }
    mr.coverage = proportion(covered, reps);
    mr.mean_width = defined > 0 ? width / static_cast<double>(defined) : 0.0;
    mr.miss_below = static_cast<double>(below) / reps;
    mr.miss_above = static_cast<double>(above) / reps;
    if (given) {
      // Covered: lower <= T <= upper; missed below: upper < T (the interval lies below the truth);
      // missed above: the rest of the defined counts' mass.
      mr.coverage = expected(
          [&](std::size_t x) { return iv.defined[x] ? within_given(x, iv.lower[x], iv.upper[x]) : 0.0; });
      mr.miss_below = expected([&](std::size_t x) {
                        return iv.defined[x] ? 1 - band_given(x, -infinity, iv.upper[x]) : 0.0;
                      }).value;
      mr.miss_above = std::max(0.0, static_cast<double>(defined) / reps - mr.coverage.value - mr.miss_below);
    }
    if (law) {
      double exact = 0;
      for (std::size_t x = 0; x < size; ++x)
        if (iv.defined[x])
          exact += probability_truth_within(*law, static_cast<std::int64_t>(x), iv.lower[x], iv.upper[x]);
      mr.exact_coverage = exact;
    }
    r.methods.push_back(mr);
  }

  if (!p.grades.empty()) {
    const std::size_t right = band_of(p.grades, truth);
    r.correct_grade = p.grades[right].name;
    std::vector<std::uint64_t> hits(p.grades.size(), 0);
    std::vector<double> exact(p.grades.size(), 0.0);
    double exact_correct = 0;
    for (std::size_t x = 0; x < size; ++x) {
      const std::size_t g = pp.band_of_x[x];
      hits[g] += t.histogram[x];
      if (!law) continue;
      exact[g] += law->pmf[x];
      const double lo = g == 0 ? -infinity : *p.grades[g - 1].upper;
      const double hi = g + 1 == p.grades.size() ? infinity : *p.grades[g].upper;
      exact_correct += probability_truth_in_band(*law, static_cast<std::int64_t>(x), lo, hi);
    }
    for (std::size_t g = 0; g < p.grades.size(); ++g) {
      GradeResult gr{p.grades[g].name, proportion(hits[g], reps), {}};
      if (law) gr.exact = exact[g];
      r.grades.push_back(gr);
    }
    r.p_correct_grade = proportion(fixed ? hits[right] : t.correct_grade, reps);
    if (given)
      r.p_correct_grade = expected([&](std::size_t x) {
        const std::size_t g = pp.band_of_x[x];
        const double lo = g == 0 ? -infinity : *p.grades[g - 1].upper;
        const double hi = g + 1 == p.grades.size() ? infinity : *p.grades[g].upper;
        return band_given(x, lo, hi);
      });
    if (law) r.exact_p_correct_grade = exact_correct;
  }
  return r;
}

// The exact league figures apply when every member's count law is enumerable (the members' counts
// are drawn independently) and the sums stay small (K^3 n operations for random ties).
constexpr double max_league_exact_work = 2e8;

LeagueResult summarise_league(const LeagueSpec& spec, const LeaguePlan& lp, const LeagueTally& t,
                              const SimulationResult& result) {
  const std::size_t k = spec.members.size();
  const double reps = static_cast<double>(result.spec.replicates);
  LeagueResult lr;
  lr.spec = spec;
  std::vector<std::vector<double>> pmfs;
  std::vector<std::int64_t> samples;
  double work = 0;
  for (const std::size_t m : spec.members) {
    pmfs.push_back(result.points[m].exact_count_distribution);
    samples.push_back(result.points[m].point.sample);
    work += static_cast<double>(k * k * (k + 1)) * static_cast<double>(samples.back() + 1);
  }
  const bool enumerable = work <= max_league_exact_work &&
                          std::all_of(pmfs.begin(), pmfs.end(), [](const auto& p) { return !p.empty(); });
  std::vector<double> exact;
  if (enumerable) exact = league_worst_probabilities(pmfs, samples, spec.ties);

  std::vector<std::size_t> true_worst;
  for (std::size_t i = 0; i < k; ++i) {
    LeagueMemberResult mr;
    mr.point = spec.members[i];
    mr.true_rate = result.points[mr.point].true_rate;
    mr.true_rank = lp.true_rank[i];
    if (mr.true_rank == 1) true_worst.push_back(i);
    double mean = 0, mean2 = 0;
    for (std::size_t r = 0; r < k; ++r) {
      const double p = static_cast<double>(t.ranks[i * k + r]) / reps;
      mr.rank_distribution.push_back(p);
      mean += p * static_cast<double>(r + 1);
      mean2 += p * static_cast<double>((r + 1) * (r + 1));
    }
    mr.p_ranked_worst = proportion(t.ranks[i * k], reps);
    mr.mean_rank = {mean, std::sqrt(std::max(0.0, mean2 - mean * mean) / reps)};
    if (enumerable) mr.p_ranked_worst_exact = exact[i];
    lr.members.push_back(std::move(mr));
  }
  lr.p_true_worst_ranked_worst = proportion(t.true_worst_ranked_worst, reps);
  if (enumerable) {
    if (true_worst.size() == 1)
      lr.p_true_worst_ranked_worst_exact = exact[true_worst.front()];
    else if (true_worst.size() == k)
      lr.p_true_worst_ranked_worst_exact = 1.0;
    else if (spec.ties == Ties::shared)
      lr.p_true_worst_ranked_worst_exact = league_set_worst_probability(pmfs, samples, true_worst);
  }
  std::uint64_t within = 0;
  std::size_t next = 0;
  for (const std::int64_t top : spec.top) {
    for (; next < static_cast<std::size_t>(top); ++next) within += t.worst_true_rank[next];
    lr.top.push_back({top, proportion(within, reps)});
  }
  if (lp.sum_t * lp.sum_t != static_cast<std::int64_t>(k) * lp.sum_t2) {
    const double mean = t.rho / reps;
    lr.spearman = Estimate{mean, std::sqrt(std::max(0.0, t.rho2 / reps - mean * mean) / reps)};
  }
  const double kd = static_cast<double>(k);
  const double mean_error = static_cast<double>(t.abs_error) / reps;  // per replicate, summed over members
  lr.mean_abs_rank_error = {
      mean_error / kd, std::sqrt(std::max(0.0, t.abs_error2 / reps - mean_error * mean_error) / reps) / kd};
  return lr;
}

}  // namespace

SimulationResult run(const SimulationSpec& spec, const RunOptions& options, const Checkpoint& checkpoint) {
  validate(spec);
  check_checkpoint(checkpoint);

  Plan plan;
  plan.spec = &spec;
  std::map<std::pair<stats::Method, std::int64_t>, IntervalTable> tables;
  plan.points.reserve(spec.points.size());
  for (const auto& p : spec.points) {
    PointPlan& pp = plan.points.emplace_back(p);
    for (const stats::Method m : spec.methods) {
      auto it = tables.find({m, pp.n});
      if (it == tables.end())
        it = tables.emplace(std::pair{m, pp.n}, tabulate(m, pp.n, spec.confidence)).first;
      pp.intervals.push_back(&it->second);
    }
    if (!p.grades.empty())
      for (std::int64_t x = 0; x <= pp.n; ++x)
        pp.band_of_x.push_back(band_of(p.grades, static_cast<double>(x) / static_cast<double>(pp.n)));
  }

  std::map<std::tuple<std::int64_t, std::int64_t, bool, stats::DiffMethod>, Decisions> decision_tables;
  for (const auto& c : spec.comparisons) {
    for (const std::size_t i : {c.a, c.b})
      if (plan.points[i].slot < 0) plan.points[i].slot = static_cast<std::ptrdiff_t>(plan.slots++);
    const std::int64_t na = plan.points[c.a].n;
    const std::int64_t nb = plan.points[c.b].n;
    const auto key = std::tuple{na, nb, c.fisher, c.fisher ? stats::DiffMethod::newcombe : c.method};
    auto it = decision_tables.find(key);
    if (it == decision_tables.end())
      it = decision_tables.emplace(key, tabulate_decisions(c, na, nb, spec.confidence)).first;
    plan.decisions.push_back(&it->second);
  }

  for (const LeagueSpec& league : spec.leagues) {
    LeaguePlan& lp = plan.leagues.emplace_back();
    lp.random_ties = league.ties == Ties::random;
    std::vector<std::int64_t> samples;
    std::vector<double> truths;
    for (const std::size_t m : league.members) {
      if (plan.points[m].slot < 0) plan.points[m].slot = static_cast<std::ptrdiff_t>(plan.slots++);
      lp.slots.push_back(static_cast<std::size_t>(plan.points[m].slot));
      samples.push_back(plan.points[m].n);
      truths.push_back(plan.points[m].sampler.truth());
    }
    lp.keys = league_share_keys(samples);
    std::int32_t top_key = 0;
    for (const auto& keys : lp.keys) top_key = std::max(top_key, keys.back());
    constexpr auto narrow_max = std::numeric_limits<std::int16_t>::max();
    lp.narrow = top_key < narrow_max && league.members.size() < static_cast<std::size_t>(narrow_max);
    if (top_key < 256 && league.members.size() < 256)
      for (const auto& keys : lp.keys) {
        auto& bytes = lp.byte_keys.emplace_back();
        for (const std::int32_t key : keys) bytes.push_back(static_cast<std::int8_t>(key - 128));
      }
    lp.true_rank = shared_ranks(truths);
    for (const std::int32_t t : lp.true_rank) {
      lp.sum_t += t;
      lp.sum_t2 += std::int64_t{t} * t;
    }
  }

  const Tally total = run_blocks(plan, options, checkpoint);

  SimulationResult result;
  result.spec = spec;
  result.version = std::string(base::version());
  for (std::size_t i = 0; i < plan.points.size(); ++i)
    result.points.push_back(summarise(
        spec, plan.points[i], total.points[i],
        plan.points[i].sampler.law() ? plan.points[i].sampler.law() : exact_count_law(spec.points[i])));
  for (std::size_t c = 0; c < spec.comparisons.size(); ++c) {
    const ComparisonSpec& cmp = spec.comparisons[c];
    ComparisonResult cr{cmp, proportion(total.declared[c], static_cast<double>(spec.replicates)), {}};
    // The points are independent, so P(declare) = sum Pa(xa) Pb(xb) D[xa][xb].
    const auto& pa = result.points[cmp.a].exact_count_distribution;
    const auto& pb = result.points[cmp.b].exact_count_distribution;
    if (!pa.empty() && !pb.empty()) {
      const Decisions& d = *plan.decisions[c];
      double exact = 0;
      for (std::size_t xa = 0; xa < pa.size(); ++xa)
        for (std::size_t xb = 0; xb < pb.size(); ++xb)
          if (d.declare[xa * pb.size() + xb]) exact += pa[xa] * pb[xb];
      cr.exact = exact;
    }
    result.comparisons.push_back(cr);
  }
  for (std::size_t l = 0; l < spec.leagues.size(); ++l)
    result.leagues.push_back(summarise_league(spec.leagues[l], plan.leagues[l], total.leagues[l], result));
  return result;
}

void check_checkpoint(const Checkpoint& checkpoint) {
  if (!(checkpoint.interval_seconds >= 0 && checkpoint.interval_seconds <= 1e6))
    throw base::InputError(base::field("checkpoint_interval") + " is " +
                           base::format_number(checkpoint.interval_seconds) +
                           ", but must be between 0 and 1000000 seconds");
}

void remove_checkpoint(const Checkpoint& checkpoint) {
  if (!checkpoint.path.empty()) base::remove_checkpoint(checkpoint.path);
}

}  // namespace inspectsim::simulate
