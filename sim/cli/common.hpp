// Helpers shared by the subcommands: parsing values with messages that name the option, and
// writing results to stdout or to a file without leaving half-written output.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <CLI/CLI.hpp>

#include "cli.hpp"
#include "inspectsim/base/budget.hpp"
#include "inspectsim/base/io.hpp"
#include "inspectsim/output/table.hpp"
#include "inspectsim/simulate/simulate.hpp"

namespace inspectsim::cli {

// The option that sets the library's field `field`: "--" and the name with '_' as '-'
// (margin -> --margin, max_work -> --max-work), except where the option reads better in the
// singular (categories -> --category, repeatable). Every message the library throws names fields
// (base::field); the CLI prints them with this spelling.
std::string option_name(std::string_view field);

// A whole number from `text`, in [min, max]; InputError names `what` (an option or argument),
// the value and the allowed range.
std::int64_t parse_integer(std::string_view what, std::string_view text, std::int64_t min, std::int64_t max);
// A finite number; InputError names `what` and the value.
double parse_real(std::string_view what, std::string_view text);
// A number strictly between 0 and 1 (a confidence level, a rate, ...).
double parse_open_unit(std::string_view what, std::string_view text);

// Writes the result to `path`, or to stdout when path is empty or "-", with the run's other
// files (`also`: --report, charts). All files are written atomically together
// (write_files_atomically, io.hpp: a failure leaves every existing file untouched), then stdout.
// A failed write to stdout throws InputError (a full disk) or BrokenPipe (the reader has gone).
void emit(std::string_view text, const std::string& path = "", std::vector<base::OutputFile> also = {});

// The reader of standard output has gone (EPIPE with SIGPIPE ignored): run_cli exits 141
// quietly, as the shell reports a process killed by SIGPIPE.
struct BrokenPipe {};

// ---- Ranks (mpi.hpp) ----------------------------------------------------------------------------
// The run's ranks, set by run_cli: team is nullptr when this process runs alone.
extern Ranks ranks;
// This process prints and writes: it runs alone, or it is rank 0.
bool lead_rank();
// The worker threads of a run: --threads as given (0 when empty: all cores, or this rank's share
// of its node's cores).
unsigned run_threads(const std::optional<std::int64_t>& threads);
// Checks that every rank was started with the same arguments and the same `input` (a scenario's or
// a CSV's text): InputError, on every rank alike, naming the first rank that differs from rank 0.
void check_same_input(std::string_view input);
// A run's cost as one rank bears it: the work shared among the ranks (--max-work is per rank), the
// memory not (every rank holds the whole result).
base::Cost per_rank(base::Cost cost);
// The arguments check_same_input compares, kept by run_cli.
void remember_arguments(int argc, char** argv);

// --max-work UNITS and --max-memory MB as given (empty: the defaults).
struct BudgetOptions {
  base::Budget defaults;
  std::string max_work;
  std::string max_memory;
};
// Adds --max-work and --max-memory to a subcommand that estimates its cost before running.
void add_budget_options(CLI::App& sub, BudgetOptions& target);
// The budget the options give; InputError names the option for a value that is not a positive number.
base::Budget parse_budget(const BudgetOptions& options);

// --checkpoint PATH and --checkpoint-interval S as given (simulate, plan scenario).
struct CheckpointOptions {
  std::string path;
  std::string interval = "60";
};
// Adds both options; `progress` says what the checkpoint keeps ("the run's progress").
void add_checkpoint_options(CLI::App& sub, CheckpointOptions& target, const std::string& progress);
// The checkpoint the options give: InputError for an interval that is not a number, or one without
// --checkpoint.
simulate::Checkpoint parse_checkpoint(const CheckpointOptions& options);

// Adds `--format table|csv|json` to a subcommand, storing into `target`.
void add_format_option(CLI::App& sub, std::string& target);
// Adds `--csv-raw`: CSV text cells written as they are, without the leading ' that keeps a
// spreadsheet from running one beginning with = + - @ as a formula (output::CsvCells).
void add_csv_raw_option(CLI::App& sub, bool& target);
inline output::CsvCells csv_cells(bool raw) {
  return raw ? output::CsvCells::raw : output::CsvCells::guarded;
}

}  // namespace inspectsim::cli
