// inspectsim._inspectsim: the pybind11 layer under the Python package (sim/python/inspectsim).
// Thin on purpose: it converts Python values into the library's requests, calls the library with
// the GIL released, and hands back the library's own result objects, whose writers (JSON, CSV,
// HTML report) the Python side reads. No statistics here, and no names of command-line flags:
// errors carry the library's field names, spelled as the Python keywords.
#include <pybind11/functional.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "inspectsim/assess/assess.hpp"
#include "inspectsim/assess/writers.hpp"
#include "inspectsim/base/budget.hpp"
#include "inspectsim/base/error.hpp"
#include "inspectsim/base/io.hpp"
#include "inspectsim/base/version.hpp"
#include "inspectsim/compare/compare.hpp"
#include "inspectsim/compare/cost.hpp"
#include "inspectsim/compare/report.hpp"
#include "inspectsim/compare/scenario.hpp"
#include "inspectsim/compare/writers.hpp"
#include "inspectsim/plan/cost.hpp"
#include "inspectsim/plan/plan.hpp"
#include "inspectsim/plan/writers.hpp"
#include "inspectsim/simulate/cost.hpp"
#include "inspectsim/simulate/report.hpp"
#include "inspectsim/simulate/scenario.hpp"
#include "inspectsim/simulate/simulate.hpp"
#include "inspectsim/simulate/writers.hpp"
#include "inspectsim/stats/hierarchical.hpp"

namespace py = pybind11;
using namespace inspectsim;

namespace {

// The Python keyword for a library field: the same name, except where Python cannot take it
// (`from` is a keyword) or the function takes it under its singular (`threshold=`).
std::string python_name(std::string_view field) {
  if (field == "from") return "from_";
  if (field == "thresholds") return "threshold";
  return std::string(field);
}

// RunOptions for a long run called with the GIL released. Every progress report (from the calling
// thread, about every 100 ms) takes the GIL back, lets Python run its signal handlers (Ctrl-C raises
// KeyboardInterrupt there) and calls the Python progress function; a KeyboardInterrupt from either
// sets the cancel flag, and the engine then stops between blocks and throws base::Interrupted.
class Run {
 public:
  Run(std::optional<unsigned> threads, py::object progress) : progress_(std::move(progress)) {
    options.threads = threads.value_or(0);
    options.cancel = &cancel_;
    options.progress = [this](std::uint64_t done, std::uint64_t total) { report(done, total); };
  }
  simulate::RunOptions options;

 private:
  void report(std::uint64_t done, std::uint64_t total) {
    py::gil_scoped_acquire gil;
    if (PyErr_CheckSignals() != 0) {
      PyErr_Clear();  // the KeyboardInterrupt comes back as base::Interrupted
      cancel_ = true;
      return;
    }
    if (progress_.is_none()) return;
    try {
      progress_(done, total);
    } catch (py::error_already_set& e) {
      if (!e.matches(PyExc_KeyboardInterrupt)) throw;
      cancel_ = true;
    }
  }
  std::atomic<bool> cancel_{false};
  py::object progress_;
};

// Published results, as compare takes them: CSV text named `name` in messages, or a file's path.
// Returns the text and the name the table gives its rows (the path, for a file).
std::pair<std::string, std::string> results_text(const std::string& source, bool is_text,
                                                 const std::string& name) {
  return is_text ? std::pair{source, name} : std::pair{base::read_text_file(source), source};
}

simulate::SimulationSpec scenario(const std::string& source, bool is_text, const std::string& name) {
  return is_text ? simulate::parse_scenario(source, name) : simulate::load_scenario(source);
}

// Each result's writer, under one name, so that every kind is bound the same way.
std::string render(const assess::Assessment& r, output::Format f) { return assess::render_assessment(r, f); }
std::string render(const compare::Comparison& r, output::Format f) {
  return compare::render_comparison(r, f);
}
std::string render(const simulate::SimulationResult& r, output::Format f) {
  return simulate::render_simulation(r, f);
}
std::string render(const plan::ClaimResult& r, output::Format f) { return plan::render_claim(r, f); }
std::string render(const plan::PrecisionResult& r, output::Format f) { return plan::render_precision(r, f); }
std::string render(const plan::DetectResult& r, output::Format f) { return plan::render_detect(r, f); }
std::string render(const plan::ScenarioPlan& r, output::Format f) { return plan::render_scenario_plan(r, f); }

template <class Result>
py::class_<Result> bind_result(py::module_& m, const char* name, bool plain_csv = true) {
  py::class_<Result> c(m, name);
  c.def(
      "json", [](const Result& r) { return render(r, output::Format::json); },
      "The result as the CLI's --format json writes it.");
  if (plain_csv)
    c.def(
        "csv", [](const Result& r) { return render(r, output::Format::csv); },
        "The result as the CLI's --format csv writes it.");
  return c;
}

}  // namespace

PYBIND11_MODULE(_inspectsim, m) {
  m.doc() = "inspectsim's C++ library, as the Python package inspectsim uses it (see inspectsim.__doc__).";

  // Errors: base::InputError -> inspectsim.InputError (a ValueError) with the message spelled with
  // Python's keywords and the field it is about; base::Interrupted -> KeyboardInterrupt.
  // Never destroyed: a static Python object must not outlive the interpreter's teardown.
  static auto& input_error = *new py::exception<base::InputError>(m, "InputError", PyExc_ValueError);
  // An instance of inspectsim.InputError (py::exception's own call operator sets the error instead).
  static auto make_error = [](const std::string& message) {
    return py::reinterpret_borrow<py::object>(input_error.ptr())(message);
  };
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const base::Interrupted&) {
      PyErr_SetNone(PyExc_KeyboardInterrupt);
    } catch (const base::InputErrors& e) {
      py::object err = make_error(e.what());
      err.attr("field") = py::none();
      err.attr("problems") = py::cast(e.problems());
      PyErr_SetObject(input_error.ptr(), err.ptr());
    } catch (const base::InputError& e) {
      const std::string message = e.spelled(python_name);
      py::object err = make_error(message);
      const std::string field = e.field();
      err.attr("field") = field.empty() ? py::object(py::none()) : py::object(py::str(python_name(field)));
      err.attr("problems") = py::make_tuple(message);
      PyErr_SetObject(input_error.ptr(), err.ptr());
    }
  });

  m.def("version", [] { return base::version(); });
  // Written whole to a temporary file, then renamed (as the CLI's --report).
  m.def(
      "write_file",
      [](const std::string& path, const std::string& text) {
        py::gil_scoped_release release;
        base::write_file_atomically(path, text);
      },
      py::arg("path"), py::arg("text"));

  // ---- assess
  bind_result<assess::Assessment>(m, "Assessment");
  m.def(
      "assess",
      [](const std::vector<std::int64_t>& xs, const std::vector<std::int64_t>& ns,
         const std::vector<std::optional<std::int64_t>>& populations, const std::string& methods,
         double confidence, const std::string& side, std::optional<std::string> prior_name,
         std::optional<std::pair<double, double>> prior_ab, const std::vector<double>& thresholds) {
        assess::AssessRequest req;
        req.methods = stats::parse_methods(methods);
        req.confidence = confidence;
        req.side = stats::parse_side(side);
        if (prior_name) req.prior = stats::parse_prior(*prior_name);
        if (prior_ab) req.prior = {prior_ab->first, prior_ab->second};
        req.thresholds = thresholds;
        std::vector<assess::Assessment> out;
        out.reserve(xs.size());
        py::gil_scoped_release release;
        for (std::size_t i = 0; i < xs.size(); ++i) {
          req.x = xs[i];
          req.n = ns[i];
          req.population = populations[i];
          out.push_back(assess::run(req));
        }
        return out;
      },
      py::arg("x"), py::arg("n"), py::arg("population"), py::arg("methods"), py::arg("confidence"),
      py::arg("side"), py::arg("prior_name"), py::arg("prior_ab"), py::arg("thresholds"));

  // ---- compare
  bind_result<compare::Comparison>(m, "Comparison", false)
      .def(
          "csv",
          [](const compare::Comparison& c, const std::string& section) {
            return compare::render_comparison(c, output::Format::csv, compare::parse_csv_section(section));
          },
          py::arg("section"))
      .def("report", [](const compare::Comparison& c) { return compare::render_comparison_report(c); });
  m.def(
      "compare",
      [](const std::string& source, bool is_text, const std::string& name, const std::string& method,
         const std::string& diff_method, double confidence, const std::vector<double>& levels,
         const std::string& overdispersion, bool pairs, const std::string& group_by,
         const std::optional<std::string>& rank_posterior, const std::string& rank_intervals,
         const std::string& shrinkage, const std::string& hyperprior, const std::vector<double>& thresholds,
         std::uint64_t seed, std::int64_t draws, const std::vector<std::string>& categories,
         const std::vector<std::string>& inspections, std::optional<unsigned> threads, py::object progress,
         std::optional<double> max_work, std::optional<double> max_memory) {
        Run run(threads, std::move(progress));
        compare::CompareRequest req;
        req.method = stats::parse_method(method);
        req.diff_method = stats::parse_diff_method(diff_method);
        req.confidence = confidence;
        req.levels = levels;
        req.overdispersion = stats::parse_overdispersion(overdispersion);
        req.pairs = pairs;
        req.group_by = compare::parse_group_by(group_by);
        if (rank_posterior) req.rank_posterior = compare::parse_rank_posterior(*rank_posterior);
        req.rank_intervals = compare::parse_rank_intervals(rank_intervals);
        req.shrinkage = compare::parse_shrinkage(shrinkage);
        req.hyperprior = stats::parse_hyperprior(hyperprior);
        req.thresholds = thresholds;
        req.seed = seed;
        req.draws = draws;
        req.categories = categories;
        req.inspections = inspections;
        req.threads = run.options.threads;
        py::gil_scoped_release release;
        const auto [text, path] = results_text(source, is_text, name);
        req.input_path = path;
        req.input_sha256 = base::sha256_hex(text);
        compare::ResultsTable table = compare::parse_results_csv(text, req.input_path);
        base::check_budget(compare::comparison_cost(table, req), base::make_budget(max_work, max_memory),
                           req.input_path);
        return compare::run(std::move(table), req, run.options);
      },
      py::arg("source"), py::arg("is_text"), py::arg("name"), py::arg("method"), py::arg("diff_method"),
      py::arg("confidence"), py::arg("levels"), py::arg("overdispersion"), py::arg("pairs"),
      py::arg("group_by"), py::arg("rank_posterior"), py::arg("rank_intervals"), py::arg("shrinkage"),
      py::arg("hyperprior"), py::arg("thresholds"), py::arg("seed"), py::arg("draws"), py::arg("categories"),
      py::arg("inspections"), py::arg("threads"), py::arg("progress"), py::arg("max_work"),
      py::arg("max_memory"));

  // ---- the results as a scenario (compare::scenario_from_results; simulate --from-results)
  m.def(
      "scenario_from_results",
      [](const std::string& source, bool is_text, const std::string& name, const std::string& truth,
         std::optional<std::int64_t> sample,
         const std::vector<std::pair<std::string, std::optional<double>>>& grades,
         const std::string& hyperprior, std::optional<std::uint64_t> seed,
         std::optional<std::int64_t> replicates) {
        compare::ScenarioRequest req;
        req.truth = base::parse_name<compare::TruthFrom>(base::field("truth"), truth);
        req.sample = sample;
        for (const auto& [band, upper] : grades) req.grades.push_back({band, upper});
        req.hyperprior = stats::parse_hyperprior(hyperprior);
        if (seed) req.seed = *seed;
        if (replicates) req.replicates = *replicates;
        py::gil_scoped_release release;
        const auto [text, path] = results_text(source, is_text, name);
        if (!is_text) req.source_sha256 = base::sha256_hex(text);  // text or a DataFrame is no file to name
        return compare::scenario_from_results(compare::parse_results_csv(text, path), req);
      },
      py::arg("source"), py::arg("is_text"), py::arg("name"), py::arg("truth"), py::arg("sample"),
      py::arg("grades"), py::arg("hyperprior"), py::arg("seed"), py::arg("replicates"));

  // ---- simulate
  bind_result<simulate::SimulationResult>(m, "SimulationResult", false)
      .def(
          "csv",
          [](const simulate::SimulationResult& r, const std::string& section) {
            return simulate::render_simulation(
                r, output::Format::csv,
                base::parse_name<simulate::CsvSection>(base::field("section"), section));
          },
          py::arg("section"))
      .def("report",
           [](const simulate::SimulationResult& r) { return simulate::render_simulation_report(r); })
      .def("provenance", [](const simulate::SimulationResult& r) {
        py::dict d;
        d["version"] = r.version;
        d["seed"] = r.spec.seed;
        d["replicates"] = r.spec.replicates;
        d["scenario"] = r.spec.source_path;
        d["sha256"] = r.spec.source_sha256;
        return d;
      });
  m.def(
      "simulate",
      [](const std::string& source, bool is_text, const std::string& name,
         std::optional<std::int64_t> replicates, std::optional<std::uint64_t> seed,
         std::optional<unsigned> threads, py::object progress, std::optional<double> max_work,
         std::optional<double> max_memory, const std::string& checkpoint, double checkpoint_interval) {
        Run run(threads, std::move(progress));
        py::gil_scoped_release release;
        simulate::SimulationSpec spec = scenario(source, is_text, name);
        if (replicates) spec.replicates = *replicates;
        if (seed) spec.seed = *seed;
        base::check_budget(simulate::simulation_cost(spec, run.options.threads),
                           base::make_budget(max_work, max_memory), spec.source_path);
        const simulate::Checkpoint keep{checkpoint, checkpoint_interval, ""};
        simulate::SimulationResult result = simulate::run(spec, run.options, keep);
        // The result is now Python's: the checkpoint is of no more use.
        simulate::remove_checkpoint(keep);
        return result;
      },
      py::arg("source"), py::arg("is_text"), py::arg("name"), py::arg("replicates"), py::arg("seed"),
      py::arg("threads"), py::arg("progress"), py::arg("max_work"), py::arg("max_memory"),
      py::arg("checkpoint"), py::arg("checkpoint_interval"));

  // ---- plan
  bind_result<plan::ClaimResult>(m, "ClaimResult");
  m.def(
      "plan_claim",
      [](std::optional<double> tolerable, std::int64_t allowed_errors, std::optional<std::int64_t> n,
         double confidence, std::optional<std::int64_t> population) {
        plan::ClaimRequest q;
        q.tolerable = tolerable;
        q.allowed_errors = allowed_errors;
        q.n = n;
        q.confidence = confidence;
        q.population = population;
        py::gil_scoped_release release;
        return plan::plan_claim(q);
      },
      py::arg("tolerable"), py::arg("allowed_errors"), py::arg("n"), py::arg("confidence"),
      py::arg("population"));

  bind_result<plan::PrecisionResult>(m, "PrecisionResult");
  m.def(
      "plan_precision",
      [](double rate, double margin, const std::string& method, double confidence,
         std::optional<std::int64_t> population, const std::string& criterion, double assurance,
         std::optional<std::int64_t> work_limit) {
        plan::PrecisionRequest q;
        q.rate = rate;
        q.margin = margin;
        if (method == "hypergeometric")
          q.method.reset();
        else
          q.method = stats::parse_method(method);
        q.confidence = confidence;
        q.population = population;
        q.criterion = plan::parse_criterion(criterion);
        q.assurance = assurance;
        q.work_limit = work_limit;
        py::gil_scoped_release release;
        return plan::plan_precision(q);
      },
      py::arg("rate"), py::arg("margin"), py::arg("method"), py::arg("confidence"), py::arg("population"),
      py::arg("criterion"), py::arg("assurance"), py::arg("work_limit"));

  bind_result<plan::DetectResult>(m, "DetectResult");
  m.def(
      "plan_detect",
      [](double from, double to, double power, double alpha, const std::string& test, double ratio,
         std::optional<std::int64_t> n, std::optional<std::int64_t> work_limit) {
        plan::DetectRequest q;
        q.from = from;
        q.to = to;
        q.power = power;
        q.alpha = alpha;
        q.test = plan::parse_detect_test(test);
        q.ratio = ratio;
        q.n = n;
        q.work_limit = work_limit;
        py::gil_scoped_release release;
        return plan::plan_detect(q);
      },
      py::arg("from_"), py::arg("to"), py::arg("power"), py::arg("alpha"), py::arg("test"), py::arg("ratio"),
      py::arg("n"), py::arg("work_limit"));

  bind_result<plan::ScenarioPlan>(m, "ScenarioPlan");
  m.def(
      "plan_scenario",
      [](const std::string& source, bool is_text, const std::string& name, const std::string& cell,
         const std::string& target, std::int64_t replicates, std::optional<std::uint64_t> seed,
         std::optional<unsigned> threads, py::object progress, std::optional<double> max_work,
         std::optional<double> max_memory) {
        const plan::ScenarioTarget t = plan::parse_scenario_target(target);
        Run run(threads, std::move(progress));
        py::gil_scoped_release release;
        simulate::SimulationSpec spec = scenario(source, is_text, name);
        spec.replicates = replicates;
        if (seed) spec.seed = *seed;
        base::check_budget(plan::scenario_plan_cost(spec, cell, run.options.threads),
                           base::make_budget(max_work, max_memory), spec.source_path);
        return plan::plan_scenario(spec, cell, t, run.options);
      },
      py::arg("source"), py::arg("is_text"), py::arg("name"), py::arg("cell"), py::arg("target"),
      py::arg("replicates"), py::arg("seed"), py::arg("threads"), py::arg("progress"), py::arg("max_work"),
      py::arg("max_memory"));
}
