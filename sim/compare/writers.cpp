// Writers for `inspectsim compare`: text tables, CSV (one section per file) and JSON.
#include <algorithm>
#include <cmath>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "inspectsim/base/version.hpp"
#include "inspectsim/compare/writers.hpp"

#include "inspectsim/base/text.hpp"

namespace inspectsim::compare {

namespace {

using json = nlohmann::ordered_json;

json number(double v) { return std::isfinite(v) ? json(v) : json(nullptr); }

bool any_approximate(const Comparison& c, const std::vector<std::size_t>& rows) {
  for (std::size_t i : rows)
    if (c.table.rows[i].approximate()) return true;
  return false;
}

std::string count_text(const ResultRow& r) {
  return (r.approximate() ? "~" : "") + std::to_string(r.incorrect) + "/" + std::to_string(r.sampled);
}

std::string group_title(const GroupResult& g) {
  return g.inspection.empty() ? g.category + " (all inspections)" : g.inspection + " / " + g.category;
}

std::string diff_label(const CompareRequest& r) {
  return base::format_number(100 * r.confidence) + "% " + std::string(stats::diff_method_name(r.diff_method));
}

// ---------------------------------------------------------------------------------------------
// Text

// The group's rows, worst first by mean rank.
std::vector<std::size_t> worst_first(const GroupResult& g) {
  std::vector<std::size_t> order(g.rows.size());
  for (std::size_t k = 0; k < order.size(); ++k) order[k] = k;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return g.rows[a].rank.mean_rank < g.rows[b].rank.mean_rank;
  });
  return order;
}

// Each force's share wrong, interval, population interval and funnel flags.
std::string estimates_table(const Comparison& c, const GroupResult& g,
                            const std::vector<std::size_t>& order) {
  const CompareRequest& q = c.request;
  const ResultsTable& t = c.table;
  bool any_population = false;
  for (const RowResult& r : g.rows) any_population = any_population || r.population_interval.has_value();
  output::Table est;
  est.header = {"force", "wrong", "rate",
                base::format_number(100 * q.confidence) + "% " + std::string(stats::method_label(q.method))};
  est.align = {output::Align::left, output::Align::right, output::Align::right, output::Align::left};
  if (any_population) {
    est.header.push_back("wrong records in population");
    est.align.push_back(output::Align::left);
  }
  for (double l : q.levels) {
    est.header.push_back(base::level_text(l) + " funnel");
    est.align.push_back(output::Align::left);
  }
  for (std::size_t k : order) {
    const RowResult& r = g.rows[k];
    const ResultRow& row = t.rows[r.row];
    std::vector<std::string> cells{r.label, count_text(row), base::share_text(r.estimate),
                                   r.interval.defined
                                       ? base::share_range_text(r.interval.lower, r.interval.upper)
                                       : "- (" + r.interval.note + ")"};
    if (any_population)
      cells.push_back(r.population_interval ? std::to_string(r.population_interval->lower) + " to " +
                                                  std::to_string(r.population_interval->upper) + " of " +
                                                  std::to_string(*row.population)
                                            : "-");
    for (const FunnelPoint& f : r.funnel) cells.push_back(std::string(stats::funnel_flag_name(f.flag)));
    est.add_row(std::move(cells));
  }
  return output::render_text(est);
}

// How the group's funnel limits allow for overdispersion.
std::string funnel_note(const GroupResult& g) {
  std::string out;
  switch (g.funnel.kind) {
    case stats::Overdispersion::none:
      out = "Funnel limits: exact binomial, no allowance for overdispersion.\n";
      break;
    case stats::Overdispersion::multiplicative:
      out = "Funnel limits: multiplicative overdispersion phi = " + base::format_fixed(g.funnel.phi, 2) +
            " (winsorised z-scores); " +
            (g.funnel.widened ? "limits widened.\n" : "not above 1, so the exact binomial limits stand.\n");
      break;
    case stats::Overdispersion::additive:
      out = "Funnel limits: additive overdispersion tau^2 = " + base::format_fixed(g.funnel.tau2, 4) +
            " on the log-odds scale (DerSimonian-Laird); " +
            (g.funnel.widened ? "limits widened.\n" : "zero, so the exact binomial limits stand.\n");
      break;
  }
  return out;
}

// Shrunk estimates (where there are any) and rank summaries.
std::string ranks_table(const Comparison& c, const GroupResult& g, const std::vector<std::size_t>& order) {
  const CompareRequest& q = c.request;
  output::Table rk;
  rk.header = {"force"};
  rk.align = {output::Align::left};
  const bool shrunk = g.fit || g.hierarchical;
  if (shrunk) {
    rk.header.insert(rk.header.end(),
                     {"shrunk", base::format_number(100 * q.confidence) + "% interval", "pull"});
    rk.align.insert(rk.align.end(), {output::Align::right, output::Align::left, output::Align::right});
    for (double threshold : q.thresholds) {
      rk.header.push_back("P(>" + base::share_text(threshold) + ")");
      rk.align.push_back(output::Align::right);
    }
  }
  rk.header.insert(rk.header.end(), {"mean rank", "rank " + base::format_number(100 * q.confidence) + "%",
                                     "P(worst)", "P(worst 3)"});
  const bool simultaneous = q.rank_intervals == RankIntervals::simultaneous;
  if (simultaneous) rk.header.push_back("all at once " + base::format_number(100 * q.confidence) + "%");
  for (std::size_t k : order) {
    const RowResult& r = g.rows[k];
    const std::optional<double> p_worst = p_worst_shown(g, r);
    std::vector<std::string> cells{r.label};
    if (r.shrunk) {
      cells.insert(cells.end(), {base::share_text(r.shrunk->estimate),
                                 base::share_range_text(r.shrunk->lower, r.shrunk->upper),
                                 base::share_text(r.shrunk->weight)});
      for (const stats::Exceedance& e : r.shrunk->p_above)
        cells.push_back(base::format_fixed(e.probability, 3));
    }
    cells.insert(cells.end(), {base::format_fixed(r.rank.mean_rank, 1),
                               std::to_string(r.rank.lower) + "-" + std::to_string(r.rank.upper),
                               p_worst ? base::format_fixed(*p_worst, 3) : "-",
                               base::format_fixed(r.rank.p_worst_three, 3)});
    if (simultaneous)
      cells.push_back(r.simultaneous
                          ? std::to_string(r.simultaneous->lower) + "-" +
                                std::to_string(r.simultaneous->upper) + (r.worst_quarter ? " *" : "")
                          : "-");
    rk.add_row(std::move(cells));
  }
  return output::render_text(rk);
}

// What shrinkage was done (or why none) and where the ranks come from.
std::string shrinkage_note(const Comparison& c, const GroupResult& g) {
  const CompareRequest& q = c.request;
  std::string out;
  if (g.hierarchical) {
    const stats::HierarchicalFit& h = *g.hierarchical;
    out += "Hierarchical model (hyperprior " + stats::hyperprior_text(h.hyperprior) + "): typical rate " +
           base::share_text(h.typical_rate.estimate) + " (" +
           base::share_range_text(h.typical_rate.lower, h.typical_rate.upper) +
           "); spread between forces rho = 1/(M+1) " + base::format_fixed(h.spread.estimate, 4) + " (" +
           base::format_fixed(h.spread.lower, 4) + " to " + base::format_fixed(h.spread.upper, 4) +
           "), SD of the forces' rates " + base::share_text(h.between_sd) +
           ". Shrunk estimates are posterior means with (mu, M) integrated out; pull = E[M/(M+N)].\n";
    out += "Posterior predictive check of the spread between forces: p = " + base::format_fixed(*g.ppc_p, 3) +
           " (chi-square " + base::format_fixed(g.chi_square, 1) + ", " + std::to_string(g.ppc_replicates) +
           " replicates).";
    if (*g.ppc_p < 1 - q.confidence)
      out +=
          " The forces differ more than the model allows: the shrunk estimates and their intervals may "
          "understate how far some forces stand apart.";
    out += "\n";
  } else if (g.fit) {
    if (g.fit->no_spread)
      out += "Beta-binomial fit: no spread between forces beyond sampling noise; M reached its bound of " +
             base::format_number(stats::max_concentration) + " and every estimate is pulled to " +
             base::share_text(g.fit->mean) +
             ". Warning: these intervals treat the fitted mean and spread as known and ignore their "
             "uncertainty, so they are too narrow.\n";
    else
      out += "Beta-binomial fit: typical rate " + base::share_text(g.fit->mean) +
             ", spread between forces (SD) " + base::share_text(g.fit->spread) +
             ", prior weight M = " + base::format_fixed(g.fit->concentration, 1) +
             " records. Small samples move most: pull = M/(M+N) of the way to the typical rate.\n";
  } else {
    out += g.rows.size() < min_shrinkage_units
               ? "No shrinkage: fewer than " + std::to_string(min_shrinkage_units) +
                     " forces to estimate the spread between them.\n"
               : std::string("No shrinkage: with ") + (g.incorrect == 0 ? "no" : "only") +
                     " wrong records in every row the spread between forces cannot be estimated.\n";
  }
  out += "Rank 1 is the highest rate; ranks drawn from " +
         std::string(g.ranks_from == RankPosterior::hierarchical ? "the hierarchical model's joint"
                     : g.ranks_from == RankPosterior::shrunk     ? "the shrunk"
                                                                 : "Jeffreys Beta(X+1/2, N-X+1/2)") +
         " posteriors.\n";
  return out;
}

// What the simultaneous rank intervals are and how many forces they place in the worst quarter.
std::string simultaneous_note(const Comparison& c, const GroupResult& g) {
  const CompareRequest& q = c.request;
  if (q.rank_intervals != RankIntervals::simultaneous) return "";
  const std::string level = base::format_number(100 * q.confidence) + "%";
  if (g.rows.size() < 2) return "All at once: a single force has nothing to be ranked against.\n";
  const bool two = g.rows.size() == 2;
  std::string out =
      "All at once: rank intervals that hold for " +
      (two ? std::string("both") : "all " + std::to_string(g.rows.size())) + " forces together with " +
      level + " confidence, from Fisher's exact test of " +
      (two ? std::string("the pair") : "each of the " + std::to_string(g.pair_count) + " pairs") +
      ", Holm-adjusted (Mogstad, Romano, Shaikh and Wilhelm 2024).\n";
  std::string names;
  for (const RowResult& r : g.rows)
    if (r.worst_quarter) names += (names.empty() ? "" : ", ") + r.label;
  out += std::to_string(g.in_worst_quarter) + (g.in_worst_quarter == 1 ? " force" : " forces") +
         " can be placed in the worst quarter (ranks 1 to " + std::to_string(g.worst_quarter_ranks) + " of " +
         std::to_string(g.rows.size()) + ") with " + level + " confidence" +
         (names.empty() ? "." : " (marked *): " + names + ".") + "\n";
  return out;
}

// Every pair of forces with its difference, Fisher and Holm p-values.
std::string pairs_section(const Comparison& c, const GroupResult& g) {
  const CompareRequest& q = c.request;
  const ResultsTable& t = c.table;
  std::string out;
  if (q.pairs && !g.pairs.empty()) {
    output::Table pt;
    pt.header = {"force A", "force B", "A - B", diff_label(q), "Fisher p", "Holm p", "told apart"};
    pt.align = {output::Align::left,  output::Align::left,  output::Align::right, output::Align::left,
                output::Align::right, output::Align::right, output::Align::left};
    for (const PairResult& p : g.pairs) {
      const bool approx_pair = t.rows[g.rows[p.a].row].approximate() || t.rows[g.rows[p.b].row].approximate();
      pt.add_row({g.rows[p.a].label, g.rows[p.b].label,
                  (approx_pair ? "~" : "") + base::share_text(p.difference),
                  base::share_range_text(p.interval.lower, p.interval.upper), base::p_text(p.p),
                  base::p_text(p.p_holm), p.distinguishable ? "yes" : "no"});
    }
    out += "\n" + output::render_text(pt);
  }
  if (g.pairs_tested && g.pair_count > 0)
    out += std::to_string(g.distinguishable) + " of " + std::to_string(g.pair_count) +
           " pairs can be told apart (Holm-adjusted Fisher p < " + base::alpha_text(q.confidence) + ").\n";
  return out;
}

// Changes between inspections of the same force and category.
std::string changes_section(const Comparison& c) {
  const CompareRequest& q = c.request;
  const ResultsTable& t = c.table;
  std::string out;
  out += "\n== Changes between inspections (later minus earlier) ==\n";
  if (c.changes.empty()) {
    out += "No force appears in more than one inspection of the same category.\n";
  } else {
    output::Table ch;
    ch.header = {"force", "category", "from",        "to",       "earlier",
                 "later", "change",   diff_label(q), "Fisher p", "verdict"};
    ch.align = {output::Align::left,  output::Align::left,  output::Align::left,  output::Align::left,
                output::Align::right, output::Align::right, output::Align::right, output::Align::left,
                output::Align::right, output::Align::left};
    for (const ChangeResult& x : c.changes) {
      const ResultRow& a = t.rows[x.from];
      const ResultRow& b = t.rows[x.to];
      ch.add_row({a.force, a.category, a.inspection, b.inspection, count_text(a), count_text(b),
                  (x.difference > 0 ? "+" : "") + base::format_fixed(100 * x.difference, 1) + " pts",
                  base::share_range_text(x.interval.lower, x.interval.upper), base::p_text(x.p),
                  std::string(verdict_name(x.verdict))});
    }
    out += output::render_text(ch);
  }
  return out;
}

// Stratified totals across categories: per force and inspection, or (national) per inspection.
std::string totals_table(const Comparison& c, const std::vector<TotalResult>& rows, bool national) {
  const CompareRequest& q = c.request;

  const bool any_population =
      std::any_of(rows.begin(), rows.end(), [](const TotalResult& r) { return r.total.by_population; });
  output::Table tt;
  tt.header = {national ? "inspection" : "force",
               national ? "rows" : "inspection",
               "wrong",
               "weights",
               "share wrong",
               base::format_number(100 * q.confidence) + "% interval"};
  tt.align = {output::Align::left,  national ? output::Align::right : output::Align::left,
              output::Align::right, output::Align::left,
              output::Align::right, output::Align::left,
              output::Align::left};
  if (any_population) tt.header.push_back("wrong records (interval)");
  for (const TotalResult& r : rows) {
    const StratifiedTotal& s = r.total;
    const std::string mark = any_approximate(c, r.rows) ? "~" : "";
    tt.add_row({national ? r.inspection : r.force, national ? std::to_string(r.rows.size()) : r.inspection,
                mark + std::to_string(s.incorrect) + "/" + std::to_string(s.sampled),
                s.by_population ? "population" : "sample size", base::share_text(s.estimate),
                base::share_range_text(s.lower, s.upper)});
    if (!any_population) continue;
    tt.rows.back().push_back(s.wrong_estimate
                                 ? base::format_fixed(*s.wrong_estimate, 0) + " of " +
                                       std::to_string(*s.population) + " (" + std::to_string(*s.wrong_lower) +
                                       " to " + std::to_string(*s.wrong_upper) + ")"
                                 : "-");
  }
  return output::render_text(tt);
}

std::string render_text_report(const Comparison& c) {
  const CompareRequest& q = c.request;
  const ResultsTable& t = c.table;
  std::size_t approx = 0;
  for (const ResultRow& r : t.rows) approx += r.approximate() ? 1 : 0;
  std::string out;
  out += "inspectsim compare " + q.input_path + ": " + std::to_string(t.rows.size()) + " rows in " +
         std::to_string(c.groups.size()) + (c.groups.size() == 1 ? " group" : " groups") + " (by " +
         std::string(group_by_name(q.group_by)) + ")";
  if (approx > 0) out += ", " + std::to_string(approx) + " approximate (~)";
  out += "\n";
  std::string levels;
  for (double l : q.levels) levels += (levels.empty() ? "" : " and ") + base::level_text(l);
  out +=
      base::format_number(100 * q.confidence) + "% " + std::string(stats::method_label(q.method)) +
      " intervals; funnel limits at " + levels + " around each group's pooled rate; " +
      std::string(shrinkage_name(q.shrinkage)) + " shrinkage" +
      (q.shrinkage == Shrinkage::hierarchical ? " (hyperprior " + stats::hyperprior_text(q.hyperprior) + ")"
                                              : std::string()) +
      "; ranks from " + std::string(rank_posterior_name(rank_posterior_of(q))) + " posteriors, " +
      std::to_string(q.draws) + " draws, seed " + std::to_string(q.seed) + ".\n";

  for (const GroupResult& g : c.groups) {
    out += "\n== " + group_title(g) + ": " + std::to_string(g.rows.size()) +
           (g.rows.size() == 1 ? " force" : " forces") + ", " + std::to_string(g.incorrect) + " of " +
           std::to_string(g.sampled) + " wrong overall (" + base::share_text(g.funnel.target) + ") ==\n";
    const std::vector<std::size_t> order = worst_first(g);
    out += estimates_table(c, g, order);
    out += funnel_note(g);
    out += "\n" + ranks_table(c, g, order);
    out += shrinkage_note(c, g);
    out += simultaneous_note(c, g);
    out += pairs_section(c, g);
  }
  out += changes_section(c);
  out += "\n== Totals across categories, per force and inspection ==\n" + totals_table(c, c.totals, false);
  out += "\n== All forces together, per inspection ==\n" + totals_table(c, c.national, true);
  out +=
      "Categories are weighted by their population of records where every category has one, else by sample "
      "size; intervals from the stratified Jeffreys posterior.\n";
  if (approx > 0)
    out +=
        "~ approximate: counts derived from a published rate (effective sample size z^2 p(1-p)/h^2 from its "
        "95% half-width, or the stated sample size).\n";
  return out;
}

// ---------------------------------------------------------------------------------------------
// JSON

// As dump(2) writes it. File names from the command line may hold any bytes: invalid UTF-8
// becomes U+FFFD.
std::string dumped(const json& j) {
  return j.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

// An array of the top-level object, as dump(2) writes it, each element made by make(item),
// dumped and dropped in turn: a whole comparison as one document took 19 GB for a million rows.
// An element's dump is re-indented by four spaces, the depth of the top-level object's arrays'
// elements (JSON text breaks lines only between tokens: a string's line break is written \n).
template <class Items, class Make>
void append_array(std::string& out, const Items& items, Make make) {
  if (items.empty()) {
    out += "[]";
    return;
  }
  out += "[\n";
  bool first = true;
  for (const auto& item : items) {
    if (!first) out += ",\n";
    first = false;
    out += "    ";
    const std::string text = dumped(make(item));
    std::size_t from = 0;
    for (std::size_t nl; (nl = text.find('\n', from)) != std::string::npos; from = nl + 1) {
      out.append(text, from, nl + 1 - from);
      out += "    ";
    }
    out.append(text, from);
  }
  out += "\n  ]";
}

json published_json(const ResultRow& r) {
  if (!r.published) return nullptr;
  const PublishedRate& p = *r.published;
  json j;
  j["rate"] = p.rate;
  j["rate_of"] = p.of_correct ? "correct" : "incorrect";
  j["halfwidth"] = p.halfwidth ? json(*p.halfwidth) : json(nullptr);
  j["effective_n"] = number(p.effective_n);
  return j;
}

json row_json(const Comparison& c, const GroupResult& g, const RowResult& r) {
  const ResultRow& row = c.table.rows[r.row];
  json j;
  j["line"] = row.line;
  j["force"] = row.force;
  j["inspection"] = row.inspection;
  j["category"] = row.category;
  j["label"] = r.label;
  j["sampled"] = row.sampled;
  j["incorrect"] = row.incorrect;
  j["population"] = row.population ? json(*row.population) : json(nullptr);
  j["approximate"] = row.approximate();
  j["published"] = published_json(row);
  j["source"] = row.source.empty() ? json(nullptr) : json(row.source);
  // ordered_json looks a key up by a linear scan, so extra[name] = value for each of 100,000 extra
  // columns took quadratic time. The names are distinct (parse_results_csv refuses repeats), so
  // they are appended to the object's underlying vector directly.
  json extra = json::object();
  auto& members =
      static_cast<std::vector<std::pair<const std::string, json>>&>(extra.get_ref<json::object_t&>());
  members.reserve(std::min(c.table.extra_columns.size(), row.extra.size()));
  for (std::size_t k = 0; k < c.table.extra_columns.size() && k < row.extra.size(); ++k)
    members.emplace_back(c.table.extra_columns[k], row.extra[k]);
  j["extra"] = extra;
  j["estimate"] = r.estimate;
  j["lower"] = r.interval.defined ? number(r.interval.lower) : json(nullptr);
  j["upper"] = r.interval.defined ? number(r.interval.upper) : json(nullptr);
  j["note"] = r.interval.note.empty() ? json(nullptr) : json(r.interval.note);
  if (r.population_interval) {
    const auto m = static_cast<double>(*row.population);
    j["population_interval"] = {{"lower_count", r.population_interval->lower},
                                {"upper_count", r.population_interval->upper},
                                {"lower", static_cast<double>(r.population_interval->lower) / m},
                                {"upper", static_cast<double>(r.population_interval->upper) / m}};
  } else {
    j["population_interval"] = nullptr;
  }
  json funnel = json::array();
  for (const FunnelPoint& f : r.funnel)
    funnel.push_back({{"level", f.level},
                      {"lower", number(f.limits.lower)},
                      {"upper", number(f.limits.upper)},
                      {"flag", stats::funnel_flag_name(f.flag)}});
  j["funnel"] = funnel;
  if (r.shrunk) {
    json above = json::array();
    for (const stats::Exceedance& e : r.shrunk->p_above)
      above.push_back({{"threshold", e.threshold}, {"probability", number(e.probability)}});
    j["shrunk"] = {{"estimate", number(r.shrunk->estimate)},
                   {"lower", number(r.shrunk->lower)},
                   {"upper", number(r.shrunk->upper)},
                   {"pull", number(r.shrunk->weight)},
                   {"p_above", above}};
  } else
    j["shrunk"] = nullptr;
  const std::optional<double> p_worst = p_worst_shown(g, r);
  j["rank"] = {{"mean", r.rank.mean_rank},
               {"lower", r.rank.lower},
               {"upper", r.rank.upper},
               {"p_worst", p_worst ? json(*p_worst) : json(nullptr)},
               {"p_worst_three", r.rank.p_worst_three}};
  if (r.simultaneous)
    j["simultaneous_rank"] = {{"lower", r.simultaneous->lower},
                              {"upper", r.simultaneous->upper},
                              {"above", r.simultaneous->above},
                              {"below", r.simultaneous->below},
                              {"worst_quarter", r.worst_quarter}};
  else
    j["simultaneous_rank"] = nullptr;
  return j;
}

json total_json(const Comparison& c, const TotalResult& r) {
  const StratifiedTotal& s = r.total;
  json j;
  if (!r.force.empty()) j["force"] = r.force;
  j["inspection"] = r.inspection;
  json lines = json::array();
  for (std::size_t i : r.rows) lines.push_back(c.table.rows[i].line);
  j["lines"] = lines;
  j["approximate"] = any_approximate(c, r.rows);
  j["sampled"] = s.sampled;
  j["incorrect"] = s.incorrect;
  j["weights"] = s.by_population ? "population" : "sample size";
  j["estimate"] = number(s.estimate);
  j["lower"] = number(s.lower);
  j["upper"] = number(s.upper);
  j["population"] = s.population ? json(*s.population) : json(nullptr);
  j["wrong_estimate"] = s.wrong_estimate ? number(*s.wrong_estimate) : json(nullptr);
  j["wrong_lower"] = s.wrong_lower ? json(*s.wrong_lower) : json(nullptr);
  j["wrong_upper"] = s.wrong_upper ? json(*s.wrong_upper) : json(nullptr);
  return j;
}

std::string render_json(const Comparison& c) {
  const CompareRequest& q = c.request;
  json j;
  j["version"] = base::version();
  j["input"] = {{"path", q.input_path}, {"sha256", q.input_sha256}, {"rows", c.table.rows.size()}};
  j["seed"] = q.seed;
  j["draws"] = q.draws;
  json levels = json::array();
  for (double l : q.levels) levels.push_back(l);
  j["settings"] = {
      {"confidence", q.confidence},
      {"method", stats::method_name(q.method)},
      {"diff_method", stats::diff_method_name(q.diff_method)},
      {"levels", levels},
      {"overdispersion", stats::overdispersion_name(q.overdispersion)},
      {"group", group_by_name(q.group_by)},
      {"shrinkage", shrinkage_name(q.shrinkage)},
      {"hyperprior",
       q.shrinkage == Shrinkage::hierarchical ? json(stats::hyperprior_text(q.hyperprior)) : json(nullptr)},
      {"thresholds", q.thresholds},
      {"rank_posterior", rank_posterior_name(rank_posterior_of(q))},
      {"pairs", q.pairs},
      {"rank_intervals", rank_intervals_name(q.rank_intervals)}};
  auto group_json = [&](const GroupResult& g) {
    json gj;
    gj["inspection"] = g.inspection.empty() ? json(nullptr) : json(g.inspection);
    gj["category"] = g.category;
    gj["sampled"] = g.sampled;
    gj["incorrect"] = g.incorrect;
    gj["pooled_rate"] = number(g.funnel.target);
    gj["overdispersion"] = {
        {"kind", stats::overdispersion_name(g.funnel.kind)},
        {"phi",
         g.funnel.kind == stats::Overdispersion::multiplicative ? number(g.funnel.phi) : json(nullptr)},
        {"tau2", g.funnel.kind == stats::Overdispersion::additive ? number(g.funnel.tau2) : json(nullptr)},
        {"widened", g.funnel.widened}};
    auto summary = [](const stats::PosteriorSummary& p) {
      return json{{"estimate", number(p.estimate)}, {"lower", number(p.lower)}, {"upper", number(p.upper)}};
    };
    if (g.hierarchical) {
      const stats::HierarchicalFit& h = *g.hierarchical;
      gj["shrinkage"] = {
          {"kind", "hierarchical"},
          {"hyperprior", stats::hyperprior_text(h.hyperprior)},
          {"typical_rate", summary(h.typical_rate)},
          {"spread", summary(h.spread)},
          {"spread_measure", "rho = 1/(M+1)"},
          {"between_sd", number(h.between_sd)},
          {"ppc_p", number(*g.ppc_p)},
          {"ppc_replicates", g.ppc_replicates},
          {"chi_square", number(g.chi_square)},
          {"grid", {{"eta", h.grid_eta}, {"lambda", h.grid_lambda}, {"nodes", h.nodes.size()}}},
          {"accuracy", number(h.accuracy)}};
    } else if (g.fit) {
      const json none = nullptr;
      gj["shrinkage"] = {
          {"kind", "empirical"},
          {"hyperprior", nullptr},
          {"typical_rate", {{"estimate", number(g.fit->mean)}, {"lower", none}, {"upper", none}}},
          {"spread",
           {{"estimate", number(1 / (g.fit->concentration + 1))}, {"lower", none}, {"upper", none}}},
          {"spread_measure", "rho = 1/(M+1)"},
          {"between_sd", number(g.fit->spread)},
          {"ppc_p", nullptr},
          {"mean", number(g.fit->mean)},
          {"concentration", number(g.fit->concentration)},
          {"a", number(g.fit->a)},
          {"b", number(g.fit->b)},
          {"no_spread", g.fit->no_spread},
          {"warning", g.fit->no_spread ? json("M reached its bound: no spread beyond sampling noise; the "
                                              "intervals treat the fit as known and ignore its uncertainty")
                                       : json(nullptr)},
          {"log_likelihood", number(g.fit->log_likelihood)}};
    } else {
      gj["shrinkage"] = nullptr;
    }
    gj["ranks_from"] = rank_posterior_name(g.ranks_from);
    if (q.rank_intervals == RankIntervals::simultaneous) {
      json names = json::array();
      for (const RowResult& r : g.rows)
        if (r.worst_quarter) names.push_back(r.label);
      gj["rank_intervals"] = {{"kind", rank_intervals_name(q.rank_intervals)},
                              {"method", simultaneous_rank_method},
                              {"confidence", q.confidence},
                              {"pairs_tested", g.pair_count},
                              {"worst_quarter_ranks", g.worst_quarter_ranks},
                              {"in_worst_quarter", g.in_worst_quarter},
                              {"worst_quarter_forces", names}};
    } else {
      gj["rank_intervals"] = {{"kind", rank_intervals_name(q.rank_intervals)},
                              {"method", "posterior"},
                              {"confidence", q.confidence},
                              {"pairs_tested", nullptr},
                              {"worst_quarter_ranks", nullptr},
                              {"in_worst_quarter", nullptr},
                              {"worst_quarter_forces", nullptr}};
    }
    json rows = json::array();
    for (const RowResult& r : g.rows) rows.push_back(row_json(c, g, r));
    gj["rows"] = rows;
    if (q.pairs) {
      json pairs = json::array();
      for (const PairResult& p : g.pairs)
        pairs.push_back({{"a", g.rows[p.a].label},
                         {"b", g.rows[p.b].label},
                         {"approximate", c.table.rows[g.rows[p.a].row].approximate() ||
                                             c.table.rows[g.rows[p.b].row].approximate()},
                         {"difference", number(p.difference)},
                         {"lower", number(p.interval.lower)},
                         {"upper", number(p.interval.upper)},
                         {"p", number(p.p)},
                         {"p_holm", number(p.p_holm)},
                         {"distinguishable", p.distinguishable}});
      gj["pairs"] = pairs;
    } else {
      gj["pairs"] = nullptr;
    }
    gj["distinguishable_pairs"] = g.pairs_tested ? json(g.distinguishable) : json(nullptr);
    return gj;
  };
  auto change_json = [&](const ChangeResult& x) {
    const ResultRow& a = c.table.rows[x.from];
    const ResultRow& b = c.table.rows[x.to];
    return json{{"force", a.force},
                {"category", a.category},
                {"from", a.inspection},
                {"to", b.inspection},
                {"from_line", a.line},
                {"to_line", b.line},
                {"approximate", a.approximate() || b.approximate()},
                {"difference", number(x.difference)},
                {"lower", number(x.interval.lower)},
                {"upper", number(x.interval.upper)},
                {"p", number(x.p)},
                {"verdict", verdict_name(x.verdict)}};
  };
  // The head (everything before the groups) as one document; each group, change and total as its
  // own, written into the arrays that follow and then dropped.
  std::string out = dumped(j);
  out.resize(out.size() - 2);  // the head's closing "\n}"
  out += ",\n  \"groups\": ";
  append_array(out, c.groups, group_json);
  out += ",\n  \"changes\": ";
  append_array(out, c.changes, change_json);
  auto total = [&](const TotalResult& r) { return total_json(c, r); };
  out += ",\n  \"totals\": ";
  append_array(out, c.totals, total);
  out += ",\n  \"national\": ";
  append_array(out, c.national, total);
  out += "\n}\n";
  return out;
}

// ---------------------------------------------------------------------------------------------
// CSV

std::string opt_number(double v) { return std::isfinite(v) ? base::format_number(v) : ""; }

// A CSV section written a row at a time as output::render_csv writes a Table (the header, then each
// row), but without holding every row's cells: a million-row section's cells took gigabytes.
class CsvOut {
 public:
  explicit CsvOut(output::CsvCells cells) : cells_(cells) {}
  std::vector<std::string> header;  // complete before the first row

  void add_row(const std::vector<std::string>& row) {
    if (!started_) start();
    output::append_csv_row(text_, row, cells_);
  }
  std::string text() && {
    if (!started_) start();
    return std::move(text_);
  }

 private:
  void start() {
    started_ = true;
    output::append_csv_row(text_, header, cells_);
  }

  output::CsvCells cells_;
  std::string text_;
  bool started_ = false;
};

// One row per force: its counts, interval, funnel flags, shrinkage and ranks, then the extra columns.
void rows_csv(const Comparison& c, CsvOut& out) {
  const CompareRequest& q = c.request;
  const ResultsTable& t = c.table;
  out.header = {"group_inspection",
                "group_category",
                "line",
                "force",
                "inspection",
                "category",
                "sampled",
                "incorrect",
                "population",
                "approximate",
                "published_rate",
                "rate_of",
                "published_halfwidth",
                "source",
                "estimate",
                "method",
                "lower",
                "upper",
                "note",
                "population_lower_count",
                "population_upper_count"};
  for (double l : q.levels) {
    const std::string p = "funnel_" + base::format_number(l) + "_";
    out.header.insert(out.header.end(), {p + "lower", p + "upper", p + "flag"});
  }
  out.header.insert(out.header.end(), {"shrunk_estimate", "shrunk_lower", "shrunk_upper", "pull"});
  for (double th : q.thresholds) out.header.push_back("p_above_" + base::format_number(th));
  out.header.insert(
      out.header.end(),
      {"shrinkage", "typical_rate", "typical_rate_lower", "typical_rate_upper", "spread", "spread_lower",
       "spread_upper", "ppc_p", "mean_rank", "rank_lower", "rank_upper", "p_worst", "p_worst_three",
       "rank_intervals", "simultaneous_rank_lower", "simultaneous_rank_upper", "worst_quarter"});
  for (const std::string& e : t.extra_columns) out.header.push_back(e);
  for (const GroupResult& g : c.groups) {
    for (const RowResult& r : g.rows) {
      const ResultRow& row = t.rows[r.row];
      const std::optional<double> p_worst = p_worst_shown(g, r);  // empty in a group of one force
      const std::string p_worst_cell = p_worst ? opt_number(*p_worst) : "";
      std::vector<std::string> cells{
          g.inspection,
          g.category,
          std::to_string(row.line),
          row.force,
          row.inspection,
          row.category,
          std::to_string(row.sampled),
          std::to_string(row.incorrect),
          row.population ? std::to_string(*row.population) : "",
          row.approximate() ? "true" : "false",
          row.published ? base::format_number(row.published->rate) : "",
          row.published ? (row.published->of_correct ? "correct" : "incorrect") : "",
          row.published && row.published->halfwidth ? base::format_number(*row.published->halfwidth) : "",
          row.source,
          base::format_number(r.estimate),
          std::string(stats::method_name(q.method)),
          r.interval.defined ? opt_number(r.interval.lower) : "",
          r.interval.defined ? opt_number(r.interval.upper) : "",
          r.interval.note,
          r.population_interval ? std::to_string(r.population_interval->lower) : "",
          r.population_interval ? std::to_string(r.population_interval->upper) : ""};
      for (const FunnelPoint& f : r.funnel)
        cells.insert(cells.end(), {opt_number(f.limits.lower), opt_number(f.limits.upper),
                                   std::string(stats::funnel_flag_name(f.flag))});
      cells.insert(
          cells.end(),
          {r.shrunk ? opt_number(r.shrunk->estimate) : "", r.shrunk ? opt_number(r.shrunk->lower) : "",
           r.shrunk ? opt_number(r.shrunk->upper) : "", r.shrunk ? opt_number(r.shrunk->weight) : ""});
      for (std::size_t k = 0; k < q.thresholds.size(); ++k)
        cells.push_back(
            r.shrunk && k < r.shrunk->p_above.size() ? opt_number(r.shrunk->p_above[k].probability) : "");
      const stats::HierarchicalFit* h = g.hierarchical ? &*g.hierarchical : nullptr;
      cells.insert(cells.end(),
                   {h       ? "hierarchical"
                    : g.fit ? "empirical"
                            : "",
                    h       ? opt_number(h->typical_rate.estimate)
                    : g.fit ? opt_number(g.fit->mean)
                            : "",
                    h ? opt_number(h->typical_rate.lower) : "", h ? opt_number(h->typical_rate.upper) : "",
                    h       ? opt_number(h->spread.estimate)
                    : g.fit ? opt_number(1 / (g.fit->concentration + 1))
                            : "",
                    h ? opt_number(h->spread.lower) : "", h ? opt_number(h->spread.upper) : "",
                    g.ppc_p ? opt_number(*g.ppc_p) : "", opt_number(r.rank.mean_rank),
                    std::to_string(r.rank.lower), std::to_string(r.rank.upper), p_worst_cell,
                    opt_number(r.rank.p_worst_three), std::string(rank_intervals_name(q.rank_intervals)),
                    r.simultaneous ? std::to_string(r.simultaneous->lower) : "",
                    r.simultaneous ? std::to_string(r.simultaneous->upper) : "",
                    r.simultaneous ? (r.worst_quarter ? "true" : "false") : ""});
      for (std::size_t k = 0; k < t.extra_columns.size(); ++k)
        cells.push_back(k < row.extra.size() ? row.extra[k] : "");
      out.add_row(std::move(cells));
    }
  }
}

// One row per pair of forces in a group.
void pairs_csv(const Comparison& c, CsvOut& out) {
  const CompareRequest& q = c.request;
  const ResultsTable& t = c.table;
  out.header = {"group_inspection", "group_category", "a",     "b",        "approximate", "difference",
                "method",           "lower",          "upper", "fisher_p", "holm_p",      "distinguishable"};
  for (const GroupResult& g : c.groups)
    for (const PairResult& p : g.pairs)
      out.add_row(
          {g.inspection, g.category, g.rows[p.a].label, g.rows[p.b].label,
           t.rows[g.rows[p.a].row].approximate() || t.rows[g.rows[p.b].row].approximate() ? "true" : "false",
           opt_number(p.difference), std::string(stats::diff_method_name(q.diff_method)),
           opt_number(p.interval.lower), opt_number(p.interval.upper), opt_number(p.p), opt_number(p.p_holm),
           p.distinguishable ? "true" : "false"});
}

// One row per change between inspections.
void changes_csv(const Comparison& c, CsvOut& out) {
  const CompareRequest& q = c.request;
  const ResultsTable& t = c.table;
  out.header = {"force",        "category",     "from",       "to",          "from_incorrect",
                "from_sampled", "to_incorrect", "to_sampled", "approximate", "difference",
                "method",       "lower",        "upper",      "fisher_p",    "verdict"};
  for (const ChangeResult& x : c.changes) {
    const ResultRow& a = t.rows[x.from];
    const ResultRow& b = t.rows[x.to];
    out.add_row({a.force, a.category, a.inspection, b.inspection, std::to_string(a.incorrect),
                 std::to_string(a.sampled), std::to_string(b.incorrect), std::to_string(b.sampled),
                 a.approximate() || b.approximate() ? "true" : "false", opt_number(x.difference),
                 std::string(stats::diff_method_name(q.diff_method)), opt_number(x.interval.lower),
                 opt_number(x.interval.upper), opt_number(x.p), std::string(verdict_name(x.verdict))});
  }
}

// One row per force-and-inspection total, then one per national total.
void totals_csv(const Comparison& c, CsvOut& out) {
  out.header = {"scope",   "force",      "inspection",     "rows",        "approximate",
                "sampled", "incorrect",  "weights",        "estimate",    "lower",
                "upper",   "population", "wrong_estimate", "wrong_lower", "wrong_upper"};
  auto add = [&](const TotalResult& r, const char* scope) {
    const StratifiedTotal& s = r.total;
    out.add_row({scope, r.force, r.inspection, std::to_string(r.rows.size()),
                 any_approximate(c, r.rows) ? "true" : "false", std::to_string(s.sampled),
                 std::to_string(s.incorrect), s.by_population ? "population" : "sample size",
                 opt_number(s.estimate), opt_number(s.lower), opt_number(s.upper),
                 s.population ? std::to_string(*s.population) : "",
                 s.wrong_estimate ? opt_number(*s.wrong_estimate) : "",
                 s.wrong_lower ? std::to_string(*s.wrong_lower) : "",
                 s.wrong_upper ? std::to_string(*s.wrong_upper) : ""});
  };
  for (const TotalResult& r : c.totals) add(r, "force");
  for (const TotalResult& r : c.national) add(r, "national");
}

// One row per group.
void groups_csv(const Comparison& c, CsvOut& out) {
  const CompareRequest& q = c.request;
  // The JSON's group fields, flattened; a shrinkage or overdispersion field that does not apply
  // (no fit, another kind of overdispersion) is empty.
  out.header = {"group_inspection",
                "group_category",
                "rows",
                "sampled",
                "incorrect",
                "pooled_rate",
                "overdispersion",
                "phi",
                "tau2",
                "widened",
                "shrinkage_mean",
                "shrinkage_concentration",
                "shrinkage_a",
                "shrinkage_b",
                "shrinkage_spread",
                "shrinkage_no_spread",
                "shrinkage_log_likelihood",
                "ranks_from",
                "distinguishable_pairs",
                "rank_intervals",
                "worst_quarter_ranks",
                "in_worst_quarter",
                "shrinkage",
                "hyperprior",
                "typical_rate",
                "typical_rate_lower",
                "typical_rate_upper",
                "spread",
                "spread_lower",
                "spread_upper",
                "between_sd",
                "ppc_p",
                "ppc_replicates",
                "chi_square",
                "accuracy"};
  const bool simultaneous = q.rank_intervals == RankIntervals::simultaneous;
  for (const GroupResult& g : c.groups) {
    const stats::FunnelModel& f = g.funnel;
    const auto& fit = g.fit;
    const stats::HierarchicalFit* h = g.hierarchical ? &*g.hierarchical : nullptr;
    out.add_row(
        {g.inspection, g.category, std::to_string(g.rows.size()), std::to_string(g.sampled),
         std::to_string(g.incorrect), opt_number(f.target), std::string(stats::overdispersion_name(f.kind)),
         f.kind == stats::Overdispersion::multiplicative ? opt_number(f.phi) : "",
         f.kind == stats::Overdispersion::additive ? opt_number(f.tau2) : "", f.widened ? "true" : "false",
         fit ? opt_number(fit->mean) : "", fit ? opt_number(fit->concentration) : "",
         fit ? opt_number(fit->a) : "", fit ? opt_number(fit->b) : "", fit ? opt_number(fit->spread) : "",
         fit ? (fit->no_spread ? "true" : "false") : "", fit ? opt_number(fit->log_likelihood) : "",
         std::string(rank_posterior_name(g.ranks_from)),
         g.pairs_tested ? std::to_string(g.distinguishable) : "",
         std::string(rank_intervals_name(q.rank_intervals)),
         simultaneous ? std::to_string(g.worst_quarter_ranks) : "",
         simultaneous ? std::to_string(g.in_worst_quarter) : "",
         // The shrinkage of either kind as the JSON's group `shrinkage` has it: the empirical fit's
         // typical rate and spread rho = 1/(M+1) have no interval.
         h     ? "hierarchical"
         : fit ? "empirical"
               : "",
         h ? stats::hyperprior_text(h->hyperprior) : "",
         h     ? opt_number(h->typical_rate.estimate)
         : fit ? opt_number(fit->mean)
               : "",
         h ? opt_number(h->typical_rate.lower) : "", h ? opt_number(h->typical_rate.upper) : "",
         h     ? opt_number(h->spread.estimate)
         : fit ? opt_number(1 / (fit->concentration + 1))
               : "",
         h ? opt_number(h->spread.lower) : "", h ? opt_number(h->spread.upper) : "",
         h     ? opt_number(h->between_sd)
         : fit ? opt_number(fit->spread)
               : "",
         h && g.ppc_p ? opt_number(*g.ppc_p) : "", h ? std::to_string(g.ppc_replicates) : "",
         h ? opt_number(g.chi_square) : "", h ? opt_number(h->accuracy) : ""});
  }
}

std::string render_csv_section(const Comparison& c, CsvSection section, output::CsvCells text_cells) {
  CsvOut out(text_cells);
  switch (section) {
    case CsvSection::rows: rows_csv(c, out); break;
    case CsvSection::pairs: pairs_csv(c, out); break;
    case CsvSection::changes: changes_csv(c, out); break;
    case CsvSection::totals: totals_csv(c, out); break;
    case CsvSection::groups: groups_csv(c, out); break;
  }
  return std::move(out).text();
}

}  // namespace

std::string_view csv_section_name(CsvSection s) noexcept { return base::name_of(s); }

CsvSection parse_csv_section(std::string_view name) {
  return base::parse_name<CsvSection>(base::field("csv_section"), name);
}

std::string render_comparison(const Comparison& c, output::Format format, CsvSection section,
                              output::CsvCells text_cells) {
  const auto csv = [section, text_cells](const Comparison& v) {
    return render_csv_section(v, section, text_cells);
  };
  return output::render<Comparison>(c, format, {render_text_report, csv, render_json});
}

}  // namespace inspectsim::compare
