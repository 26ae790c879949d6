// What the long-running subcommands (simulate, plan scenario, compare) share while the library's
// block runner works: a progress bar with an ETA, and Ctrl-C turned into a clean stop.
#pragma once

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdint>
#include <string>

namespace inspectsim::cli {

// Set by SIGINT or SIGTERM; the engine polls it through RunOptions::cancel (or Monitor::cancel) and
// stops with Interrupted (after saving its checkpoint, when it keeps one).
extern std::atomic<bool> cancel_requested;
// The signal that set it, for the exit code (128 + the signal, as a shell reports a signalled exit).
extern std::atomic<int> cancel_signal;

// Installs the SIGINT and SIGTERM handlers for the duration of a run (Ctrl-C, a batch scheduler's
// pre-emption) and restores the previous ones after.
class SigintGuard {
 public:
  SigintGuard();
  ~SigintGuard();
  SigintGuard(const SigintGuard&) = delete;
  SigintGuard& operator=(const SigintGuard&) = delete;

 private:
  struct sigaction previous_int_ {};
  struct sigaction previous_term_ {};
};

// A progress bar with an ETA on stderr ("simulating [####....] 40%  ETA 12s"), shown only when
// stderr is a terminal and the run has already taken more than a second.
class ProgressBar {
 public:
  ProgressBar(bool enabled, std::string label);
  ~ProgressBar() { clear(); }
  ProgressBar(const ProgressBar&) = delete;
  ProgressBar& operator=(const ProgressBar&) = delete;

  void update(std::uint64_t done, std::uint64_t total);
  // Removes the bar so that messages and the shell prompt start on a clean line.
  void clear();

 private:
  using clock = std::chrono::steady_clock;
  bool enabled_;
  std::string label_;
  bool shown_ = false;
  clock::time_point start_ = clock::now();
  clock::time_point last_ = start_;
};

}  // namespace inspectsim::cli
