// The block runner every Monte Carlo command shares: work split into numbered blocks, computed on
// worker threads, merged on the calling thread strictly in block order, with progress reports and
// cancellation. A block's result must depend on its index alone (each draws from its own random
// stream), so the merged result is identical, even in its floating-point sums, for any number of
// threads. Memory does not grow with the number of blocks: a worker may run at most a few blocks
// ahead of the merge, and merged tallies are reused.
#pragma once

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <exception>
#include <functional>
#include <map>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

#include "inspectsim/base/error.hpp"

namespace inspectsim::base {

// Watching a long run: progress reports and a cancellation flag.
struct Monitor {
  // Called now and then from the calling thread with (blocks done, total blocks).
  std::function<void(std::uint64_t, std::uint64_t)> progress;
  // Set (e.g. from a SIGINT handler) to stop the run; the runner then throws Interrupted.
  const std::atomic<bool>* cancel = nullptr;
};

// Keeping a run's progress so that it can resume after being stopped: save(merged) is called on
// the merging thread with blocks 0..merged-1 merged into the caller's state, once every `interval`
// and once more when the run is cancelled. What it writes, and how a resumed run gets its state
// back, is the caller's: run_blocks only starts at a given first block.
struct Checkpointer {
  std::function<void(std::uint64_t)> save;  // empty: no checkpoints
  std::chrono::milliseconds interval{60000};
};

// How a run uses the machine: its worker threads, and the Monitor watching it.
struct RunOptions : Monitor {
  unsigned threads = 0;  // 0: all cores
  Checkpointer checkpoint;

  RunOptions() = default;
  RunOptions(unsigned threads_, Monitor monitor) : Monitor(std::move(monitor)), threads(threads_) {}
  RunOptions(unsigned threads_, std::function<void(std::uint64_t, std::uint64_t)> progress_,
             const std::atomic<bool>* cancel_ = nullptr)
      : Monitor{std::move(progress_), cancel_}, threads(threads_) {}
};

// The most worker threads a run may ask for.
inline constexpr unsigned max_threads = 1024;

// The worker threads for `blocks` blocks: `threads` (0: all cores), at least 1 and at most blocks.
inline unsigned worker_threads(unsigned threads, std::uint64_t blocks) {
  const unsigned t = threads != 0 ? threads : std::thread::hardware_concurrency();
  return static_cast<unsigned>(std::clamp<std::uint64_t>(t, 1, std::max<std::uint64_t>(blocks, 1)));
}

// The Scratch for a run whose blocks need no per-worker working memory: run_blocks<Tally, NoScratch>
// (or a runner built on it), with compute taking a NoScratch& it ignores.
struct NoScratch {};

// Runs compute(block, tally, scratch) for block = first..blocks-1 on worker threads (each worker
// has its own default-constructed Scratch; a Tally may arrive holding an earlier block's values,
// which compute must overwrite) and merge(block, tally) on the calling thread in block order; a
// resumed run passes the first block its saved state lacks. Throws Interrupted when options.cancel
// is set before the end (after options.checkpoint.save), and rethrows the first exception of
// compute, merge or a callback after stopping and joining every worker.
template <class Tally, class Scratch, class Compute, class Merge>
void run_blocks(std::uint64_t blocks, const RunOptions& options, Compute compute, Merge merge,
                std::uint64_t first = 0) {
  first = std::min(first, blocks);
  const unsigned threads = worker_threads(options.threads, blocks - first);
  // A worker may run ahead of the merge by at most this many blocks, which bounds the buffer.
  const std::uint64_t window = 4 * static_cast<std::uint64_t>(threads);

  std::atomic<std::uint64_t> next{first};
  std::atomic<bool> stop{false};
  std::mutex mutex;
  std::condition_variable merged_cv;  // workers wait here for the merge to catch up
  std::condition_variable ready_cv;   // the merger waits here for blocks
  std::map<std::uint64_t, Tally> ready;
  std::vector<Tally> spare;
  std::uint64_t merged = first;
  std::exception_ptr failure;

  auto cancelled = [&] { return options.cancel && options.cancel->load(std::memory_order_relaxed); };

  auto worker = [&] {
    try {
      Scratch scratch;
      for (;;) {
        const std::uint64_t block = next.fetch_add(1);
        if (block >= blocks) return;
        Tally tally;
        {
          std::unique_lock lock(mutex);
          merged_cv.wait(lock, [&] { return stop.load() || block < merged + window; });
          if (stop.load()) return;
          if (!spare.empty()) {
            tally = std::move(spare.back());
            spare.pop_back();
          }
        }
        if (cancelled()) {
          stop = true;
          ready_cv.notify_all();
          return;
        }
        compute(block, tally, scratch);
        {
          std::lock_guard lock(mutex);
          ready.emplace(block, std::move(tally));
        }
        ready_cv.notify_all();
      }
    } catch (...) {
      {
        std::lock_guard lock(mutex);
        if (!failure) failure = std::current_exception();
        stop = true;
      }
      ready_cv.notify_all();
      merged_cv.notify_all();
    }
  };

  std::vector<std::thread> pool;
  auto finish = [&] {
    stop = true;
    merged_cv.notify_all();
    for (auto& th : pool) th.join();
  };

  // Whatever leaves this block (a failed thread start, a throwing callback) first stops and joins
  // the workers.
  try {
    pool.reserve(threads);
    for (unsigned t = 0; t < threads; ++t) pool.emplace_back(worker);
    auto last_report = std::chrono::steady_clock::now();
    auto last_save = last_report;
    if (options.progress) options.progress(merged, blocks);
    std::unique_lock lock(mutex);
    while (merged < blocks) {
      ready_cv.wait_for(lock, std::chrono::milliseconds(100),
                        [&] { return stop.load() || ready.count(merged) != 0; });
      if (failure || stop.load() || cancelled()) break;
      while (!ready.empty() && ready.begin()->first == merged) {
        Tally tally = std::move(ready.begin()->second);
        ready.erase(ready.begin());
        lock.unlock();
        merge(merged, tally);
        lock.lock();
        spare.push_back(std::move(tally));
        ++merged;
      }
      merged_cv.notify_all();
      const auto now = std::chrono::steady_clock::now();
      if (options.progress && now - last_report >= std::chrono::milliseconds(100)) {
        last_report = now;
        lock.unlock();
        options.progress(merged, blocks);
        lock.lock();
      }
      if (options.checkpoint.save && merged < blocks && now - last_save >= options.checkpoint.interval) {
        last_save = now;
        lock.unlock();
        options.checkpoint.save(merged);
        lock.lock();
      }
    }
  } catch (...) {
    finish();
    throw;
  }
  finish();
  if (failure) std::rethrow_exception(failure);
  if (merged < blocks) {
    if (options.checkpoint.save) options.checkpoint.save(merged);
    throw Interrupted();
  }
  if (options.progress) options.progress(blocks, blocks);
}

}  // namespace inspectsim::base
