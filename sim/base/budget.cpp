#include "inspectsim/base/budget.hpp"

#include <cmath>
#include <cstdio>
#include <thread>

#include "inspectsim/base/check.hpp"

namespace inspectsim::base {

namespace {

// A round figure at or above v, with two significant digits: the value to suggest for a limit.
double round_up(double v) {
  if (!(v > 0)) return 1;
  const double scale = std::pow(10.0, std::floor(std::log10(v)) - 1);
  return std::ceil(v / scale) * scale;
}

std::string duration(double units) {
  const double seconds = units / 1e9;
  if (seconds < 1) return "under a second";
  if (seconds < 120) return cost_number(seconds, "%.0f") + " seconds";
  if (seconds < 7200) return cost_number(seconds / 60, "%.0f") + " minutes";
  if (seconds < 48 * 3600) return cost_number(seconds / 3600, "%.0f") + " hours";
  return cost_number(seconds / 86400, "%.2g") + " days";
}

}  // namespace

unsigned worker_threads(unsigned threads) {
  if (threads != 0) return threads;
  return std::max(1u, std::thread::hardware_concurrency());
}

std::string cost_number(double v, const char* format) {
  char buf[64];
  std::snprintf(buf, sizeof buf, format, v);
  return buf;
}

Budget make_budget(std::optional<double> max_work, std::optional<double> max_memory_mb) {
  Budget b;
  if (max_work) {
    check_positive("max_work", *max_work);
    b.max_work = *max_work;
  }
  if (max_memory_mb) {
    check_positive("max_memory", *max_memory_mb);
    b.max_memory_mb = *max_memory_mb;
  }
  return b;
}

void check_budget(const Cost& cost, const Budget& budget, const std::string& source) {
  const std::string where = source.empty() ? "" : source + ": ";
  if (cost.work > budget.max_work)
    throw InputError(where + "this run needs about " + cost_number(cost.work) + " units of work (" +
                     cost.detail + "; roughly " + duration(cost.work) +
                     " of one core), more than the budget of " + cost_number(budget.max_work) + "; use " +
                     cost.advice + ", or raise the budget with " + field("max_work") + " " +
                     cost_number(round_up(cost.work)));
  const double mb = cost.bytes / 1e6;
  if (mb > budget.max_memory_mb)
    throw InputError(where + "this run needs about " + cost_number(mb, "%.0f") + " MB of memory (" +
                     cost.detail + "), more than the budget of " + cost_number(budget.max_memory_mb, "%.0f") +
                     " MB; use " + cost.advice + ", or raise the budget with " + field("max_memory") + " " +
                     cost_number(round_up(mb), "%.0f"));
}

}  // namespace inspectsim::base
