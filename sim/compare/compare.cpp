#include "inspectsim/compare/compare.hpp"

#include <algorithm>
#include <functional>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "inspectsim/base/blocks.hpp"
#include "inspectsim/base/check.hpp"
#include "inspectsim/base/error.hpp"
#include "inspectsim/base/text.hpp"

namespace inspectsim::compare {

std::string_view group_by_name(GroupBy g) noexcept { return base::name_of(g); }

GroupBy parse_group_by(std::string_view name) {
  return base::parse_name<GroupBy>(base::field("group_by"), name);
}

std::string_view shrinkage_name(Shrinkage s) noexcept { return base::name_of(s); }

Shrinkage parse_shrinkage(std::string_view name) {
  return base::parse_name<Shrinkage>(base::field("shrinkage"), name);
}

std::string_view rank_posterior_name(RankPosterior r) noexcept { return base::name_of(r); }

RankPosterior parse_rank_posterior(std::string_view name) {
  return base::parse_name<RankPosterior>(base::field("rank_posterior"), name);
}

RankPosterior rank_posterior_of(const CompareRequest& r) noexcept {
  if (r.rank_posterior) return *r.rank_posterior;
  return r.shrinkage == Shrinkage::hierarchical ? RankPosterior::hierarchical : RankPosterior::jeffreys;
}

std::string_view verdict_name(Verdict v) noexcept { return base::name_of(v); }

bool tests_pairs(const CompareRequest& r) noexcept {
  return r.pairs || r.pair_tests || r.rank_intervals == RankIntervals::simultaneous;
}

std::optional<double> p_worst_shown(const GroupResult& g, const RowResult& r) noexcept {
  if (g.rows.size() < 2) return std::nullopt;
  return r.rank.p_worst;
}

namespace {

void validate(const CompareRequest& r) {
  base::check_open_unit("confidence", r.confidence);
  if (r.levels.empty()) throw base::InputError(base::field("levels") + " must list at least one level");
  for (double l : r.levels)
    if (!(l > 0 && l < 1))
      throw base::InputError(base::field("levels") + " has " + base::format_number(l) +
                             ", but every level must be strictly between 0 and 1");
  for (double t : r.thresholds)
    if (!(t >= 0 && t <= 1))
      throw base::InputError(base::field("thresholds") + " has " + base::format_number(t) +
                             ", but every threshold must be between 0 and 1");
  const RankPosterior rp = rank_posterior_of(r);
  if (rp == RankPosterior::shrunk && r.shrinkage != Shrinkage::empirical)
    throw base::InputError(base::field("rank_posterior") + " is 'shrunk', which needs " +
                           base::field("shrinkage") +
                           " 'empirical'; with hierarchical shrinkage rank from 'hierarchical'");
  if (rp == RankPosterior::hierarchical && r.shrinkage != Shrinkage::hierarchical)
    throw base::InputError(base::field("rank_posterior") + " is 'hierarchical', which needs " +
                           base::field("shrinkage") + " 'hierarchical'");
  if (r.threads > base::max_threads)
    throw base::InputError(base::field("threads") + " is " + std::to_string(r.threads) +
                           ", but must be a whole number from 0 (all cores) to " +
                           std::to_string(base::max_threads));
  if (r.draws < 1 || r.draws > 10'000'000)
    throw base::InputError(base::field("draws") + " is " + std::to_string(r.draws) +
                           ", but must be a whole number from 1 to 10000000");
}

// Progress over all of a run's jobs: each job's blocks are reported after those of the jobs before it.
class Progress {
 public:
  Progress(const base::Monitor& monitor, unsigned threads, std::uint64_t total, base::Team* team)
      : monitor_(monitor), threads_(threads), total_(total), team_(team) {}

  // The run options for the next job, of `draws` draws.
  base::RunOptions next(std::int64_t draws) {
    const std::uint64_t offset = done_;
    done_ += blocks_of(draws);
    base::Monitor m{{}, monitor_.cancel};
    if (monitor_.progress)
      m.progress = [this, offset](std::uint64_t d, std::uint64_t) { monitor_.progress(offset + d, total_); };
    base::RunOptions run(threads_, std::move(m));
    run.team = team_;
    return run;
  }

 private:
  const base::Monitor& monitor_;
  unsigned threads_;
  std::uint64_t total_;
  base::Team* team_;
  std::uint64_t done_ = 0;
};

stats::Count count_of(const ResultRow& r) { return {r.incorrect, r.sampled}; }

double rate_of(const ResultRow& r) {
  return static_cast<double>(r.incorrect) / static_cast<double>(r.sampled);
}

// A group is shrunk hierarchically when it has enough forces for a spread to be estimated.
bool shrinks_hierarchically(const CompareRequest& req, std::size_t forces) {
  return req.shrinkage == Shrinkage::hierarchical && forces >= min_shrinkage_units;
}

// Each group's hierarchical fit (none where the group is not shrunk hierarchically), the groups on
// every core: a fit is a pure function of its group's counts, so the thread count changes nothing.
// The improper-posterior check runs first, in group order, so the message names the first such group.
std::vector<std::optional<stats::HierarchicalFit>> fit_groups(
    const ResultsTable& table, const std::vector<std::span<const std::size_t>>& groups,
    const CompareRequest& req, const base::RunOptions& options) {
  std::vector<std::vector<stats::Count>> counts(groups.size());
  for (std::size_t g = 0; g < groups.size(); ++g) {
    if (!shrinks_hierarchically(req, groups[g].size())) continue;
    for (std::size_t i : groups[g]) counts[g].push_back(count_of(table.rows[i]));
    if (stats::improper_posterior(req.hyperprior, counts[g])) {
      const ResultRow& first = table.rows[groups[g].front()];
      const std::string name = req.group_by == GroupBy::category || first.inspection.empty()
                                   ? first.category
                                   : first.inspection + " / " + first.category;
      throw base::InputError(base::field("hyperprior") + " is 'bda3', an improper prior, and in group '" +
                             name +
                             "' every force has none or all of its records wrong, so the posterior is "
                             "improper too (nothing bounds the spread between forces); use the proper "
                             "default 'albert'");
    }
  }
  std::vector<std::optional<stats::HierarchicalFit>> fits(groups.size());
  base::run_blocks<std::optional<stats::HierarchicalFit>, base::NoScratch>(
      groups.size(), options,
      [&](std::uint64_t g, std::optional<stats::HierarchicalFit>& fit, base::NoScratch&) {
        fit.reset();
        if (!counts[g].empty()) fit = stats::fit_hierarchical(counts[g], req.hyperprior, req.confidence);
      },
      [&](std::uint64_t g, std::optional<stats::HierarchicalFit>& fit) { fits[g] = std::move(fit); });
  return fits;
}

// Each force's posterior under its group's fit. Forces with the same count share one posterior, so
// each distinct count is computed once, the counts on every core.
std::vector<stats::ShrunkEstimate> shrink_all(const stats::HierarchicalFit& fit,
                                              std::span<const stats::Count> counts,
                                              std::span<const double> thresholds,
                                              const base::RunOptions& options) {
  std::map<std::pair<std::int64_t, std::int64_t>, std::size_t> index;
  std::vector<stats::Count> distinct;
  for (const stats::Count& c : counts)
    if (index.try_emplace({c.x, c.n}, distinct.size()).second) distinct.push_back(c);
  std::vector<stats::ShrunkEstimate> posterior(distinct.size());
  base::run_blocks<stats::ShrunkEstimate, base::NoScratch>(
      distinct.size(), options,
      [&](std::uint64_t k, stats::ShrunkEstimate& s, base::NoScratch&) {
        s = stats::hierarchical_shrink(fit, distinct[k], thresholds);
      },
      [&](std::uint64_t k, stats::ShrunkEstimate& s) { posterior[k] = std::move(s); });
  std::vector<stats::ShrunkEstimate> out;
  out.reserve(counts.size());
  for (const stats::Count& c : counts) out.push_back(posterior[index.at({c.x, c.n})]);
  return out;
}

GroupResult analyse_group(const ResultsTable& table, std::span<const std::size_t> members,
                          const CompareRequest& req, std::uint64_t group_index,
                          std::optional<stats::HierarchicalFit> hierarchical, const base::RunOptions& pool,
                          Progress& progress) {
  GroupResult g;
  const ResultRow& first = table.rows[members.front()];
  g.category = first.category;
  if (req.group_by == GroupBy::inspection_category) g.inspection = first.inspection;
  std::vector<stats::Count> counts;
  for (std::size_t i : members) {
    counts.push_back(count_of(table.rows[i]));
    g.sampled += table.rows[i].sampled;
    g.incorrect += table.rows[i].incorrect;
  }
  g.funnel = stats::fit_funnel(counts, req.overdispersion);
  if (members.size() >= min_shrinkage_units) {
    if (req.shrinkage == Shrinkage::empirical) {
      // With no wrong records in the group (or nothing but), the marginal likelihood has no maximum
      // inside the parameter space (it keeps rising as the mean goes to 0 or 1): no fit.
      const bool degenerate = g.incorrect == 0 || g.incorrect == g.sampled;
      if (!degenerate) g.fit = stats::fit_beta_binomial(counts);
    } else {
      g.hierarchical = std::move(hierarchical);
      g.ppc_replicates = std::min(req.draws, max_ppc_replicates);
      g.chi_square = spread_chi_square(counts);
      g.ppc_p = posterior_predictive_p(*g.hierarchical, counts, g.ppc_replicates, {req.seed, group_index, 4},
                                       progress.next(g.ppc_replicates));
    }
  }

  std::vector<stats::ShrunkEstimate> shrunk;
  if (g.hierarchical) shrunk = shrink_all(*g.hierarchical, counts, req.thresholds, pool);
  for (std::size_t i : members) {
    const ResultRow& r = table.rows[i];
    RowResult out;
    out.row = i;
    out.label = req.group_by == GroupBy::category ? r.force + " (" + r.inspection + ")" : r.force;
    out.estimate = rate_of(r);
    out.interval = stats::proportion_interval(req.method, r.incorrect, r.sampled, req.confidence);
    if (r.population)
      out.population_interval =
          stats::hypergeometric_interval(r.incorrect, r.sampled, *r.population, req.confidence);
    for (double level : req.levels) {
      FunnelPoint f;
      f.level = level;
      f.limits = stats::funnel_limits(g.funnel, r.sampled, level);
      f.flag = stats::funnel_flag(count_of(r), f.limits);
      out.funnel.push_back(f);
    }
    if (g.fit) out.shrunk = stats::shrink(*g.fit, count_of(r), req.confidence, req.thresholds);
    if (g.hierarchical) out.shrunk = shrunk[g.rows.size()];
    g.rows.push_back(std::move(out));
  }

  // Ranks: Jeffreys posteriors Beta(X + 1/2, N - X + 1/2), the shrunk Beta(a + X, b + N - X), or the
  // hierarchical model's joint posterior; Jeffreys where the group has no shrinkage.
  const RankPosterior wanted = rank_posterior_of(req);
  g.ranks_from = wanted == RankPosterior::shrunk && g.fit                  ? RankPosterior::shrunk
                 : wanted == RankPosterior::hierarchical && g.hierarchical ? RankPosterior::hierarchical
                                                                           : RankPosterior::jeffreys;
  g.ranks_shrunk = g.ranks_from != RankPosterior::jeffreys;
  const Streams streams{req.seed, group_index, 1};
  std::vector<RankSummary> ranks;
  if (g.ranks_from == RankPosterior::hierarchical) {
    ranks = simulate_hierarchical_ranks(*g.hierarchical, counts, req.draws, streams, req.confidence,
                                        progress.next(req.draws));
  } else {
    std::vector<stats::BetaPrior> post;
    for (const stats::Count& c : counts) {
      const auto x = static_cast<double>(c.x), n = static_cast<double>(c.n);
      post.push_back(g.ranks_from == RankPosterior::shrunk ? stats::BetaPrior{g.fit->a + x, g.fit->b + n - x}
                                                           : stats::BetaPrior{x + 0.5, n - x + 0.5});
    }
    ranks = simulate_ranks(post, req.draws, streams, req.confidence, progress.next(req.draws));
  }
  // Each force's whole rank distribution is I numbers, I^2 for the group, and no output shows it:
  // kept, a group of 5,000 forces held 200 MB after its draws (20 GB for 100 such groups).
  for (std::size_t k = 0; k < g.rows.size(); ++k) {
    g.rows[k].rank = std::move(ranks[k]);
    g.rows[k].rank.rank_probability = std::vector<double>();  // freed, not only cleared
  }

  if (tests_pairs(req)) {
    // One set of tests serves the pairs listed, the count told apart and the rank intervals.
    const std::vector<PairTest> tests = pairwise_fisher(counts);
    g.pairs_tested = true;
    g.pair_count = static_cast<std::int64_t>(tests.size());
    for (const PairTest& t : tests) {
      const bool apart = t.p_holm < 1 - req.confidence;
      if (apart) ++g.distinguishable;
      if (!req.pairs) continue;
      const ResultRow& ra = table.rows[members[t.a]];
      const ResultRow& rb = table.rows[members[t.b]];
      PairResult p;
      p.a = t.a;
      p.b = t.b;
      p.difference = rate_of(ra) - rate_of(rb);
      p.interval = stats::difference_interval(req.diff_method, ra.incorrect, ra.sampled, rb.incorrect,
                                              rb.sampled, req.confidence);
      p.p = t.p;
      p.p_holm = t.p_holm;
      p.distinguishable = apart;
      g.pairs.push_back(p);
    }
    if (req.rank_intervals == RankIntervals::simultaneous) {
      const std::vector<SimultaneousRank> sim = simultaneous_rank_intervals(counts, tests, req.confidence);
      g.worst_quarter_ranks = worst_quarter_ranks(g.rows.size());
      for (std::size_t k = 0; k < g.rows.size(); ++k) {
        g.rows[k].simultaneous = sim[k];
        g.rows[k].worst_quarter = in_worst_quarter(sim[k], g.rows.size());
        if (g.rows[k].worst_quarter) ++g.in_worst_quarter;
      }
    }
  }
  return g;
}

std::vector<Stratum> strata_of(const ResultsTable& table, const std::vector<std::size_t>& rows) {
  std::vector<Stratum> s;
  s.reserve(rows.size());
  for (std::size_t i : rows) s.push_back({count_of(table.rows[i]), table.rows[i].population});
  return s;
}

// Each distinct name a number, in order of first appearance, so that rows are grouped by numbers
// rather than by copies of their names in ordered maps (a million rows made a million map nodes of
// two strings each, several times over). The views point into the table's rows, which outlive it.
class NameIds {
 public:
  std::uint64_t operator()(std::string_view name) {
    return ids_.try_emplace(name, static_cast<std::uint64_t>(ids_.size())).first->second;
  }

 private:
  std::unordered_map<std::string_view, std::uint64_t> ids_;
};

// Rows grouped by a key, the groups numbered in order of first appearance: group g holds rows
// rows[start[g]] .. rows[start[g + 1] - 1], in file order. Two flat arrays, however many groups.
struct Grouping {
  std::vector<std::size_t> start{0};
  std::vector<std::size_t> rows;
  std::size_t size() const { return start.size() - 1; }
  std::span<const std::size_t> members(std::size_t g) const {
    return std::span<const std::size_t>(rows).subspan(start[g], start[g + 1] - start[g]);
  }
};

// A row's key: two names' numbers.
using Key = std::pair<std::uint64_t, std::uint64_t>;
struct KeyHash {
  std::size_t operator()(const Key& k) const noexcept {
    return std::hash<std::uint64_t>()(k.first * 0x9E3779B97F4A7C15u ^ k.second);
  }
};

// key(i) is row i's Key; linear time (a counting sort by group).
template <class KeyOf>
Grouping group_rows(std::size_t n, KeyOf key) {
  std::unordered_map<Key, std::size_t, KeyHash> index;
  std::vector<std::size_t> group(n);
  std::vector<std::size_t> sizes;
  for (std::size_t i = 0; i < n; ++i) {
    const auto [it, fresh] = index.try_emplace(key(i), sizes.size());
    if (fresh) sizes.push_back(0);
    group[i] = it->second;
    ++sizes[it->second];
  }
  Grouping out;
  out.start.resize(sizes.size() + 1);
  for (std::size_t g = 0; g < sizes.size(); ++g) out.start[g + 1] = out.start[g] + sizes[g];
  out.rows.resize(n);
  std::vector<std::size_t> fill(out.start.begin(), out.start.end() - 1);
  for (std::size_t i = 0; i < n; ++i) out.rows[fill[group[i]]++] = i;
  return out;
}

// Keeps the rows whose `field` is in `wanted` (all when empty); a name matching no row is an error
// that lists the names the file has.
void keep_only(ResultsTable& table, const std::vector<std::string>& wanted, std::string ResultRow::*field,
               const std::string& option) {
  if (wanted.empty()) return;
  for (const std::string& w : wanted) {
    if (std::none_of(table.rows.begin(), table.rows.end(),
                     [&](const ResultRow& r) { return r.*field == w; })) {
      // The distinct names in file order, found in one pass, and the message lists only the first
      // few: a file with 200,000 categories gives a short line, at once.
      std::vector<std::string> names;
      std::unordered_set<std::string> seen;
      for (const ResultRow& r : table.rows)
        if (seen.insert(r.*field).second) names.push_back(r.*field);
      throw base::InputError(option + " is '" + w + "', but " + table.path + " has no such rows; it has " +
                             base::quoted_list(names));
    }
  }
  std::erase_if(table.rows, [&](const ResultRow& r) {
    return std::find(wanted.begin(), wanted.end(), r.*field) == wanted.end();
  });
}

}  // namespace

Comparison run(ResultsTable table, const CompareRequest& request, const base::Monitor& monitor,
               base::Team* team) {
  validate(request);
  keep_only(table, request.categories, &ResultRow::category, "categories");
  keep_only(table, request.inspections, &ResultRow::inspection, "inspections");
  Comparison c;
  c.request = request;
  c.table = std::move(table);
  const ResultsTable& t = c.table;

  // Every name a number; groups, in order of first appearance.
  const std::size_t n = t.rows.size();
  std::vector<std::uint64_t> force(n), inspection(n), category(n);
  {
    NameIds forces, inspections, categories;
    for (std::size_t i = 0; i < n; ++i) {
      force[i] = forces(t.rows[i].force);
      inspection[i] = inspections(t.rows[i].inspection);
      category[i] = categories(t.rows[i].category);
    }
  }
  const bool by_category = request.group_by == GroupBy::category;
  const Grouping groups =
      group_rows(n, [&](std::size_t i) { return Key(by_category ? 0 : inspection[i], category[i]); });
  const Grouping by_fi = group_rows(n, [&](std::size_t i) { return Key(force[i], inspection[i]); });
  const Grouping by_inspection = group_rows(n, [&](std::size_t i) { return Key(inspection[i], 0); });

  // Every job's blocks, for the progress reports: each group's ranks (and its predictive check,
  // with hierarchical shrinkage), each force's totals, each national figure.
  std::uint64_t blocks = (groups.size() + by_fi.size() + by_inspection.size()) * blocks_of(request.draws);
  for (std::size_t g = 0; g < groups.size(); ++g)
    if (shrinks_hierarchically(request, groups.members(g).size()))
      blocks += blocks_of(std::min(request.draws, max_ppc_replicates));
  Progress progress(monitor, request.threads, blocks, team);

  // The fits and per-force posteriors on every core, without progress reports (they are quick).
  const base::RunOptions pool(request.threads, base::Monitor{{}, monitor.cancel});
  std::vector<std::span<const std::size_t>> members;
  members.reserve(groups.size());
  for (std::size_t g = 0; g < groups.size(); ++g) members.push_back(groups.members(g));
  std::vector<std::optional<stats::HierarchicalFit>> fits = fit_groups(t, members, request, pool);
  c.groups.reserve(groups.size());
  for (std::size_t g = 0; g < groups.size(); ++g)
    c.groups.push_back(analyse_group(t, members[g], request, g, std::move(fits[g]), pool, progress));

  // Changes between consecutive inspections of each force and category, in name order.
  const Grouping by_fc = group_rows(n, [&](std::size_t i) { return Key(force[i], category[i]); });
  std::vector<std::size_t> rows;
  for (std::size_t key = 0; key < by_fc.size(); ++key) {
    const std::span<const std::size_t> fc = by_fc.members(key);
    if (fc.size() < 2) continue;
    rows.assign(fc.begin(), fc.end());
    std::stable_sort(rows.begin(), rows.end(), [&](std::size_t a, std::size_t b) {
      return t.rows[a].inspection < t.rows[b].inspection;
    });
    for (std::size_t k = 0; k + 1 < rows.size(); ++k) {
      const ResultRow& a = t.rows[rows[k]];
      const ResultRow& b = t.rows[rows[k + 1]];
      ChangeResult ch;
      ch.from = rows[k];
      ch.to = rows[k + 1];
      ch.difference = rate_of(b) - rate_of(a);
      ch.interval = stats::difference_interval(request.diff_method, b.incorrect, b.sampled, a.incorrect,
                                               a.sampled, request.confidence);
      ch.p = stats::fisher_exact_p(b.incorrect, b.sampled, a.incorrect, a.sampled);
      ch.verdict = ch.interval.lower > 0   ? Verdict::worse
                   : ch.interval.upper < 0 ? Verdict::better
                                           : Verdict::no_change;
      c.changes.push_back(ch);
    }
  }

  // Totals per force and inspection, and per inspection across forces.
  c.totals.reserve(by_fi.size());
  for (std::size_t k = 0; k < by_fi.size(); ++k) {
    TotalResult r;
    const std::span<const std::size_t> fi = by_fi.members(k);
    r.force = t.rows[fi.front()].force;
    r.inspection = t.rows[fi.front()].inspection;
    r.rows.assign(fi.begin(), fi.end());
    r.total = stratified_total(strata_of(t, r.rows), request.draws, {request.seed, k, 2}, request.confidence,
                               progress.next(request.draws));
    c.totals.push_back(std::move(r));
  }
  for (std::size_t k = 0; k < by_inspection.size(); ++k) {
    TotalResult r;
    const std::span<const std::size_t> in = by_inspection.members(k);
    r.inspection = t.rows[in.front()].inspection;
    r.rows.assign(in.begin(), in.end());
    r.total = stratified_total(strata_of(t, r.rows), request.draws, {request.seed, k, 3}, request.confidence,
                               progress.next(request.draws));
    c.national.push_back(std::move(r));
  }
  return c;
}

}  // namespace inspectsim::compare
