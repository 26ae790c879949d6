// compare(): a results table (a CSV file or a data frame) through compare::run; and
// scenario_from_results(): the same table written as a scenario (compare::scenario_from_results).
#include <cmath>
#include <optional>
#include <string>
#include <vector>

#include "glue.hpp"
#include "inspectsim/base/blocks.hpp"
#include "inspectsim/base/io.hpp"
#include "inspectsim/base/text.hpp"
#include "inspectsim/compare/compare.hpp"
#include "inspectsim/compare/cost.hpp"
#include "inspectsim/compare/report.hpp"
#include "inspectsim/compare/scenario.hpp"
#include "inspectsim/compare/writers.hpp"
#include "inspectsim/output/table.hpp"
#include "inspectsim/stats/hierarchical.hpp"

using namespace inspectsim;

namespace {

// A data frame's column as CSV cells: numbers as the shortest text that reads back as the same
// double (base::format_number), logicals as true/false, NA as an empty cell.
std::vector<std::string> column_cells(SEXP column) {
  const R_xlen_t n = Rf_xlength(column);
  std::vector<std::string> out(static_cast<std::size_t>(n));
  for (R_xlen_t i = 0; i < n; ++i) {
    std::string& cell = out[static_cast<std::size_t>(i)];
    switch (TYPEOF(column)) {
      case REALSXP:
        if (!ISNA(REAL(column)[i])) cell = base::format_number(REAL(column)[i]);
        break;
      case INTSXP:
        if (INTEGER(column)[i] != NA_INTEGER) cell = std::to_string(INTEGER(column)[i]);
        break;
      case LGLSXP:
        if (LOGICAL(column)[i] != NA_LOGICAL) cell = LOGICAL(column)[i] ? "true" : "false";
        break;
      default:  // STRSXP (R/compare.R turns factors and other columns into text first)
        if (STRING_ELT(column, i) != NA_STRING) cell = Rf_translateCharUTF8(STRING_ELT(column, i));
    }
  }
  return out;
}

// The results table: `text` is the CSV (read from `path` when `is_path`, and left holding what was
// read); `path` names it in messages and provenance.
compare::ResultsTable read_results(std::string& text, const std::string& path, bool is_path) {
  if (is_path) text = base::read_text_file(path);
  return compare::parse_results_csv(text, path);
}

}  // namespace

// The data frame as the CSV text compare reads (the library's CSV writer quotes per RFC 4180).
// [[Rcpp::export(.frame_csv)]]
std::string frame_csv(Rcpp::List frame) {
  output::Table t;
  t.header = Rcpp::as<std::vector<std::string>>(frame.names());
  std::vector<std::vector<std::string>> columns;
  for (R_xlen_t c = 0; c < frame.size(); ++c) columns.push_back(column_cells(frame[c]));
  const std::size_t rows = columns.empty() ? 0 : columns.front().size();
  for (std::size_t r = 0; r < rows; ++r) {
    std::vector<std::string> row;
    for (const auto& column : columns) row.push_back(column[r]);
    t.add_row(std::move(row));
  }
  return output::render_csv(t);
}

// `text` is the CSV (read from `path` when `is_path`); `path` names it in messages and provenance.
// [[Rcpp::export(.compare)]]
Rcpp::List compare_glue(std::string text, std::string path, bool is_path, std::string method,
                        std::string diff_method, double confidence, std::vector<double> levels,
                        std::string overdispersion, bool pairs, std::string group_by,
                        std::string rank_posterior, std::string rank_intervals, std::string shrinkage,
                        std::string hyperprior, std::vector<double> thresholds, std::string seed,
                        double draws, std::vector<std::string> categories,
                        std::vector<std::string> inspections, double threads, SEXP progress, double max_work,
                        double max_memory) {
  return r::guarded([&] {
    compare::CompareRequest req;
    req.method = stats::parse_method(method);
    req.diff_method = stats::parse_diff_method(diff_method);
    req.confidence = confidence;
    req.levels = levels;
    req.overdispersion = stats::parse_overdispersion(overdispersion);
    req.pairs = pairs;
    req.group_by = compare::parse_group_by(group_by);
    // "" leaves the rank posterior to the shrinkage (hierarchical ranks for hierarchical shrinkage).
    if (!rank_posterior.empty()) req.rank_posterior = compare::parse_rank_posterior(rank_posterior);
    req.rank_intervals = compare::parse_rank_intervals(rank_intervals);
    req.shrinkage = compare::parse_shrinkage(shrinkage);
    req.hyperprior = stats::parse_hyperprior(hyperprior);
    req.thresholds = thresholds;
    if (const auto s = r::parse_seed(seed)) req.seed = *s;
    if (const auto d = r::optional_whole(draws)) req.draws = *d;
    req.categories = categories;
    req.inspections = inspections;
    compare::ResultsTable table = read_results(text, path, is_path);
    req.input_path = path;
    req.input_sha256 = base::sha256_hex(text);
    const r::RunControl control(static_cast<unsigned>(r::optional_whole(threads).value_or(0)), progress);
    req.threads = control.options().threads;
    base::check_budget(compare::comparison_cost(table, req), r::budget(max_work, max_memory), path);
    auto* c = new compare::Comparison(compare::run(std::move(table), req, control.options()));
    Rcpp::XPtr<compare::Comparison> result(c, true);
    auto section = [&](compare::CsvSection s) {
      return r::frame_from_csv(compare::render_comparison(*c, output::Format::csv, s),
                               {"group_inspection", "group_category", "force", "inspection", "category",
                                "source", "method", "note", "rate_of", "a", "b", "from", "to", "verdict",
                                "scope", "weights", "overdispersion", "ranks_from", "rank_intervals"});
    };
    return Rcpp::List::create(Rcpp::Named("rows") = section(compare::CsvSection::rows),
                              Rcpp::Named("pairs") = section(compare::CsvSection::pairs),
                              Rcpp::Named("changes") = section(compare::CsvSection::changes),
                              Rcpp::Named("totals") = section(compare::CsvSection::totals),
                              Rcpp::Named("groups") = section(compare::CsvSection::groups),
                              Rcpp::Named("json") = compare::render_comparison(*c, output::Format::json),
                              Rcpp::Named("text") = compare::render_comparison(*c, output::Format::table),
                              Rcpp::Named("result") = result);
  });
}

// [[Rcpp::export(.compare_report)]]
Rcpp::List compare_report_glue(SEXP result, std::string path) {
  return r::write_report<compare::Comparison>(result, path, "compare", compare::render_comparison_report);
}

// The results (as .compare takes them) as a scenario's TOML text. `grade_names` and `grade_uppers`
// are the bands in order (NA: no upper bound); `sample`, `replicates` NA and `seed` "": the defaults.
// [[Rcpp::export(.scenario_from_results)]]
Rcpp::List scenario_from_results_glue(std::string text, std::string path, bool is_path, std::string truth,
                                      double sample, std::vector<std::string> grade_names,
                                      std::vector<double> grade_uppers, std::string hyperprior,
                                      std::string seed, double replicates) {
  return r::guarded([&] {
    compare::ScenarioRequest req;
    req.truth = base::parse_name<compare::TruthFrom>(base::field("truth"), truth);
    req.sample = r::optional_whole(sample);
    for (std::size_t i = 0; i < grade_names.size(); ++i) {
      compare::GradeBand& band = req.grades.emplace_back(compare::GradeBand{grade_names[i], std::nullopt});
      if (!std::isnan(grade_uppers[i])) band.upper = grade_uppers[i];
    }
    req.hyperprior = stats::parse_hyperprior(hyperprior);
    if (const auto s = r::parse_seed(seed)) req.seed = *s;
    if (const auto n = r::optional_whole(replicates)) req.replicates = *n;
    const compare::ResultsTable table = read_results(text, path, is_path);
    if (is_path) req.source_sha256 = base::sha256_hex(text);  // a data frame is no file to name
    return Rcpp::String(compare::scenario_from_results(table, req), CE_UTF8);
  });
}
