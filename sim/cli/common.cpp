#include "common.hpp"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <string>

#include "inspectsim/base/error.hpp"
#include "inspectsim/base/io.hpp"
#include "inspectsim/base/names.hpp"
#include "inspectsim/output/table.hpp"
#include "progress.hpp"

namespace inspectsim::cli {

namespace {
std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}
}  // namespace

std::string option_name(std::string_view field) {
  // The request members whose option has another name.
  static constexpr std::pair<std::string_view, std::string_view> renamed[] = {
      {"categories", "--category"},      {"inspections", "--inspection"}, {"group_by", "--group"},
      {"max_memory_mb", "--max-memory"}, {"thresholds", "--threshold"},
  };
  for (const auto& [name, option] : renamed)
    if (name == field) return std::string(option);
  std::string out = "--";
  for (const char c : field) out += c == '_' ? '-' : c;
  return out;
}

std::int64_t parse_integer(std::string_view what, std::string_view text, std::int64_t min, std::int64_t max) {
  const std::string_view t = trim(text);
  std::int64_t v = 0;
  const char* end = t.data() + t.size();
  const auto [ptr, ec] = std::from_chars(t.data() + (t.starts_with('+') ? 1 : 0), end, v);
  const std::string range = "a whole number from " + std::to_string(min) + " to " + std::to_string(max);
  if (t.empty() || ptr != end || ec == std::errc::invalid_argument)
    throw base::InputError(std::string(what) + " is '" + std::string(text) + "', but must be " + range);
  if (ec == std::errc::result_out_of_range || v < min || v > max)
    throw base::InputError(std::string(what) + " is " + std::string(t) + ", but must be " + range);
  return v;
}

double parse_real(std::string_view what, std::string_view text) {
  const std::string_view t = trim(text);
  double v = 0;
  const char* end = t.data() + t.size();
  const auto [ptr, ec] = std::from_chars(t.data() + (t.starts_with('+') ? 1 : 0), end, v);
  if (t.empty() || ptr != end || ec != std::errc() || !std::isfinite(v))
    throw base::InputError(std::string(what) + " is '" + std::string(text) +
                           "', but must be a finite number");
  return v;
}

double parse_open_unit(std::string_view what, std::string_view text) {
  const double v = parse_real(what, text);
  if (!(v > 0 && v < 1))
    throw base::InputError(std::string(what) + " is " + std::string(trim(text)) +
                           ", but must be strictly between 0 and 1");
  return v;
}

// ---- Ranks --------------------------------------------------------------------------------------

Ranks ranks;

namespace {
std::string arguments;  // every argument, each ended by '\0'
}  // namespace

bool lead_rank() { return ranks.team == nullptr || ranks.team->rank() == 0; }

unsigned run_threads(const std::optional<std::int64_t>& threads) {
  return threads ? static_cast<unsigned>(*threads) : ranks.default_threads;
}

base::Cost per_rank(base::Cost cost) {
  if (ranks.team != nullptr && ranks.team->size() > 1) {
    const int k = ranks.team->size();
    cost.work /= k;
    cost.detail += ", shared by " + std::to_string(k) + " ranks";
  }
  return cost;
}

void remember_arguments(int argc, char** argv) {
  arguments.clear();
  for (int i = 0; i < argc; ++i) {
    arguments += argv[i];
    arguments += '\0';
  }
}

void check_same_input(std::string_view input) {
  base::Team* team = ranks.team;
  if (team == nullptr || !team->open()) return;
  const base::Gathered all = team->exchange(base::sha256_hex(arguments + std::string(input)));
  for (std::size_t q = 1; q < all.size(); ++q)
    if (all[q] != all[0]) {
      team->close();
      throw base::InputError("rank " + std::to_string(q) +
                             " was started with other arguments or another input file than rank 0: every "
                             "rank must run the same command on the same files");
    }
}

void emit(std::string_view text, const std::string& path, std::vector<base::OutputFile> also) {
  // The work every rank shares is over: a rank that failed in it is heard now, before anything is
  // written. Then rank 0 alone writes.
  if (ranks.team != nullptr && ranks.team->open()) ranks.team->finish();
  if (!lead_rank()) return;
  const bool to_stdout = path.empty() || path == "-";
  if (!to_stdout) also.push_back({path, std::string(text)});
  base::write_files_atomically(also);
  if (!to_stdout) return;
  errno = 0;
  const std::size_t wrote = std::fwrite(text.data(), 1, text.size(), stdout);
  if (wrote != text.size() || std::fflush(stdout) != 0) {
    // With SIGPIPE ignored (as some parents leave it) a closed pipe shows up here, not as a signal.
    if (errno == EPIPE) throw BrokenPipe();
    throw base::InputError(std::string("cannot write to standard output: ") + std::strerror(errno));
  }
}

void add_budget_options(CLI::App& sub, BudgetOptions& target) {
  char work[32], memory[32];
  std::snprintf(work, sizeof work, "%g", target.defaults.max_work);
  std::snprintf(memory, sizeof memory, "%g", target.defaults.max_memory_mb);
  sub.add_option("--max-work", target.max_work,
                 "Refuse to start a run estimated to need more work than this (units of about 1 ns of "
                 "one core)")
      ->default_str(work);
  sub.add_option("--max-memory", target.max_memory,
                 "Refuse to start a run estimated to need more memory (MB)")
      ->default_str(memory);
}

base::Budget parse_budget(const BudgetOptions& options) {
  base::Budget b = options.defaults;
  auto positive = [](std::string_view what, const std::string& text) {
    const double v = parse_real(what, text);
    if (!(v > 0))
      throw base::InputError(std::string(what) + " is " + text + ", but must be a positive number");
    return v;
  };
  if (!options.max_work.empty()) b.max_work = positive("--max-work", options.max_work);
  if (!options.max_memory.empty()) b.max_memory_mb = positive("--max-memory", options.max_memory);
  return b;
}

void add_checkpoint_options(CLI::App& sub, CheckpointOptions& target, const std::string& progress) {
  sub.add_option(
      "--checkpoint", target.path,
      "Keep " + progress +
          " in this file (written atomically now and then, and on Ctrl-C or "
          "SIGTERM); the same command run again resumes from it, with the same results. Removed once "
          "the results are written");
  sub.add_option("--checkpoint-interval", target.interval,
                 "With --checkpoint: seconds between checkpoints (0: as often as there is progress)")
      ->default_str("60");
}

simulate::Checkpoint parse_checkpoint(const CheckpointOptions& options) {
  simulate::Checkpoint checkpoint;
  checkpoint.path = options.path;
  checkpoint.interval_seconds = parse_real("--checkpoint-interval", options.interval);
  if (options.path.empty() && options.interval != "60")
    throw base::InputError("--checkpoint-interval needs --checkpoint");
  return checkpoint;
}

void add_format_option(CLI::App& sub, std::string& target) {
  const std::vector<std::string_view> names = base::names_of<output::Format>();
  sub.add_option("--format", target, "Output format: table, csv or json")
      ->default_val("table")
      ->check(CLI::IsMember(std::vector<std::string>(names.begin(), names.end())));
}

void add_csv_raw_option(CLI::App& sub, bool& target) {
  sub.add_flag("--csv-raw", target,
               "With --format csv: write text cells as they are (by default one that begins with = + - @, "
               "which a spreadsheet would run as a formula, gets a leading ')");
}

// ---- Progress and interruption ---------------------------------------------------------------

std::atomic<bool> cancel_requested{false};
std::atomic<int> cancel_signal{SIGINT};
static_assert(std::atomic<bool>::is_always_lock_free, "the SIGINT handler needs a lock-free flag");

namespace {
extern "C" void on_sigint(int signal) {
  cancel_signal.store(signal);
  cancel_requested.store(true);
}

double seconds(std::chrono::steady_clock::duration d) { return std::chrono::duration<double>(d).count(); }

std::string duration_text(double s) {
  const long total = static_cast<long>(s + 0.5);
  if (total < 60) return std::to_string(total) + "s";
  return std::to_string(total / 60) + "m" + (total % 60 < 10 ? "0" : "") + std::to_string(total % 60) + "s";
}
}  // namespace

SigintGuard::SigintGuard() {
  cancel_requested.store(false);
  cancel_signal.store(SIGINT);
  struct sigaction action {};
  action.sa_handler = on_sigint;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, &previous_int_);
  sigaction(SIGTERM, &action, &previous_term_);
}

SigintGuard::~SigintGuard() {
  sigaction(SIGINT, &previous_int_, nullptr);
  sigaction(SIGTERM, &previous_term_, nullptr);
}

ProgressBar::ProgressBar(bool enabled, std::string label)
    : enabled_(enabled && isatty(STDERR_FILENO) == 1), label_(std::move(label)) {}

void ProgressBar::update(std::uint64_t done, std::uint64_t total) {
  if (!enabled_ || total == 0) return;
  const auto now = clock::now();
  const double elapsed = seconds(now - start_);
  if (elapsed < 1.0 || (shown_ && seconds(now - last_) < 0.1)) return;
  last_ = now;
  const double share = static_cast<double>(std::min(done, total)) / static_cast<double>(total);
  constexpr int width = 30;
  const int filled = static_cast<int>(share * width);
  std::string bar = "\r" + label_ + " [" + std::string(static_cast<std::size_t>(filled), '#') +
                    std::string(static_cast<std::size_t>(width - filled), '.') + "] " +
                    std::to_string(static_cast<int>(100 * share)) + "%";
  if (done > 0) bar += "  ETA " + duration_text(elapsed * (1 - share) / share);
  bar += "   ";
  std::fputs(bar.c_str(), stderr);
  std::fflush(stderr);
  shown_ = true;
}

void ProgressBar::clear() {
  if (!shown_) return;
  std::fputs(("\r" + std::string(60, ' ') + "\r").c_str(), stderr);
  std::fflush(stderr);
  shown_ = false;
}

}  // namespace inspectsim::cli
