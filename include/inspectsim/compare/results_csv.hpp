// Published inspection results, one row per (force, inspection, category), read from CSV.
//
// The format (README.md, "compare"): a header row; columns in any order, names case-insensitive:
//   force, inspection, category   required, the row's identity (unique together)
//   sampled, incorrect             records examined and records found wrong (whole numbers)
//   population                     optional: the records the sample was drawn from
//   source                         optional: where the figure was published
//   rate, halfwidth, rate_of       optional: a published rate with its 95% half-width instead of
//                                  counts; rate_of says whether the rate is the share handled
//                                  `correct`ly (a recording rate) or the share `incorrect`
// Every other column is carried through to the outputs unchanged.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace inspectsim::compare {

// A rate published with its half-width, as read from the row (shares, not percentages).
struct PublishedRate {
  double rate = 0;                  // as published (share correct when of_correct)
  std::optional<double> halfwidth;  // 95% half-width as a share; absent when `sampled` was given
  bool of_correct = false;          // true: a recording rate, the share wrong is 1 - rate
  bool percent = false;             // the file wrote the rate as a percentage
  double effective_n = 0;           // z^2 p(1-p) / h^2 before rounding (or `sampled` when given)
};

struct ResultRow {
  std::size_t line = 0;  // the row's line in the file
  std::string force;
  std::string inspection;
  std::string category;
  std::int64_t sampled = 0;    // N: records examined (effective when approximate)
  std::int64_t incorrect = 0;  // X: records found wrong (effective when approximate)
  std::optional<std::int64_t> population;
  std::string source;
  // Set when the counts were derived from a published rate: the row is approximate.
  std::optional<PublishedRate> published;
  std::vector<std::string> extra;  // values of ResultsTable::extra_columns, in that order

  bool approximate() const noexcept { return published.has_value(); }
};

struct ResultsTable {
  std::string path;
  std::vector<std::string> extra_columns;  // other columns, as spelt in the header
  std::vector<ResultRow> rows;             // in file order
};

// Parses and validates the whole file. Every problem is collected and thrown together as
// InputErrors, each as `path:line: column: problem`.
//
// Rates: a rate or half-width written with a trailing `%` is a percentage. Bare numbers are read
// as percentages when any bare rate in the file exceeds 1, and as shares otherwise. A row with a
// rate needs `rate_of` and either `halfwidth` (then the effective sample size is
// n = z^2 p(1-p)/h^2 with z = z_0.975, rounded to the nearest whole number) or `sampled` (the
// actual sample size); incorrect = round(share wrong x n). The rate must be strictly between 0
// and 1.
ResultsTable parse_results_csv(std::string_view text, const std::string& path);

}  // namespace inspectsim::compare
