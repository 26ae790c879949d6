// The R front end's glue: what every command's binding shares. It converts (R values to library
// requests, the library's CSV text to data frames), calls the library and converts back; it holds no
// statistics. Errors never cross into R as C++ exceptions or longjmps: guarded() turns them into a
// list that R/conditions.R raises as an R condition.
#pragma once

#include <Rcpp.h>

#include <atomic>
#include <optional>
#include <string>
#include <vector>

#include "inspectsim/base/budget.hpp"
#include "inspectsim/base/error.hpp"
#include "inspectsim/base/io.hpp"
#include "inspectsim/simulate/simulate.hpp"

namespace inspectsim::r {

// A data frame from CSV text written by one of the library's CSV writers. A column holds numbers
// when every non-empty cell is one (read with std::from_chars, which gives back exactly the double
// the writer printed with base::format_number), logicals when every non-empty cell is true/false or
// yes/no, and text otherwise or when its name is in `text_columns`. An empty cell is NA.
Rcpp::List frame_from_csv(const std::string& csv, const std::vector<std::string>& text_columns = {});

// The R argument that sets the library's field `field` (the fields are the request members;
// R names its arguments after them).
std::string argument_name(std::string_view field);

// An optional whole number passed from R as a double (NA: absent). R/conditions.R has already
// checked that it is whole and in range.
std::optional<std::int64_t> optional_whole(double value);

// The budget a run must fit, from the max_work and max_memory arguments (NA: the default).
base::Budget budget(double max_work, double max_memory);

// A seed passed from R as text ("": absent): seeds go up to 2^63 - 1, beyond the doubles that
// hold whole numbers exactly. R/conditions.R (check_seed) has checked it.
std::optional<std::uint64_t> parse_seed(const std::string& text);

// Runs `f` and returns list(value = f()) or list(error = list(kind, message, field, problems)),
// where kind is "input" (base::InputError), "interrupted" (base::Interrupted) or "internal".
template <class F>
Rcpp::List guarded(F&& f);

// RunOptions for a long run: `threads` (0: all cores), and a progress callback that calls the R
// function `progress` (or nothing when it is NULL) with (blocks done, blocks) and checks for a
// user interrupt, both inside R_ToplevelExec so that no R error or interrupt longjmps across the
// library's frames; an interrupt sets the run's cancel flag, and the engine stops with Interrupted.
class RunControl {
 public:
  RunControl(unsigned threads, SEXP progress);
  const simulate::RunOptions& options() const { return options_; }

 private:
  std::atomic<bool> cancel_{false};
  SEXP progress_;
  simulate::RunOptions options_;
};

// Writes the HTML report of the result behind the external pointer `result` (made by `command`,
// "compare" or "simulate") to `path`, atomically; `render` draws it. A pointer that was saved and
// loaded again (saveRDS) is null: InputError.
template <class Result, class Render>
Rcpp::List write_report(SEXP result, const std::string& path, const char* command, Render render);

Rcpp::List error_list(const char* kind, const std::string& message, const std::string& field,
                      const std::vector<std::string>& problems);

template <class F>
Rcpp::List guarded(F&& f) {
  try {
    return Rcpp::List::create(Rcpp::Named("value") = f());
  } catch (const base::InputErrors& e) {
    return error_list("input", e.what(), e.field(), e.problems());
  } catch (const base::InputError& e) {
    return error_list("input", e.spelled(argument_name), e.field(), {});
  } catch (const base::Interrupted& e) {
    return error_list("interrupted", e.what(), "", {});
  } catch (const std::bad_alloc&) {
    return error_list("internal", "out of memory", "", {});
  } catch (const std::exception& e) {
    return error_list("internal", e.what(), "", {});
  }
}

template <class Result, class Render>
Rcpp::List write_report(SEXP result, const std::string& path, const char* command, Render render) {
  return guarded([&] {
    Rcpp::XPtr<Result> r(result);
    if (r.get() == nullptr)
      throw base::InputError(
          std::string("this result of ") + command +
          "() was saved and loaded again, which keeps its tables but not the result behind "
          "its report; run " +
          command + "() again");
    base::write_files_atomically({{path, render(*r)}});
    return path;
  });
}

}  // namespace inspectsim::r
