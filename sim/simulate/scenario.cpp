#include "inspectsim/simulate/scenario.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <deque>
#include <filesystem>
#include <map>
#include <optional>
#include <sstream>
#include <unordered_map>
#include <utility>

#include <toml++/toml.h>

#include "inspectsim/base/csv.hpp"
#include "inspectsim/base/error.hpp"
#include "inspectsim/base/io.hpp"
#include "inspectsim/base/names.hpp"
#include "inspectsim/base/version.hpp"
#include "inspectsim/output/table.hpp"
#include "inspectsim/stats/difference.hpp"

namespace inspectsim::simulate {

namespace {

using toml::node;
using toml::source_region;
using toml::table;

// ---- Collecting problems -----------------------------------------------------------------------

// Where a problem found in a [[cells_from]] row is reported: the CSV's line, and the column the
// value came from (or, for a value taken from the table's defaults, the key with a note saying so).
struct RowPlace {
  std::string file;      // the CSV as the user named it (relative to the scenario's directory)
  std::size_t line = 0;  // the row's line in the CSV
  std::string column;    // the column; empty: name the problem by its key (csv_column maps it)
  std::string note;      // after the column, e.g. " (from cells_from[1].defaults)"
  source_region anchor;  // the [[cells_from]] table, which orders its rows' problems in the scenario
};

class Problems {
 public:
  explicit Problems(std::string path) : path_(std::move(path)) {}

  void add(const source_region& where, const std::string& key, const std::string& problem) {
    add_raw(where, key + ": " + problem);
  }
  // "path:line:column: text" (syntax errors carry toml++'s own description, not a key).
  void add_raw(const source_region& where, const std::string& text) {
    // An empty document's root has no position; point at its start.
    const std::uint32_t line = std::max<std::uint32_t>(where.begin.line, 1);
    const std::uint32_t column = std::max<std::uint32_t>(where.begin.column, 1);
    items_.push_back({line, column, 0, items_.size(),
                      path_ + ":" + std::to_string(line) + ":" + std::to_string(column) + ": " + text});
  }
  // A problem about node `n` under `key`: at its place in the scenario, or at its row of a
  // [[cells_from]] CSV when it was made from one ("file:line: column: problem").
  void add(const node& n, const std::string& key, const std::string& problem) {
    const auto it = rows_.find(&n);
    if (it == rows_.end()) return add(n.source(), key, problem);
    const RowPlace& p = it->second;
    const std::string name = p.column.empty() ? csv_column(key) : p.column;
    items_.push_back({std::max<std::uint32_t>(p.anchor.begin.line, 1),
                      std::max<std::uint32_t>(p.anchor.begin.column, 1), p.line, items_.size(),
                      p.file + ":" + std::to_string(p.line) + ": " + name + p.note + ": " + problem});
  }
  // Records that `n` (and, with `deep`, every node inside it) was made from a CSV row.
  void place(const node& n, RowPlace p, bool deep = false) {
    if (deep) {
      if (const auto* t = n.as_table())
        for (auto&& [k, v] : *t) place(v, p, true);
      if (const auto* a = n.as_array())
        for (const node& v : *a) place(v, p, true);
    }
    rows_.insert_or_assign(&n, std::move(p));
  }
  // A message that names its own place in a [[cells_from]] CSV ("file:line: ..."), ordered at
  // the table `anchor` and the CSV's line `row`.
  void add_text(const source_region& anchor, std::size_t row, std::string text) {
    items_.push_back({std::max<std::uint32_t>(anchor.begin.line, 1),
                      std::max<std::uint32_t>(anchor.begin.column, 1), row, items_.size(), std::move(text)});
  }
  bool empty() const { return items_.empty(); }
  std::size_t size() const { return items_.size(); }

  // Every problem, in the order they appear in the file (a CSV's rows at its [[cells_from]]).
  [[noreturn]] void raise() {
    std::stable_sort(items_.begin(), items_.end(), [](const Item& a, const Item& b) {
      return std::tie(a.line, a.column, a.row, a.order) < std::tie(b.line, b.column, b.row, b.order);
    });
    std::vector<std::string> out;
    for (auto& item : items_) out.push_back(std::move(item.text));
    throw base::InputErrors(std::move(out));
  }

  // A cell key as the CSV spells it: clusters.count is the column clusters_count, and so on.
  static std::string csv_column(const std::string& key) {
    static const std::map<std::string, std::string> columns = {
        {"clusters", "clusters_count"},           {"clusters.count", "clusters_count"},
        {"clusters.icc", "clusters_icc"},         {"inspector", "sensitivity"},
        {"inspector.sensitivity", "sensitivity"}, {"inspector.specificity", "specificity"},
        {"selection", "selection_odds"},          {"selection.odds", "selection_odds"}};
    const auto it = columns.find(key);
    return it == columns.end() ? key : it->second;
  }

 private:
  struct Item {
    std::uint32_t line;
    std::uint32_t column;
    std::size_t row;  // the CSV line, for problems in a [[cells_from]] file; else 0
    std::size_t order;
    std::string text;
  };
  std::string path_;
  std::vector<Item> items_;
  std::unordered_map<const node*, RowPlace> rows_;
};

std::string join_key(const std::string& prefix, std::string_view key) {
  return prefix.empty() ? std::string(key) : prefix + "." + std::string(key);
}
std::string index_key(const std::string& key, std::size_t index) {  // counted from 1
  return key + "[" + std::to_string(index + 1) + "]";
}

// A value as the user wrote it, for "is X, but must be Y".
std::string describe(const node& n) {
  switch (n.type()) {
    case toml::node_type::string: return "'" + std::string(n.as_string()->get()) + "'";
    case toml::node_type::integer: return std::to_string(n.as_integer()->get());
    case toml::node_type::floating_point: {
      const double v = n.as_floating_point()->get();
      if (std::isnan(v)) return "nan";
      if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
      std::string s = base::format_number(v);
      if (s.find_first_of(".e") == std::string::npos) s += ".0";  // 17.0 is not the integer 17
      return s;
    }
    case toml::node_type::boolean: return n.as_boolean()->get() ? "true" : "false";
    case toml::node_type::array: return n.as_array()->empty() ? "an empty list" : "a list";
    case toml::node_type::table: return "a table";
    case toml::node_type::date: return "a date";
    case toml::node_type::time: return "a time";
    case toml::node_type::date_time: return "a date-time";
    default: return "a value";
  }
}

std::string join_names(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

// ---- Reading typed values, reporting what is wrong ---------------------------------------------

class Reader {
 public:
  explicit Reader(Problems& problems) : problems_(problems) {}

  void problem(const node& n, const std::string& key, const std::string& text) {
    problems_.add(n, key, text);
  }
  void wrong(const node& n, const std::string& key, const std::string& expected) {
    problem(n, key, "is " + describe(n) + ", but must be " + expected);
  }
  void missing(const table& t, const std::string& key, const std::string& what) {
    problems_.add(t, key, "missing; " + what);
  }

  // Reports keys of `t` not in `allowed`, with the likeliest intended one.
  void check_keys(const table& t, const std::string& prefix, const std::vector<std::string>& allowed) {
    for (auto&& [k, v] : t) {
      const std::string name(k.str());
      if (std::find(allowed.begin(), allowed.end(), name) != allowed.end()) continue;
      const std::string guess = base::closest_name(name, allowed);
      problems_.add(k.source(), join_key(prefix, name),
                    guess.empty() ? "unknown key; allowed: " + join_names(allowed)
                                  : "unknown key; did you mean '" + guess + "'?");
    }
  }

  std::optional<double> number(const node& n, const std::string& key) {
    double v = 0;
    if (const auto* i = n.as_integer())
      v = static_cast<double>(i->get());
    else if (const auto* f = n.as_floating_point())
      v = f->get();
    else {
      wrong(n, key, "a number");
      return std::nullopt;
    }
    if (!std::isfinite(v)) {
      wrong(n, key, "a finite number");
      return std::nullopt;
    }
    return v;
  }

  std::optional<std::int64_t> integer(const node& n, const std::string& key) {
    if (const auto* i = n.as_integer()) return i->get();
    wrong(n, key, "a whole number");
    return std::nullopt;
  }

  std::optional<std::string> string(const node& n, const std::string& key) {
    if (const auto* s = n.as_string()) return s->get();
    wrong(n, key, "a string");
    return std::nullopt;
  }

  // A number in [0, 1].
  std::optional<double> rate(const node& n, const std::string& key) {
    const auto v = number(n, key);
    if (v && !(*v >= 0 && *v <= 1)) {
      wrong(n, key, "from 0 to 1");
      return std::nullopt;
    }
    return v;
  }

  // A whole number >= min (and <= max).
  std::optional<std::int64_t> count(const node& n, const std::string& key, std::int64_t min,
                                    std::int64_t max = INT64_MAX) {
    const auto v = integer(n, key);
    if (!v) return v;
    if (*v < min) {
      wrong(n, key, ">= " + std::to_string(min));
      return std::nullopt;
    }
    if (*v > max) {
      wrong(n, key, "<= " + std::to_string(max));
      return std::nullopt;
    }
    return v;
  }

  // A number > 0.
  std::optional<double> positive(const node& n, const std::string& key) {
    const auto v = number(n, key);
    if (v && !(*v > 0)) {
      wrong(n, key, "> 0");
      return std::nullopt;
    }
    return v;
  }

  const table* as_table(const node& n, const std::string& key, const std::string& expected) {
    if (const auto* t = n.as_table()) return t;
    wrong(n, key, expected);
    return nullptr;
  }

  // A table of named parts such as clusters = { count = 3, icc = 0.1 }, with its keys checked.
  const table* sub_table(const node& n, const std::string& key, const std::string& expected,
                         const std::vector<std::string>& keys) {
    const table* t = as_table(n, key, expected);
    if (t) check_keys(*t, key, keys);
    return t;
  }

 private:
  Problems& problems_;
};

// ---- The pieces of a scenario ------------------------------------------------------------------

// Grade bands, ascending by upper bound; every band but the last has one. An empty list means no
// grading (in a cell: switch off the top-level grades).
std::optional<std::vector<Grade>> read_grades(Reader& r, const node& n, const std::string& key) {
  const auto* list = n.as_array();
  if (!list) {
    r.wrong(n, key, "a list of bands like { name = \"good\", upper = 0.05 }");
    return std::nullopt;
  }
  std::vector<Grade> grades;
  bool ok = true;
  std::optional<double> previous;  // the last band's upper bound seen
  for (std::size_t i = 0; i < list->size(); ++i) {
    const node& item = *list->get(i);
    const std::string k = index_key(key, i);
    const table* band =
        r.sub_table(item, k, "a table like { name = \"good\", upper = 0.05 }", {"name", "upper"});
    if (!band) {
      ok = false;
      continue;
    }
    Grade g;
    if (const node* name = band->get("name")) {
      const auto s = r.string(*name, k + ".name");
      if (s && s->empty()) r.wrong(*name, k + ".name", "a non-empty string");
      if (s && std::any_of(grades.begin(), grades.end(), [&](const Grade& o) { return o.name == *s; }))
        r.problem(*name, k + ".name", "is '" + *s + "', which names an earlier band too");
      if (s) g.name = *s;
      ok = ok && s && !s->empty();
    } else {
      r.missing(*band, k + ".name", "every band needs a name");
      ok = false;
    }
    const bool last = i + 1 == list->size();
    if (const node* upper = band->get("upper")) {
      const auto u = r.rate(*upper, k + ".upper");
      if (u && last) {
        r.wrong(*upper, k + ".upper",
                "absent: the last band has no upper bound (it takes every share above)");
        ok = false;
      } else if (u && previous && !(*u > *previous)) {
        r.wrong(*upper, k + ".upper",
                "> the band before's upper (" + base::format_number(*previous) + "): bands ascend");
        ok = false;
      }
      if (u) previous = *u;
      ok = ok && u;
      g.upper = u;
    } else if (!last) {
      r.missing(*band, k + ".upper", "every band but the last needs an upper bound");
      ok = false;
    }
    grades.push_back(std::move(g));
  }
  if (!ok) return std::nullopt;
  return grades;
}

// Named band sets (the top-level [grade_sets] table), which a cell may name: grades = "strict".
// The name "none" is kept for no grading (what grades = [] says in a [[cell]]).
using GradeSets = std::map<std::string, std::vector<Grade>>;
constexpr std::string_view no_grades = "none";

std::optional<std::vector<Grade>> named_grades(Reader& r, const node& n, const std::string& key,
                                               const GradeSets& sets) {
  const std::string name(n.as_string()->get());
  if (name == no_grades) return std::vector<Grade>{};
  if (const auto it = sets.find(name); it != sets.end()) return it->second;
  std::vector<std::string> known{std::string(no_grades)};
  for (const auto& [k, v] : sets) known.push_back(k);
  const std::string guess = base::closest_name(name, known);
  r.problem(n, key,
            "is '" + name + "', which names no band set (the [grade_sets] table has: " + join_names(known) +
                ")" + (guess.empty() ? std::string() : "; did you mean '" + guess + "'?"));
  return std::nullopt;
}

// [grade_sets]: name = [bands], each a list as grades takes.
GradeSets read_grade_sets(Reader& r, const node& n) {
  GradeSets sets;
  const table* t = r.as_table(
      n, "grade_sets",
      "a table of named band lists, e.g. strict = [{ name = \"good\", upper = 0.05 }, { name = \"poor\" }]");
  if (!t) return sets;
  for (auto&& [k, v] : *t) {
    const std::string name(k.str());
    const std::string key = "grade_sets." + name;
    if (name == no_grades) {
      r.problem(v, key, "uses the name 'none', which means no grading; choose another name");
      continue;
    }
    if (auto g = read_grades(r, v, key)) sets.emplace(name, std::move(*g));
  }
  return sets;
}

// true_rate: a number, a list of numbers, { from, to, steps } or { beta = [a, b] }.
std::vector<Truth> read_true_rate(Reader& r, const node& n, const std::string& key) {
  std::vector<Truth> out;
  auto fixed = [](double rate) {
    Truth t;
    t.rate = rate;
    return t;
  };
  if (n.is_number()) {
    if (const auto v = r.rate(n, key)) out.push_back(fixed(*v));
    return out;
  }
  if (const auto* list = n.as_array()) {
    if (list->empty()) r.wrong(n, key, "a rate from 0 to 1 or a non-empty list of rates");
    bool ok = true;
    for (std::size_t i = 0; i < list->size(); ++i) {
      const auto v = r.rate(*list->get(i), index_key(key, i));
      if (v)
        out.push_back(fixed(*v));
      else
        ok = false;
    }
    if (!ok) out.clear();
    return out;
  }
  const table* t =
      r.sub_table(n, key, "a rate from 0 to 1, a list of rates, { from, to, steps } or { beta = [a, b] }",
                  {"from", "to", "steps", "beta"});
  if (!t) return out;
  if (const node* beta = t->get("beta")) {
    if (t->contains("from") || t->contains("to") || t->contains("steps")) {
      r.problem(n, key, "has beta and from/to/steps; give either beta = [a, b] or from, to and steps");
      return out;
    }
    const auto* ab = beta->as_array();
    if (!ab || ab->size() != 2) {
      r.wrong(*beta, key + ".beta", "a list of two numbers [a, b], both > 0");
      return out;
    }
    const auto a = r.positive(*ab->get(0), key + ".beta[1]");
    const auto b = r.positive(*ab->get(1), key + ".beta[2]");
    if (a && b) {
      Truth truth;
      truth.kind = Truth::Kind::beta;
      truth.a = *a;
      truth.b = *b;
      out.push_back(truth);
    }
    return out;
  }
  std::optional<double> from, to;
  std::optional<std::int64_t> steps;
  for (const char* part : {"from", "to", "steps"}) {
    const node* p = t->get(part);
    if (!p) {
      r.missing(*t, key + "." + part, "a sweep needs from, to and steps");
      continue;
    }
    if (std::string_view(part) == "steps")
      steps = r.count(*p, key + ".steps", 1, max_sweep_steps);
    else
      (std::string_view(part) == "from" ? from : to) = r.rate(*p, key + "." + part);
  }
  if (from && to && *from > *to) {
    r.wrong(*t->get("from"), key + ".from", "<= to (" + base::format_number(*to) + ")");
    return out;
  }
  if (!from || !to || !steps) return out;
  // steps evenly spaced rates from `from` to `to` inclusive; one step gives `from` alone.
  for (std::int64_t i = 0; i < *steps; ++i) {
    const double share = *steps == 1 ? 0.0 : static_cast<double>(i) / static_cast<double>(*steps - 1);
    out.push_back(fixed(i + 1 == *steps && *steps > 1 ? *to : *from + (*to - *from) * share));
  }
  return out;
}

// A sample size with where it was written, for checks against population and clusters.
struct SampleValue {
  std::int64_t n = 0;
  const node* where = nullptr;
  std::string key;
};

std::vector<SampleValue> read_sample(Reader& r, const node& n, const std::string& key) {
  std::vector<SampleValue> out;
  if (const auto* list = n.as_array()) {
    if (list->empty()) r.wrong(n, key, "a whole number >= 1 or a non-empty list of them");
    bool ok = true;
    for (std::size_t i = 0; i < list->size(); ++i) {
      const std::string k = index_key(key, i);
      const auto v = r.count(*list->get(i), k, 1, max_simulated_sample);
      if (v)
        out.push_back({*v, list->get(i), k});
      else
        ok = false;
    }
    if (!ok) out.clear();
    return out;
  }
  if (!n.is_integer()) {
    r.wrong(n, key, "a whole number >= 1 or a list of them");
    return out;
  }
  if (const auto v = r.count(n, key, 1, max_simulated_sample)) out.push_back({*v, &n, key});
  return out;
}

// clusters = { count, icc }: both required; count <= every sample size.
std::optional<Clusters> read_clusters(Reader& r, const node& n, const std::string& k,
                                      const std::vector<SampleValue>& samples) {
  const table* t = r.sub_table(n, k, "a table like { count = 3, icc = 0.1 }", {"count", "icc"});
  if (!t) return std::nullopt;
  const node* count = t->get("count");
  const node* icc = t->get("icc");
  if (!count) r.missing(*t, k + ".count", "the number of units the sample is spread over");
  if (!icc) r.missing(*t, k + ".icc", "the intra-class correlation, >= 0 and < 1");
  Clusters out;
  bool ok = count && icc;
  if (count) {
    const auto c = r.count(*count, k + ".count", 1);
    if (c) out.count = *c;
    ok = ok && c;
  }
  if (icc) {
    const auto rho = r.number(*icc, k + ".icc");
    if (rho && !(*rho >= 0 && *rho < 1)) r.wrong(*icc, k + ".icc", ">= 0 and < 1");
    if (rho) out.icc = *rho;
    ok = ok && rho && *rho >= 0 && *rho < 1;
  }
  if (!ok) return std::nullopt;
  for (const auto& s : samples)
    if (out.count > s.n) {
      r.wrong(*count, k + ".count", "<= sample (" + std::to_string(s.n) + ")");
      return std::nullopt;
    }
  return out;
}

// inspector = { sensitivity, specificity }: each a rate, 1 when absent.
std::optional<Inspector> read_inspector(Reader& r, const node& n, const std::string& k) {
  const table* t = r.sub_table(n, k, "a table like { sensitivity = 0.9, specificity = 0.98 }",
                               {"sensitivity", "specificity"});
  if (!t) return std::nullopt;
  Inspector ins;
  bool ok = true;
  for (auto [part, target] :
       {std::pair{"sensitivity", &ins.sensitivity}, std::pair{"specificity", &ins.specificity}})
    if (const node* p = t->get(part)) {
      const auto v = r.rate(*p, k + "." + part);
      if (v) *target = *v;
      ok = ok && v;
    }
  if (!ok) return std::nullopt;
  return ins;
}

// selection = { odds }: odds > 0.
std::optional<double> read_selection(Reader& r, const node& n, const std::string& k) {
  const table* t = r.sub_table(n, k, "a table like { odds = 2.0 }", {"odds"});
  if (!t) return std::nullopt;
  if (const node* odds = t->get("odds")) return r.positive(*odds, k + ".odds");
  r.missing(*t, k + ".odds", "how many times likelier a wrong record is to be chosen than a correct one");
  return std::nullopt;
}

// A [[cell]] table before expansion.
struct Cell {
  std::string force;
  std::string category;
  std::vector<Truth> truths;
  std::optional<std::int64_t> population;
  std::vector<SampleValue> samples;
  std::optional<Clusters> clusters;
  std::optional<Inspector> inspector;
  std::optional<double> selection_odds;
  std::optional<std::vector<Grade>> grades;
  const table* source = nullptr;
  std::string label;  // how messages name the cell: cell[3], or forces.csv line 12
  bool ok = true;
};

const std::vector<std::string> cell_keys = {"force",    "category",  "population", "true_rate", "sample",
                                            "clusters", "inspector", "selection",  "grades"};

Cell read_cell(Reader& r, const table& t, const std::string& key, const GradeSets& sets) {
  Cell c;
  c.source = &t;
  c.label = key;
  r.check_keys(t, key, cell_keys);
  const std::string dot = key.empty() ? std::string() : key + ".";
  auto required = [&](const char* name, const std::string& what) -> const node* {
    const node* n = t.get(name);
    if (!n) {
      r.missing(t, dot + name, what);
      c.ok = false;
    }
    return n;
  };
  if (const node* n = required("force", "the force's name, e.g. force = \"Hampshire\"")) {
    const auto s = r.string(*n, dot + "force");
    if (s) c.force = *s;
    c.ok = c.ok && s;
  }
  if (const node* n = required("category", "the crime category, e.g. category = \"rape\"")) {
    const auto s = r.string(*n, dot + "category");
    if (s) c.category = *s;
    c.ok = c.ok && s;
  }
  if (const node* n = t.get("population")) {
    c.population = r.count(*n, dot + "population", 1, stats::max_population);
    c.ok = c.ok && c.population;
  }
  if (const node* n =
          required("true_rate", "the share of wrong records: a rate, a list, a sweep or a beta")) {
    c.truths = read_true_rate(r, *n, dot + "true_rate");
    c.ok = c.ok && !c.truths.empty();
  }
  if (const node* n = required("sample", "the number of records the inspectors review")) {
    c.samples = read_sample(r, *n, dot + "sample");
    c.ok = c.ok && !c.samples.empty();
  }
  if (const node* n = t.get("clusters")) {
    c.clusters = read_clusters(r, *n, dot + "clusters", c.samples);
    if (c.clusters && t.contains("population")) {
      r.problem(
          *n, dot + "clusters",
          "needs an unlimited population (clustered samples are drawn with replacement); omit population");
      c.clusters.reset();
    }
    c.ok = c.ok && c.clusters;
  }
  if (const node* n = t.get("inspector")) {
    c.inspector = read_inspector(r, *n, dot + "inspector");
    c.ok = c.ok && c.inspector;
  }
  if (const node* n = t.get("selection")) {
    c.selection_odds = read_selection(r, *n, dot + "selection");
    if (c.selection_odds && !t.contains("population")) {
      r.problem(*n, dot + "selection", "needs population: targeted selection draws from a finite population");
      c.selection_odds.reset();
    }
    c.ok = c.ok && c.selection_odds;
  }
  if (const node* n = t.get("grades")) {
    c.grades =
        n->is_string() ? named_grades(r, *n, dot + "grades", sets) : read_grades(r, *n, dot + "grades");
    c.ok = c.ok && c.grades;
  }
  if (c.population)
    for (const auto& s : c.samples)
      if (s.n > *c.population) {
        r.wrong(*s.where, s.key, "<= population (" + std::to_string(*c.population) + ")");
        c.ok = false;
      }
  return c;
}

std::string cell_name(const std::string& force, const std::string& category) {
  return force + "/" + category;
}

const std::vector<std::string> top_keys = {"title",      "seed",       "replicates", "confidence",
                                           "methods",    "grades",     "grade_sets", "cell",
                                           "cells_from", "comparison", "league"};

std::vector<std::string> method_names() {
  std::vector<std::string> out;
  for (stats::Method m : stats::all_methods()) out.emplace_back(stats::method_name(m));
  return out;
}

std::vector<stats::Method> read_methods(Reader& r, const node& n, bool& ok) {
  std::vector<stats::Method> out;
  const auto* list = n.as_array();
  if (!list || list->empty()) {
    r.wrong(n, "methods", "a non-empty list of interval methods, e.g. [\"wilson\", \"clopper-pearson\"]");
    ok = false;
    return out;
  }
  const std::vector<std::string> names = method_names();
  for (std::size_t i = 0; i < list->size(); ++i) {
    const std::string k = index_key("methods", i);
    const auto s = r.string(*list->get(i), k);
    if (!s) {
      ok = false;
      continue;
    }
    if (*s == "all" && list->size() == 1) return {stats::all_methods().begin(), stats::all_methods().end()};
    const auto it = std::find(names.begin(), names.end(), *s);
    if (it == names.end()) {
      const std::string guess = base::closest_name(*s, names);
      r.wrong(*list->get(i), k,
              "an interval method: " + join_names(names) + " (or \"all\" alone)" +
                  (guess.empty() ? std::string() : "; did you mean '" + guess + "'?"));
      ok = false;
      continue;
    }
    const stats::Method m = stats::all_methods()[static_cast<std::size_t>(it - names.begin())];
    if (std::find(out.begin(), out.end(), m) != out.end()) {
      r.problem(*list->get(i), k, "is '" + *s + "', which is listed twice");
      ok = false;
      continue;
    }
    out.push_back(m);
  }
  return out;
}

// The comparison methods: every difference interval, then Fisher's exact test.
constexpr stats::DiffMethod diff_methods[] = {stats::DiffMethod::newcombe,
                                              stats::DiffMethod::miettinen_nurminen,
                                              stats::DiffMethod::agresti_caffo, stats::DiffMethod::wald};

std::vector<std::string> comparison_method_names() {
  std::vector<std::string> out;
  for (stats::DiffMethod m : diff_methods) out.emplace_back(stats::diff_method_name(m));
  out.emplace_back("fisher");
  return out;
}

// The top-level settings: title, seed, replicates, confidence, methods and the default grades.
void read_settings(Reader& r, const table& root, SimulationSpec& spec, std::vector<Grade>& top_grades) {
  if (const node* n = root.get("title")) {
    if (const auto s = r.string(*n, "title")) spec.title = *s;
  }
  if (const node* n = root.get("seed")) {
    if (const auto v = r.count(*n, "seed", 0)) spec.seed = static_cast<std::uint64_t>(*v);
  }
  if (const node* n = root.get("replicates")) {
    if (const auto v = r.count(*n, "replicates", 1)) spec.replicates = *v;
  }
  if (const node* n = root.get("confidence")) {
    const auto v = r.number(*n, "confidence");
    if (v && !(*v > 0 && *v < 1))
      r.wrong(*n, "confidence", "strictly between 0 and 1");
    else if (v)
      spec.confidence = *v;
  }
  if (const node* n = root.get("methods")) {
    bool ok = true;
    auto methods = read_methods(r, *n, ok);
    if (ok) spec.methods = std::move(methods);
  }
  if (const node* n = root.get("grades")) {
    if (auto g = read_grades(r, *n, "grades")) top_grades = std::move(*g);
  }
}

// ---- Cells from a CSV ([[cells_from]]) ---------------------------------------------------------

// What the rows of [[cells_from]] tables leave behind: the tables made from them (which the cells
// point into) and the CSV texts, for the scenario's SHA-256.
struct CsvSources {
  std::deque<table> rows;
  std::vector<std::string> texts;  // in the order the [[cells_from]] tables appear
  std::size_t bytes = 0;
};

// The CSV's columns. Counts are read as whole numbers and rates as numbers, so that a row is
// checked exactly as the same cell written as [[cell]] would be.
enum class ColumnKind { text, count, number, tally };
struct CsvColumn {
  std::string_view name;
  ColumnKind kind;
};
constexpr CsvColumn csv_columns[] = {
    {"force", ColumnKind::text},          {"category", ColumnKind::text},
    {"sample", ColumnKind::count},        {"true_rate", ColumnKind::number},
    {"incorrect", ColumnKind::tally},     {"sampled", ColumnKind::tally},
    {"population", ColumnKind::count},    {"clusters_count", ColumnKind::count},
    {"clusters_icc", ColumnKind::number}, {"sensitivity", ColumnKind::number},
    {"specificity", ColumnKind::number},  {"selection_odds", ColumnKind::number},
    {"grades", ColumnKind::text}};

// Where each column's value goes in the cell: a key, or a part of a sub-table.
std::pair<std::string_view, std::string_view> cell_place(std::string_view column) {
  if (column == "clusters_count") return {"clusters", "count"};
  if (column == "clusters_icc") return {"clusters", "icc"};
  if (column == "sensitivity" || column == "specificity") return {"inspector", column};
  if (column == "selection_odds") return {"selection", "odds"};
  return {column, {}};
}

// A CSV field as the TOML value it would be written as: 17 an integer, 0.5 (or 1e-3) a float,
// anything else a string, so that the cell's checks say "is 'abc', but must be a whole number".
void insert_field(table& t, std::string_view key, std::string_view field, ColumnKind kind) {
  if (kind != ColumnKind::text) {
    if (const auto i = base::field_whole_number(field)) {
      t.insert_or_assign(key, *i);
      return;
    }
    if (const auto v = base::field_number(field)) {
      t.insert_or_assign(key, *v);
      return;
    }
  }
  t.insert_or_assign(key, std::string(field));
}

// The keys a [[cells_from]] table's defaults may give: every cell key but the names.
std::vector<std::string> default_keys() {
  std::vector<std::string> out;
  for (const auto& k : cell_keys)
    if (k != "force" && k != "category") out.push_back(k);
  return out;
}

// Checks the defaults on their own, once (a bad default is one message, not one per row); what
// depends on the row (a sample larger than the row's population) is checked with each row.
bool check_defaults(Reader& r, Problems& problems, const table& d, const std::string& key,
                    const GradeSets& sets) {
  const std::size_t before = problems.size();
  r.check_keys(d, key, default_keys());
  std::vector<SampleValue> samples;
  if (const node* n = d.get("sample")) samples = read_sample(r, *n, key + ".sample");
  if (const node* n = d.get("population")) (void)r.count(*n, key + ".population", 1, stats::max_population);
  if (const node* n = d.get("true_rate")) (void)read_true_rate(r, *n, key + ".true_rate");
  if (const node* n = d.get("clusters")) (void)read_clusters(r, *n, key + ".clusters", samples);
  if (const node* n = d.get("inspector")) (void)read_inspector(r, *n, key + ".inspector");
  if (const node* n = d.get("selection")) (void)read_selection(r, *n, key + ".selection");
  if (const node* n = d.get("grades"))
    (void)(n->is_string() ? named_grades(r, *n, key + ".grades", sets) : read_grades(r, *n, key + ".grades"));
  return problems.size() == before;
}

// One [[cells_from]] table: every row of its CSV becomes a cell, as if written as [[cell]] at the
// table's place. Problems in the CSV are reported as "file:line: column: problem".
void read_cells_from(Reader& r, Problems& problems, const table& t, const std::string& key,
                     const GradeSets& sets, const std::filesystem::path& dir, CsvSources& csv,
                     std::vector<Cell>& cells) {
  r.check_keys(t, key, {"path", "defaults", "ignore"});
  const node* path_node = t.get("path");
  if (!path_node) {
    r.missing(t, key + ".path", "the CSV file whose rows are the cells, e.g. path = \"forces.csv\"");
    return;
  }
  const auto path = r.string(*path_node, key + ".path");
  if (!path) return;
  if (path->empty()) {
    r.wrong(*path_node, key + ".path", "a file name");
    return;
  }
  const table* defaults = nullptr;
  bool ok = true;
  if (const node* n = t.get("defaults")) {
    defaults = r.as_table(*n, key + ".defaults", "a table of cell keys, e.g. { sample = 20 }");
    ok = defaults && check_defaults(r, problems, *defaults, key + ".defaults", sets);
  }
  std::vector<std::string> ignored;
  if (const node* n = t.get("ignore")) {
    const auto* list = n->as_array();
    if (!list) r.wrong(*n, key + ".ignore", "a list of column names to skip, e.g. [\"source\"]");
    for (std::size_t i = 0; list && i < list->size(); ++i)
      if (const auto s = r.string(*list->get(i), index_key(key + ".ignore", i)))
        ignored.push_back(base::ascii_lower(*s));
    ok = ok && list;
  }
  // The file: relative to the scenario's directory; a regular file (a FIFO would wait forever).
  const std::filesystem::path relative(*path);
  std::string shown =
      relative.is_absolute() || dir.empty() ? *path : (dir / relative).lexically_normal().string();
  if (shown.size() > 1 && shown.back() == '/') shown.pop_back();  // "dir/." is "dir/" when normal
  std::error_code ec;
  const auto status = std::filesystem::status(shown, ec);
  if (ec || !std::filesystem::exists(status)) {
    r.problem(*path_node, key + ".path", "is '" + *path + "', but " + shown + " does not exist");
    return;
  }
  if (!std::filesystem::is_regular_file(status)) {
    r.problem(*path_node, key + ".path", "is '" + *path + "', but " + shown + " is not a regular file");
    return;
  }
  std::vector<base::CsvRecord> records;
  try {
    std::string text = base::read_text_file(shown, max_scenario_bytes);
    csv.bytes += text.size();
    if (csv.bytes > max_scenario_bytes) {
      r.problem(*path_node, key + ".path",
                "is '" + *path + "', which takes the scenario's CSVs past " +
                    std::to_string(max_scenario_bytes >> 20) + " MiB in all");
      return;
    }
    records = base::parse_csv(text, shown);
    csv.texts.push_back(std::move(text));
  } catch (const base::InputError& e) {
    problems.add_text(t.source(), 0, e.what());
    return;
  }
  if (records.empty()) {
    problems.add_text(t.source(), 1,
                      shown + ":1: the file is empty; it needs a header row naming the columns");
    return;
  }
  // The header: known columns, each once; the rest refused unless ignored.
  const base::CsvRecord& header = records.front();
  auto at_header = [&](const std::string& column, const std::string& text) {
    problems.add_text(t.source(), header.line,
                      shown + ":" + std::to_string(header.line) + ": " + column + ": " + text);
  };
  std::vector<std::string> allowed;
  for (const auto& c : csv_columns) allowed.emplace_back(c.name);
  std::vector<std::optional<CsvColumn>> columns;  // per field; nullopt: ignored
  std::map<std::string, std::size_t> where;
  for (const std::string& field : header.fields) {
    const std::string name = base::ascii_lower(field);
    const auto known = std::find_if(std::begin(csv_columns), std::end(csv_columns),
                                    [&](const CsvColumn& c) { return c.name == name; });
    columns.emplace_back();
    if (known == std::end(csv_columns)) {
      if (std::find(ignored.begin(), ignored.end(), name) != ignored.end()) continue;
      const std::string guess = base::closest_name(name, allowed);
      at_header(field,
                "unknown column; " +
                    (guess.empty() ? "allowed: " + join_names(allowed) : "did you mean '" + guess + "'?") +
                    " (list columns to skip in " + key + ".ignore)");
      ok = false;
      continue;
    }
    if (!where.emplace(name, columns.size() - 1).second) {
      at_header(field, "appears twice in the header");
      ok = false;
    }
    columns.back() = *known;
  }
  for (const char* required : {"force", "category"})
    if (!where.contains(required)) {
      at_header(required, std::string("missing; a column naming each row's ") + required);
      ok = false;
    }
  if (where.contains("true_rate") && (where.contains("incorrect") || where.contains("sampled"))) {
    at_header("true_rate", "given with incorrect/sampled; give the true rate one way");
    ok = false;
  }
  if (where.contains("incorrect") != where.contains("sampled")) {
    at_header(where.contains("incorrect") ? "sampled" : "incorrect",
              "missing; incorrect and sampled give the true rate together (incorrect / sampled)");
    ok = false;
  }
  if (records.size() == 1) {
    at_header(header.fields.front(), "the file has a header but no rows; each row is a cell");
    ok = false;
  }
  if (records.size() - 1 > static_cast<std::size_t>(max_scenario_points)) {
    at_header(header.fields.front(), "the file has " + std::to_string(records.size() - 1) +
                                         " rows, but a scenario may have at most " +
                                         std::to_string(max_scenario_points) + " cells");
    ok = false;
  }
  if (!ok) return;

  const std::string note = " (from " + key + ".defaults)";
  for (std::size_t i = 1; i < records.size(); ++i) {
    const base::CsvRecord& rec = records[i];
    const std::string line = std::to_string(rec.line);
    if (rec.fields.size() != header.fields.size()) {
      problems.add_text(t.source(), rec.line,
                        shown + ":" + line + ": the row has " + std::to_string(rec.fields.size()) +
                            " fields, but the header has " + std::to_string(header.fields.size()));
      continue;
    }
    table& row = csv.rows.emplace_back();
    auto place_of = [&](std::string column) {
      return RowPlace{shown, rec.line, std::move(column), "", t.source()};
    };
    std::optional<std::int64_t> tally[2];  // incorrect, sampled
    bool tally_ok = true;
    for (std::size_t f = 0; f < rec.fields.size(); ++f) {
      if (!columns[f] || rec.fields[f].empty()) continue;
      const CsvColumn& c = *columns[f];
      const std::string& field = rec.fields[f];
      if (c.kind == ColumnKind::tally) {
        const bool is_incorrect = c.name == "incorrect";
        const auto v = base::field_whole_number(field);
        if (!v || *v < (is_incorrect ? 0 : 1)) {
          problems.add_text(t.source(), rec.line,
                            shown + ":" + line + ": " + header.fields[f] + ": is '" + field +
                                "', but must be a whole number >= " + (is_incorrect ? "0" : "1"));
          tally_ok = false;
        }
        tally[is_incorrect ? 0 : 1] = v;
        continue;
      }
      const auto [k, part] = cell_place(c.name);
      if (part.empty()) {
        insert_field(row, k, field, c.kind);
        problems.place(*row.get(k), place_of(header.fields[f]));
      } else {
        if (!row.contains(k)) {
          row.insert(k, table{});
          problems.place(*row.get(k), place_of(""));
        }
        table& sub = *row.get(k)->as_table();
        insert_field(sub, part, field, c.kind);
        problems.place(*sub.get(part), place_of(header.fields[f]));
      }
    }
    if (tally[0] && tally[1] && tally_ok) {
      if (*tally[0] > *tally[1]) {
        problems.add_text(t.source(), rec.line,
                          shown + ":" + line + ": incorrect: is " + std::to_string(*tally[0]) +
                              ", but must be <= sampled (" + std::to_string(*tally[1]) + ")");
        tally_ok = false;
      } else {
        row.insert_or_assign("true_rate", static_cast<double>(*tally[0]) / static_cast<double>(*tally[1]));
        problems.place(*row.get("true_rate"), place_of("incorrect"));
      }
    }
    // Defaults fill what the row leaves out, part by part within a table (clusters = { ... }).
    if (defaults)
      for (auto&& [k, v] : *defaults) {
        node* have = row.get(k);
        if (have && have->is_table() && v.is_table()) {
          for (auto&& [part, pv] : *v.as_table())
            if (!have->as_table()->contains(part.str())) {
              have->as_table()->insert(part, pv);
              problems.place(*have->as_table()->get(part.str()), {shown, rec.line, "", note, t.source()},
                             true);
            }
        } else if (!have) {
          row.insert(k, v);
          problems.place(*row.get(k.str()), {shown, rec.line, "", note, t.source()}, true);
        }
      }
    problems.place(row, place_of(""));
    if (!tally_ok) continue;
    Cell c = read_cell(r, row, "", sets);
    c.label = shown + " line " + line;
    cells.push_back(std::move(c));
  }
}

// Every [[cell]] table and every [[cells_from]] row, in the order they appear in the file (a
// CSV's rows at its [[cells_from]] table); a table that is not one keeps its place, marked not ok.
std::vector<Cell> read_cells(Reader& r, Problems& problems, const table& root, const GradeSets& sets,
                             const std::filesystem::path& dir, CsvSources& csv) {
  std::vector<Cell> cells;
  struct Entry {
    toml::source_position at;
    bool from_csv;
    std::size_t index;
    const node* item;
  };
  std::vector<Entry> entries;
  for (const bool from_csv : {false, true}) {
    const char* name = from_csv ? "cells_from" : "cell";
    const node* n = root.get(name);
    if (!n) continue;
    const auto* list = n->as_array();
    if (!list || list->empty()) {
      r.wrong(*n, name, from_csv ? "one or more [[cells_from]] tables" : "one or more [[cell]] tables");
      continue;
    }
    for (std::size_t i = 0; i < list->size(); ++i)
      entries.push_back({list->get(i)->source().begin, from_csv, i, list->get(i)});
  }
  if (!root.get("cell") && !root.get("cells_from")) {
    problems.add(root.source(), "cell",
                 "missing; a scenario needs at least one [[cell]] table (or a [[cells_from]] CSV of them)");
    return cells;
  }
  std::stable_sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) {
    return std::tie(a.at.line, a.at.column) < std::tie(b.at.line, b.at.column);
  });
  for (const Entry& e : entries) {
    const std::string key = index_key(e.from_csv ? "cells_from" : "cell", e.index);
    const table* t = r.as_table(*e.item, key, e.from_csv ? "a [[cells_from]] table" : "a [[cell]] table");
    if (!t) {
      if (!e.from_csv) {
        cells.emplace_back();
        cells.back().ok = false;
      }
      continue;
    }
    if (e.from_csv)
      read_cells_from(r, problems, *t, key, sets, dir, csv, cells);
    else
      cells.push_back(read_cell(r, *t, key, sets));
  }
  return cells;
}

// The cells by their "force/category" names, each name once; what a comparison's a and b look up.
class CellIndex {
 public:
  CellIndex(Problems& problems, const std::vector<Cell>& cells) {
    for (std::size_t i = 0; i < cells.size(); ++i) {
      const Cell& c = cells[i];
      if (!c.source || !c.source->get("force") || !c.source->get("force")->is_string() ||
          !c.source->get("category") || !c.source->get("category")->is_string())
        continue;
      const std::string name = cell_name(c.force, c.category);
      const auto [it, fresh] = by_name_.emplace(name, i);
      if (!fresh)
        problems.add(
            *c.source->get("force"), c.label.empty() ? "force" : c.label,
            "force/category '" + name + "' is also " + cells[it->second].label + "; each cell needs its own");
    }
    for (const auto& [name, index] : by_name_) names_.push_back(name);
  }

  // Every cell of `category`, in file order.
  std::vector<std::size_t> of_category(const std::vector<Cell>& cells, const std::string& category) const {
    std::vector<std::size_t> out;
    for (const auto& [name, index] : by_name_)
      if (cells[index].category == category) out.push_back(index);
    std::sort(out.begin(), out.end());
    return out;
  }
  std::vector<std::string> categories(const std::vector<Cell>& cells) const {
    std::vector<std::string> out;
    for (const auto& [name, index] : by_name_)
      if (std::find(out.begin(), out.end(), cells[index].category) == out.end())
        out.push_back(cells[index].category);
    return out;
  }

  // The cell `name` (read from `v` at `key`) is, or a problem with a guess.
  std::optional<std::size_t> find(Reader& r, const node& v, const std::string& key, const std::string& name) {
    const auto it = by_name_.find(name);
    if (it != by_name_.end()) return it->second;
    // Each guess scans every cell: the first few unknown names get one, so that 300 misspelled
    // names among 10,000 cells cost a few scans, not 300 (time linear in the file's size).
    std::string guess;
    if (guesses_left_ > 0) {
      --guesses_left_;
      guess = base::closest_name(name, names_);
    }
    r.problem(v, key,
              "is '" + name + "', which names no cell (cells are named \"force/category\")" +
                  (guess.empty() ? std::string() : "; did you mean '" + guess + "'?"));
    return std::nullopt;
  }

 private:
  std::map<std::string, std::size_t> by_name_;
  std::vector<std::string> names_;
  std::size_t guesses_left_ = 20;
};

// Expands every sweep into spec.points: for each true rate (outer) every sample size (inner).
// Returns each cell's [first, last) range of points.
std::vector<std::pair<std::size_t, std::size_t>> expand_points(Problems& problems, const table& root,
                                                               const std::vector<Cell>& cells,
                                                               const std::vector<Grade>& top_grades,
                                                               SimulationSpec& spec) {
  std::vector<std::pair<std::size_t, std::size_t>> point_range(cells.size());
  std::int64_t total_points = 0;
  for (const Cell& c : cells) total_points += static_cast<std::int64_t>(c.truths.size() * c.samples.size());
  if (total_points > max_scenario_points) {
    problems.add(root.get("cell") ? root.get("cell")->source() : root.get("cells_from")->source(), "cell",
                 "expands to " + std::to_string(total_points) + " cell points, but at most " +
                     std::to_string(max_scenario_points) + " are allowed");
    return point_range;
  }
  for (std::size_t i = 0; i < cells.size(); ++i) {
    const Cell& c = cells[i];
    point_range[i].first = spec.points.size();
    if (c.ok)
      for (const Truth& truth : c.truths)
        for (const SampleValue& s : c.samples) {
          CellPoint p;
          p.cell = i;
          p.force = c.force;
          p.category = c.category;
          p.truth = truth;
          p.population = c.population;
          p.sample = s.n;
          p.clusters = c.clusters;
          p.inspector = c.inspector;
          p.selection_odds = c.selection_odds;
          p.grades = c.grades ? *c.grades : top_grades;
          spec.points.push_back(std::move(p));
        }
    point_range[i].second = spec.points.size();
  }
  return point_range;
}

// A comparison's method: fisher, or one of the difference intervals. Nullopt (with a problem
// recorded) when it is none of them; the default interval when the key is absent.
std::optional<ComparisonSpec> read_comparison_method(Reader& r, const table& t, const std::string& key) {
  ComparisonSpec cs;
  const node* m = t.get("method");
  if (!m) return cs;
  const auto s = r.string(*m, key + ".method");
  if (!s) return std::nullopt;
  static const std::vector<std::string> cmp_names = comparison_method_names();
  if (*s == "fisher") {
    cs.fisher = true;
  } else if (std::find(cmp_names.begin(), cmp_names.end(), *s) != cmp_names.end()) {
    cs.method = stats::parse_diff_method(*s);
  } else {
    const std::string guess = base::closest_name(*s, cmp_names);
    r.wrong(*m, key + ".method",
            "one of " + join_names(cmp_names) +
                (guess.empty() ? std::string() : "; did you mean '" + guess + "'?"));
    return std::nullopt;
  }
  return cs;
}

// [[comparison]] tables. Swept cells: points are paired in order when both cells expand to the
// same number of points; a single point on one side is compared with every point of the other.
void read_comparisons(Reader& r, Problems& problems, const node& n, CellIndex& cells,
                      const std::vector<std::pair<std::size_t, std::size_t>>& point_range,
                      SimulationSpec& spec) {
  const auto* list = n.as_array();
  if (!list) {
    r.wrong(n, "comparison", "[[comparison]] tables");
    return;
  }
  for (std::size_t i = 0; i < list->size(); ++i) {
    const std::string key = index_key("comparison", i);
    const table* t = r.sub_table(*list->get(i), key, "a [[comparison]] table", {"a", "b", "method"});
    if (!t) continue;
    bool cmp_ok = true;
    std::size_t side_cell[2] = {0, 0};
    std::string side_name[2];
    for (int side = 0; side < 2; ++side) {
      const char* part = side == 0 ? "a" : "b";
      const node* v = t->get(part);
      if (!v) {
        r.missing(*t, key + "." + part, "a cell named \"force/category\"");
        cmp_ok = false;
        continue;
      }
      const auto s = r.string(*v, key + "." + part);
      const auto cell = s ? cells.find(r, *v, key + "." + part, *s) : std::nullopt;
      if (!cell) {
        cmp_ok = false;
        continue;
      }
      side_cell[side] = *cell;
      side_name[side] = *s;
    }
    if (cmp_ok && side_cell[0] == side_cell[1]) {
      r.problem(*t->get("b"), key + ".b", "is '" + side_name[1] + "', the same cell as a; compare two cells");
      cmp_ok = false;
    }
    auto cs = read_comparison_method(r, *t, key);
    if (!cs || !cmp_ok || !problems.empty()) continue;
    const auto [a_first, a_last] = point_range[side_cell[0]];
    const auto [b_first, b_last] = point_range[side_cell[1]];
    const std::size_t na = a_last - a_first;
    const std::size_t nb = b_last - b_first;
    if (na != nb && na != 1 && nb != 1) {
      r.problem(*t, key,
                "'" + side_name[0] + "' expands to " + std::to_string(na) + " points and '" + side_name[1] +
                    "' to " + std::to_string(nb) +
                    "; swept cells are compared point by point, so they need the same number of "
                    "points (or one side a single point)");
      continue;
    }
    for (std::size_t j = 0; j < std::max(na, nb); ++j) {
      cs->a = a_first + (na == 1 ? 0 : j);
      cs->b = b_first + (nb == 1 ? 0 : j);
      cs->name = side_name[0] + " vs " + side_name[1];
      spec.comparisons.push_back(*cs);
    }
  }
}

// [[league]] tables: a name, the members (every cell of a category, or a list of cells), how ties
// rank and the k of "among the true worst k". Swept cells pair point by point as comparisons do:
// every member expands to the same number of points (or a single point, in every league).
void read_leagues(Reader& r, Problems& problems, const node& n, CellIndex& index,
                  const std::vector<Cell>& cells,
                  const std::vector<std::pair<std::size_t, std::size_t>>& point_range, SimulationSpec& spec) {
  const auto* list = n.as_array();
  if (!list) {
    r.wrong(n, "league", "[[league]] tables");
    return;
  }
  std::map<std::string, std::size_t> names;
  for (std::size_t i = 0; i < list->size(); ++i) {
    const std::string key = index_key("league", i);
    const table* t =
        r.sub_table(*list->get(i), key, "a [[league]] table", {"name", "category", "cells", "ties", "top"});
    if (!t) continue;
    bool ok = true;
    LeagueSpec league;
    if (const node* v = t->get("name")) {
      const auto s = r.string(*v, key + ".name");
      if (s && s->empty()) {
        r.wrong(*v, key + ".name", "a non-empty name");
        ok = false;
      } else if (s) {
        league.name = *s;
        if (const auto [it, fresh] = names.emplace(*s, i); !fresh) {
          r.problem(*v, key + ".name",
                    "is '" + *s + "', the name of " + index_key("league", it->second) +
                        "; each league needs its own");
          ok = false;
        }
      } else {
        ok = false;
      }
    } else {
      r.missing(*t, key + ".name", "the league's name, e.g. name = \"other sexual offences, 43 forces\"");
      ok = false;
    }
    if (const node* v = t->get("ties")) {
      const auto s = r.string(*v, key + ".ties");
      const auto allowed = base::names_of<Ties>();
      const auto it = s ? std::find(allowed.begin(), allowed.end(), *s) : allowed.end();
      if (s && it == allowed.end())
        r.wrong(*v, key + ".ties", base::allowed_list(allowed) + base::did_you_mean(*s, allowed));
      if (it == allowed.end())
        ok = false;
      else
        league.ties = base::parse_name<Ties>(base::Message(key + ".ties"), *s);
    }
    const node* top = t->get("top");
    if (top) {
      const auto* values = top->as_array();
      if (!values || values->empty()) {
        r.wrong(*top, key + ".top", "a non-empty list of whole numbers, e.g. [1, 3, 5]");
        ok = false;
      } else {
        league.top.clear();
        for (std::size_t j = 0; j < values->size(); ++j) {
          const std::string k = key + ".top[" + std::to_string(j + 1) + "]";
          const auto v = r.count(*values->get(j), k, 1);
          if (!v) {
            ok = false;
          } else if (!league.top.empty() && *v <= league.top.back()) {
            r.wrong(*values->get(j), k,
                    "greater than the one before (" + std::to_string(league.top.back()) + ")");
            ok = false;
          } else {
            league.top.push_back(*v);
          }
        }
      }
    }
    // The members, as cells.
    std::vector<std::size_t> member_cells;
    std::vector<std::string> member_names;
    const node* category = t->get("category");
    const node* list_node = t->get("cells");
    const node* members_at = category ? category : list_node;
    if (category && list_node) {
      r.problem(*list_node, key + ".cells", "cannot be given with category; name the members one way");
      ok = false;
    } else if (category) {
      if (const auto s = r.string(*category, key + ".category")) {
        member_cells = index.of_category(cells, *s);
        if (member_cells.empty()) {
          const auto known = index.categories(cells);
          const std::string guess = base::closest_name(*s, known);
          r.problem(*category, key + ".category",
                    "is '" + *s + "', which is the category of no cell" +
                        (guess.empty() ? std::string() : "; did you mean '" + guess + "'?"));
          ok = false;
        }
        for (const std::size_t c : member_cells)
          member_names.push_back(cell_name(cells[c].force, cells[c].category));
      } else {
        ok = false;
      }
    } else if (list_node) {
      const auto* names_list = list_node->as_array();
      if (!names_list) {
        r.wrong(*list_node, key + ".cells", "a list of cells named \"force/category\"");
        ok = false;
      } else {
        for (std::size_t j = 0; j < names_list->size(); ++j) {
          const std::string k = key + ".cells[" + std::to_string(j + 1) + "]";
          const node& v = *names_list->get(j);
          const auto s = r.string(v, k);
          const auto c = s ? index.find(r, v, k, *s) : std::nullopt;
          if (!c) {
            ok = false;
            continue;
          }
          if (std::find(member_cells.begin(), member_cells.end(), *c) != member_cells.end()) {
            r.problem(v, k, "is '" + *s + "', which is listed twice");
            ok = false;
            continue;
          }
          member_cells.push_back(*c);
          member_names.push_back(*s);
        }
      }
    } else {
      r.missing(*t, key + ".category",
                "the members: category = \"...\" (every cell of it) or cells = [\"force/category\", ...]");
      ok = false;
    }
    if (ok && member_cells.size() < 2) {
      r.problem(*members_at, key + (category ? ".category" : ".cells"),
                "gives " + std::to_string(member_cells.size()) + " cell" +
                    (member_cells.size() == 1 ? "" : "s") + ", but a league needs at least two");
      ok = false;
    }
    if (ok && top && league.top.back() > static_cast<std::int64_t>(member_cells.size())) {
      r.problem(*top, key + ".top",
                "has " + std::to_string(league.top.back()) + ", but the league has " +
                    std::to_string(member_cells.size()) + " members");
      ok = false;
    }
    if (!top) {  // the default [1, 3], cut to the league's size
      league.top.clear();
      for (const std::int64_t k : {1, 3})
        if (k <= static_cast<std::int64_t>(member_cells.size())) league.top.push_back(k);
    }
    if (!ok || !problems.empty()) continue;
    // Swept cells: point by point, a single point joining every league.
    std::size_t points = 1;
    std::size_t swept = 0;
    for (std::size_t m = 0; m < member_cells.size(); ++m) {
      const std::size_t count = point_range[member_cells[m]].second - point_range[member_cells[m]].first;
      if (count == 1) continue;
      if (points != 1 && count != points) {
        r.problem(*members_at, key,
                  "'" + member_names[swept] + "' expands to " + std::to_string(points) + " points and '" +
                      member_names[m] + "' to " + std::to_string(count) +
                      "; swept cells are ranked point by point, so they need the same number of points "
                      "(or a single point)");
        ok = false;
        break;
      }
      points = count;
      swept = m;
    }
    if (!ok) continue;
    for (std::size_t m = 0; m < member_cells.size(); ++m) {
      const auto [first, last] = point_range[member_cells[m]];
      if (std::any_of(spec.points.begin() + static_cast<std::ptrdiff_t>(first),
                      spec.points.begin() + static_cast<std::ptrdiff_t>(last),
                      [](const CellPoint& p) { return p.truth.kind == Truth::Kind::beta; })) {
        r.problem(*members_at, key,
                  "member '" + member_names[m] +
                      "' has a Beta true rate, but leagues rank fixed true rates only (give true_rate as a "
                      "rate, a list or a sweep)");
        ok = false;
      }
    }
    if (!ok) continue;
    for (std::size_t j = 0; j < points; ++j) {
      LeagueSpec expanded = league;
      for (const std::size_t c : member_cells) {
        const auto [first, last] = point_range[c];
        expanded.members.push_back(first + (last - first == 1 ? 0 : j));
      }
      spec.leagues.push_back(std::move(expanded));
    }
  }
}

}  // namespace

namespace {

// The loader; with `expanded`, also the scenario with every [[cells_from]] row written out as a
// [[cell]] table, in the cells' order.
SimulationSpec parse(std::string_view toml_text, const std::string& path, std::string* expanded) {
  // Before toml++, whose "Encountered invalid utf-8 sequence" does not say what the file is.
  base::require_text(toml_text, path);
  Problems problems(path);
  table root;
  try {
    root = toml::parse(toml_text, std::string_view(path));
  } catch (const toml::parse_error& e) {
    problems.add_raw(e.source(), std::string(e.description()));
    problems.raise();
  }
  Reader r(problems);
  SimulationSpec spec;
  spec.source_path = path;
  r.check_keys(root, "", top_keys);

  std::vector<Grade> top_grades;
  read_settings(r, root, spec, top_grades);
  GradeSets sets;
  if (const node* n = root.get("grade_sets")) sets = read_grade_sets(r, *n);
  CsvSources csv;
  const std::vector<Cell> cells =
      read_cells(r, problems, root, sets, std::filesystem::path(path).parent_path(), csv);
  CellIndex index(problems, cells);
  const auto point_range = expand_points(problems, root, cells, top_grades, spec);
  if (const node* n = root.get("comparison")) read_comparisons(r, problems, *n, index, point_range, spec);
  if (const node* n = root.get("league")) read_leagues(r, problems, *n, index, cells, point_range, spec);

  if (!problems.empty()) problems.raise();
  spec.source_sha256 = scenario_sha256(toml_text, csv.texts);
  if (expanded) {
    table out = root;
    out.erase("cells_from");
    toml::array list;
    for (const Cell& c : cells) list.push_back(*c.source);
    out.insert_or_assign("cell", std::move(list));
    std::ostringstream text;
    text << toml::toml_formatter(out, toml::format_flags::none) << "\n";
    *expanded = text.str();
  }
  return spec;
}

}  // namespace

SimulationSpec parse_scenario(std::string_view toml_text, const std::string& path) {
  return parse(toml_text, path, nullptr);
}

std::string expanded_scenario(std::string_view toml_text, const std::string& path) {
  std::string out;
  (void)parse(toml_text, path, &out);
  std::string name = path;  // on one comment line, whatever the path holds
  for (char& c : name)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) c = '?';
  return "# " + name + " with its [[cells_from]] rows written out as [[cell]] tables (inspectsim " +
         base::version() + ")\n" + out;
}

std::string scenario_sha256(std::string_view toml_text, const std::vector<std::string>& csv_texts) {
  if (csv_texts.empty()) return base::sha256_hex(toml_text);
  std::string listing = base::sha256_hex(toml_text) + "\n";
  for (const auto& text : csv_texts) listing += base::sha256_hex(text) + "\n";
  return base::sha256_hex(listing);
}

SimulationSpec load_scenario(const std::string& path) {
  return parse_scenario(base::read_text_file(path, max_scenario_bytes), path);
}

}  // namespace inspectsim::simulate
