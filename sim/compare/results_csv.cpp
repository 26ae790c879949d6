#include "inspectsim/compare/results_csv.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <map>
#include <tuple>
#include <unordered_map>

#include <boost/math/distributions/normal.hpp>

#include "inspectsim/base/csv.hpp"
#include "inspectsim/base/error.hpp"
#include "inspectsim/output/table.hpp"
#include "inspectsim/stats/interval.hpp"

namespace inspectsim::compare {

namespace {

enum Column { force, inspection, category, sampled, incorrect, population, source, rate, halfwidth, rate_of };
constexpr std::array<std::string_view, 10> column_names{"force",     "inspection", "category", "sampled",
                                                        "incorrect", "population", "source",   "rate",
                                                        "halfwidth", "rate_of"};
constexpr std::size_t absent = static_cast<std::size_t>(-1);

struct Number {
  double value;
  bool percent;  // written with a trailing %
};
std::optional<Number> to_number(std::string_view t) {
  bool percent = false;
  if (t.ends_with('%')) {
    percent = true;
    t.remove_suffix(1);
    while (!t.empty() && t.back() == ' ') t.remove_suffix(1);
  }
  const auto v = base::field_number(t);
  if (!v) return std::nullopt;
  return Number{*v, percent};
}

// One row's validation: each problem is recorded with its line and column; parsing goes on.
class RowCheck {
 public:
  RowCheck(const std::string& path, std::size_t line, std::vector<std::string>& problems)
      : prefix_(path + ":" + std::to_string(line) + ": "), problems_(problems) {}
  void problem(std::string_view column, const std::string& what) {
    problems_.push_back(prefix_ + std::string(column) + ": " + what);
    ok_ = false;
  }
  bool ok() const { return ok_; }

 private:
  std::string prefix_;
  std::vector<std::string>& problems_;
  bool ok_ = true;
};

// Where each known column is in the file, and which other columns are carried through.
struct Header {
  std::array<std::size_t, column_names.size()> pos;
  std::vector<std::size_t> extra_pos;
  std::vector<std::string> extra_names;
  std::size_t width = 0;

  std::string_view field(const base::CsvRecord& r, Column c) const {
    return pos[c] == absent || pos[c] >= r.fields.size() ? std::string_view()
                                                         : std::string_view(r.fields[pos[c]]);
  }
};

// The header row: each known column once, each extra column once (case-insensitive), and the
// columns the rows need. Every problem is collected before one InputErrors is thrown.
Header read_header(const base::CsvRecord& header, const std::string& path) {
  Header h;
  h.pos.fill(absent);
  h.width = header.fields.size();
  std::vector<std::string> problems;
  const std::string head = path + ":" + std::to_string(header.line) + ": header: ";
  std::unordered_map<std::string, std::size_t> extra_seen;
  for (std::size_t c = 0; c < header.fields.size(); ++c) {
    const std::string name = base::ascii_lower(header.fields[c]);
    if (name.empty()) {
      problems.push_back(head + "column " + std::to_string(c + 1) + " has no name");
      continue;
    }
    const auto known = std::find(column_names.begin(), column_names.end(), name);
    if (known != column_names.end()) {
      auto& p = h.pos[static_cast<std::size_t>(known - column_names.begin())];
      if (p != absent) {
        problems.push_back(head + "column '" + name + "' appears twice (columns " + std::to_string(p + 1) +
                           " and " + std::to_string(c + 1) + ")");
        continue;
      }
      p = c;
      continue;
    }
    // Each extra column's lower-case name once, in a hash map: a header of 300,000 columns is
    // checked in linear time, not by comparing each column with every earlier one.
    const auto [first, fresh] = extra_seen.try_emplace(name, c);
    if (!fresh)
      problems.push_back(head + "column '" + header.fields[c] + "' appears twice (columns " +
                         std::to_string(first->second + 1) + " and " + std::to_string(c + 1) + ")");
    h.extra_pos.push_back(c);
    h.extra_names.push_back(header.fields[c]);
  }
  const auto& pos = h.pos;
  for (Column c : {Column::force, Column::inspection, Column::category})
    if (pos[c] == absent) problems.push_back(head + "missing column '" + std::string(column_names[c]) + "'");
  if (pos[Column::incorrect] == absent && pos[Column::rate] == absent)
    problems.push_back(head + "missing column 'incorrect' (or 'rate' for published rates)");
  if (pos[Column::incorrect] != absent && pos[Column::sampled] == absent)
    problems.push_back(head + "missing column 'sampled'");
  if (pos[Column::rate] != absent && pos[Column::rate_of] == absent)
    problems.push_back(head +
                       "missing column 'rate_of' (whether each rate is the share 'correct' or 'incorrect')");
  if (pos[Column::rate] != absent && pos[Column::halfwidth] == absent && pos[Column::sampled] == absent)
    problems.push_back(head + "missing column 'halfwidth' (needed to turn a rate into a sample size)");
  if (!problems.empty()) throw base::InputErrors(std::move(problems));
  return h;
}

// One data row read into a ResultRow: counts, or a published rate turned into counts, and an
// optional population. Problems go to `check`; a row with any is not kept.
class RowReader {
 public:
  RowReader(const Header& header, const base::CsvRecord& rec, RowCheck& check, bool bare_percent)
      : header_(header), rec_(rec), check_(check), bare_percent_(bare_percent) {}

  ResultRow read() {
    ResultRow row;
    row.line = rec_.line;
    row.force = std::string(field(Column::force));
    row.inspection = std::string(field(Column::inspection));
    row.category = std::string(field(Column::category));
    row.source = std::string(field(Column::source));
    for (std::size_t c : header_.extra_pos) row.extra.push_back(rec_.fields[c]);
    for (Column c : {Column::force, Column::inspection, Column::category})
      if (field(c).empty())
        check_.problem(column_names[c], "missing; every row needs a " + std::string(column_names[c]));

    const bool has_counts = !field(Column::incorrect).empty();
    const bool has_rate = !field(Column::rate).empty();
    std::optional<std::int64_t> n;
    if (has_counts && has_rate)
      check_.problem("rate",
                     "is given with incorrect; give either counts (sampled, incorrect) or a published rate");
    else if (has_counts)
      n = read_counts(row);
    else if (has_rate)
      n = read_published_rate(row);
    else
      check_.problem("incorrect", "missing; give counts in sampled and incorrect, or a published rate");
    read_population(row, n);
    return row;
  }

 private:
  std::string_view field(Column c) const { return header_.field(rec_, c); }

  // A whole-number column in [min, max].
  std::optional<std::int64_t> integer(Column c, std::int64_t min, std::int64_t max) {
    const std::string_view t = field(c);
    const std::string range = "a whole number from " + std::to_string(min) + " to " + std::to_string(max);
    if (t.empty()) {
      check_.problem(column_names[c], "missing; must be " + range);
      return std::nullopt;
    }
    const auto v = base::field_whole_number(t);
    if (!v) {
      check_.problem(column_names[c], "is '" + std::string(t) + "', but must be " + range);
      return std::nullopt;
    }
    if (*v < min || *v > max) {
      check_.problem(column_names[c], "is " + std::string(t) + ", but must be " + range);
      return std::nullopt;
    }
    return v;
  }

  std::optional<std::int64_t> read_counts(ResultRow& row) {
    const auto n = integer(Column::sampled, 1, stats::max_population);
    const auto x = integer(Column::incorrect, 0, stats::max_population);
    if (n && x) {
      if (*x > *n)
        check_.problem("incorrect", "is " + std::to_string(*x) + ", but must be at most sampled (" +
                                        std::to_string(*n) + ")");
      row.sampled = *n;
      row.incorrect = *x;
    }
    return n;
  }

  // A published rate with its 95% half-width (or its sample size) becomes counts at the effective
  // sample size; the rate itself is kept in row.published.
  std::optional<std::int64_t> read_published_rate(ResultRow& row) {
    PublishedRate pub;
    const std::string_view rt = field(Column::rate);
    const auto r = to_number(rt);
    const std::string_view of = field(Column::rate_of);
    const std::string of_lower = base::ascii_lower(of);
    if (of_lower == "correct" || of_lower == "incorrect") {
      pub.of_correct = of_lower == "correct";
    } else {
      check_.problem("rate_of", (of.empty() ? std::string("missing") : "is '" + std::string(of) + "'") +
                                    ", but must be 'correct' (a recording rate) or 'incorrect'");
    }
    if (!r) {
      check_.problem("rate", "is '" + std::string(rt) + "', but must be a number (a share, or a percentage)");
    } else {
      pub.percent = r->percent || bare_percent_;
      pub.rate = pub.percent ? r->value / 100 : r->value;
      if (!(pub.rate > 0 && pub.rate < 1))
        check_.problem("rate", "is " + std::string(rt) + ", but must be strictly between " +
                                   (pub.percent ? "0% and 100%" : "0 and 1 (or a percentage)"));
    }
    std::optional<std::int64_t> n;
    if (!field(Column::sampled).empty()) {
      n = integer(Column::sampled, 1, stats::max_population);
      if (n) pub.effective_n = static_cast<double>(*n);
    } else {
      n = effective_sample_size(pub);
    }
    if (n && r && check_.ok()) {
      const double wrong = pub.of_correct ? 1 - pub.rate : pub.rate;
      row.sampled = *n;
      row.incorrect = static_cast<std::int64_t>(std::round(wrong * static_cast<double>(*n)));
      row.published = pub;
    }
    return n;
  }

  // Effective sample size: the n at which the Wald half-width z sqrt(p(1-p)/n) (Newcombe 1998,
  // method 1) equals the published one, solved for n.
  std::optional<std::int64_t> effective_sample_size(PublishedRate& pub) {
    const std::string_view ht = field(Column::halfwidth);
    if (ht.empty()) {
      check_.problem("halfwidth", "missing; a rate needs its 95% half-width (or the sample size in sampled)");
      return std::nullopt;
    }
    const auto h = to_number(ht);
    if (!h || !(h->value > 0)) {
      check_.problem("halfwidth", "is '" + std::string(ht) + "', but must be a positive number");
      return std::nullopt;
    }
    if (!check_.ok()) return std::nullopt;  // the rate is unusable: nothing to solve for
    static const double z =
        boost::math::quantile(boost::math::complement(boost::math::normal_distribution<double>(), 0.025));
    pub.halfwidth = (h->percent || pub.percent) ? h->value / 100 : h->value;
    pub.effective_n = z * z * pub.rate * (1 - pub.rate) / (*pub.halfwidth * *pub.halfwidth);
    const double rounded = std::round(pub.effective_n);
    if (!(rounded >= 1 && rounded <= static_cast<double>(stats::max_population))) {
      check_.problem("halfwidth", "is " + std::string(ht) + ", which gives an effective sample size of " +
                                      base::format_number(pub.effective_n) + "; it must give from 1 to " +
                                      std::to_string(stats::max_population));
      return std::nullopt;
    }
    return static_cast<std::int64_t>(rounded);
  }

  void read_population(ResultRow& row, std::optional<std::int64_t> n) {
    if (field(Column::population).empty()) return;
    const auto m = integer(Column::population, 1, stats::max_population);
    if (m && n && *m < *n)
      check_.problem("population", "is " + std::to_string(*m) + ", but must be at least sampled (" +
                                       std::to_string(*n) + ")");
    else if (m)
      row.population = *m;
  }

  const Header& header_;
  const base::CsvRecord& rec_;
  RowCheck& check_;
  bool bare_percent_;
};

}  // namespace

ResultsTable parse_results_csv(std::string_view text, const std::string& path) {
  const std::vector<base::CsvRecord> records = base::parse_csv(text, path);
  if (records.empty())
    throw base::InputError(path +
                           ": the file is empty; expected a header row naming the columns force, inspection, "
                           "category, sampled, incorrect");
  const Header header = read_header(records.front(), path);
  if (records.size() == 1) throw base::InputError(path + ": no data rows after the header");
  ResultsTable table;
  table.path = path;
  table.extra_columns = header.extra_names;

  // Bare rates are percentages when any bare rate in the file exceeds 1.
  bool bare_percent = false;
  for (std::size_t i = 1; i < records.size(); ++i) {
    const auto v = to_number(header.field(records[i], Column::rate));
    if (v && !v->percent && v->value > 1) bare_percent = true;
  }

  std::vector<std::string> problems;
  // Each row's identity as views into the records, which outlive the loop: an ordered map of three
  // string copies per row took about 150 bytes a row. (A hash map of the views was slower here:
  // rows come in key order often enough that the tree's walks stay in cache.)
  std::map<std::tuple<std::string_view, std::string_view, std::string_view>, std::size_t> seen;
  table.rows.reserve(records.size() - 1);
  for (std::size_t i = 1; i < records.size(); ++i) {
    const base::CsvRecord& rec = records[i];
    RowCheck check(path, rec.line, problems);
    if (rec.fields.size() != header.width) {
      check.problem("row", "has " + std::to_string(rec.fields.size()) + " fields, but the header has " +
                               std::to_string(header.width) + " (quote fields that contain commas)");
      continue;
    }
    ResultRow row = RowReader(header, rec, check, bare_percent).read();
    if (!row.force.empty() && !row.inspection.empty() && !row.category.empty()) {
      const auto [it, inserted] =
          seen.try_emplace({header.field(rec, Column::force), header.field(rec, Column::inspection),
                            header.field(rec, Column::category)},
                           rec.line);
      if (!inserted)
        check.problem("force/inspection/category", "'" + row.force + " / " + row.inspection + " / " +
                                                       row.category + "' is already on line " +
                                                       std::to_string(it->second));
    }
    if (check.ok()) table.rows.push_back(std::move(row));
  }
  if (!problems.empty()) throw base::InputErrors(std::move(problems));
  return table;
}

}  // namespace inspectsim::compare
