#include "glue.hpp"

#include <Rinternals.h>

#include <algorithm>
#include <charconv>
#include <cmath>

#include "inspectsim/base/csv.hpp"

namespace inspectsim::r {

namespace {

enum class Kind { logical, number, text };

bool is_logical(const std::string& s) { return s == "true" || s == "false" || s == "yes" || s == "no"; }

bool is_number(const std::string& s, double& value) {
  const char* end = s.data() + s.size();
  const auto [ptr, ec] = std::from_chars(s.data(), end, value);
  return ec == std::errc() && ptr == end;
}

}  // namespace

Rcpp::List frame_from_csv(const std::string& csv, const std::vector<std::string>& text_columns) {
  const std::vector<base::CsvRecord> records = base::parse_csv(csv, "result");
  if (records.empty()) return Rcpp::List();
  const std::vector<std::string>& header = records.front().fields;
  const std::size_t rows = records.size() - 1;
  Rcpp::List columns(header.size());
  for (std::size_t c = 0; c < header.size(); ++c) {
    auto cell = [&](std::size_t r) -> const std::string& {
      static const std::string empty;
      const auto& fields = records[r + 1].fields;
      return c < fields.size() ? fields[c] : empty;
    };
    bool logical = true, number = true, any = false;
    for (std::size_t r = 0; r < rows; ++r) {
      const std::string& s = cell(r);
      if (s.empty()) continue;
      any = true;
      double v = 0;
      logical = logical && is_logical(s);
      number = number && is_number(s, v);
    }
    const bool text = std::find(text_columns.begin(), text_columns.end(), header[c]) != text_columns.end();
    // A column with no value at all is NA (logical, as R's NA is).
    const Kind kind = text                ? Kind::text
                      : (logical || !any) ? Kind::logical
                      : number            ? Kind::number
                                          : Kind::text;
    switch (kind) {
      case Kind::logical: {
        Rcpp::LogicalVector v(rows);
        for (std::size_t r = 0; r < rows; ++r) {
          const std::string& s = cell(r);
          v[r] = s.empty() ? NA_LOGICAL : (s == "true" || s == "yes");
        }
        columns[c] = v;
        break;
      }
      case Kind::number: {
        Rcpp::NumericVector v(rows);
        for (std::size_t r = 0; r < rows; ++r) {
          double x = NA_REAL;
          if (!cell(r).empty()) is_number(cell(r), x);
          v[r] = x;
        }
        columns[c] = v;
        break;
      }
      case Kind::text: {
        Rcpp::CharacterVector v(rows);
        for (std::size_t r = 0; r < rows; ++r)
          v[r] = cell(r).empty() ? Rcpp::String(NA_STRING) : Rcpp::String(cell(r), CE_UTF8);
        columns[c] = v;
        break;
      }
    }
  }
  columns.attr("names") = Rcpp::wrap(header);
  columns.attr("class") = "data.frame";
  columns.attr("row.names") = Rcpp::IntegerVector::create(NA_INTEGER, -static_cast<int>(rows));
  return columns;
}

std::string argument_name(std::string_view field) {
  if (field == "thresholds") return "threshold";
  return std::string(field);
}

std::optional<std::int64_t> optional_whole(double value) {
  if (std::isnan(value)) return std::nullopt;
  return static_cast<std::int64_t>(value);
}

base::Budget budget(double max_work, double max_memory) {
  const auto given = [](double v) { return std::isnan(v) ? std::nullopt : std::optional<double>(v); };
  return base::make_budget(given(max_work), given(max_memory));
}

std::optional<std::uint64_t> parse_seed(const std::string& text) {
  if (text.empty()) return std::nullopt;
  return std::stoull(text);
}

Rcpp::List error_list(const char* kind, const std::string& message, const std::string& field,
                      const std::vector<std::string>& problems) {
  return Rcpp::List::create(
      Rcpp::Named("error") =
          Rcpp::List::create(Rcpp::Named("kind") = kind, Rcpp::Named("message") = message,
                             Rcpp::Named("field") = field, Rcpp::Named("problems") = Rcpp::wrap(problems)));
}

namespace {

struct ProgressCall {
  SEXP function;
  double done;
  double total;
};

// Runs inside R_ToplevelExec: an error in the R callback or an interrupt returns there.
void call_progress(void* data) {
  const auto* call = static_cast<const ProgressCall*>(data);
  if (call->function != R_NilValue) {
    SEXP done = PROTECT(Rf_ScalarReal(call->done));
    SEXP total = PROTECT(Rf_ScalarReal(call->total));
    SEXP expr = PROTECT(Rf_lang3(call->function, done, total));
    Rf_eval(expr, R_GlobalEnv);
    UNPROTECT(3);
  }
  R_CheckUserInterrupt();
}

}  // namespace

RunControl::RunControl(unsigned threads, SEXP progress) : progress_(progress) {
  options_.threads = threads;
  options_.cancel = &cancel_;
  // The engine calls this from the calling thread (R's), now and then.
  options_.progress = [this](std::uint64_t done, std::uint64_t total) {
    if (cancel_.load()) return;
    ProgressCall call{progress_, static_cast<double>(done), static_cast<double>(total)};
    if (!R_ToplevelExec(call_progress, &call)) cancel_.store(true);
  };
}

}  // namespace inspectsim::r

// For R/plan.R, which splits a plan's CSV into the answer and the table around it.
// [[Rcpp::export(.csv_frame)]]
Rcpp::List csv_frame_glue(std::string csv, std::vector<std::string> text_columns) {
  return inspectsim::r::guarded([&] { return inspectsim::r::frame_from_csv(csv, text_columns); });
}
