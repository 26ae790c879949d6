// The block runner every Monte Carlo command shares: work split into numbered blocks, computed on
// worker threads, merged on the calling thread strictly in block order, with progress reports and
// cancellation. A block's result must depend on its index alone (each draws from its own random
// stream), so the merged result is identical, even in its floating-point sums, for any number of
// threads. Memory does not grow with the number of blocks: a worker may run at most a few blocks
// ahead of the merge, and merged tallies are reused.
//
// With RunOptions::team (team.hpp: the ranks of an MPI job) the blocks are split between the ranks
// as well: the run goes in rounds, each rank computes a contiguous share of a round's blocks on its
// threads, the ranks exchange those blocks' tallies, and every rank merges all of them in block
// order. Every rank ends with the same merged result as a one-process run, bit for bit.
#pragma once

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstring>
#include <exception>
#include <functional>
#include <map>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "inspectsim/base/error.hpp"
#include "inspectsim/base/team.hpp"

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

// How a run uses the machine: its worker threads, the Monitor watching it, and the ranks it shares
// the work with.
struct RunOptions : Monitor {
  unsigned threads = 0;  // 0: all cores
  Checkpointer checkpoint;
  // The ranks of a multi-process run (none: this process alone). A run whose tallies cannot cross
  // between ranks (not Shareable, team.hpp) is computed whole on every rank, with the same result.
  Team* team = nullptr;

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

// The Shape of a run_blocks whose tallies need none: their fields() walk sizes everything itself.
struct NoShape {
  template <class T>
  void operator()(T&) const {}
};

namespace detail {

// Nothing to do while waiting for blocks.
struct NoPoll {
  void operator()() const {}
};

// run_blocks on this process alone; poll() is called on the calling thread whenever it wakes to
// merge (a team run moves its exchange in flight on).
template <class Tally, class Scratch, class Compute, class Merge, class Poll = NoPoll>
void run_local_blocks(std::uint64_t blocks, const RunOptions& options, Compute& compute, Merge& merge,
                      std::uint64_t first, Poll poll = {}) {
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

  // A single block has nothing to overlap with its merge, so it runs on the calling thread: a
  // comparison runs one job per group and per total, most of them one block each, and starting a
  // thread for each cost more than the job (a million totals took minutes). Cancellation is seen
  // before and after the block, as the workers and the merge loop below see it.
  if (blocks - first == 1) {
    if (options.progress) options.progress(first, blocks);
    if (!cancelled()) {
      Tally tally{};
      Scratch scratch;
      compute(first, tally, scratch);
      poll();
      if (!cancelled()) {
        merge(first, tally);
        if (options.progress) options.progress(blocks, blocks);
        return;
      }
    }
    if (options.checkpoint.save) options.checkpoint.save(first);
    throw Interrupted();
  }

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
      lock.unlock();
      poll();
      lock.lock();
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

// This rank's failure, told to the other ranks (Team::fail) as the exception in flight calls for.
inline void tell_team(Team& team, std::exception_ptr failure) noexcept {
  try {
    std::rethrow_exception(failure);
  } catch (const Interrupted&) {
    team.fail(RankStatus::interrupted, "");
  } catch (const RankFailure&) {
    // Learned from another rank: the team is closed already.
  } catch (const InputError& e) {
    team.fail(RankStatus::input_error, e.what());
  } catch (const std::exception& e) {
    team.fail(RankStatus::internal_error, e.what());
  } catch (...) {
    team.fail(RankStatus::internal_error, "an unknown failure");
  }
}

// A round of a team run aims at this long, so that exchanging and merging stay a small part of it.
inline constexpr std::chrono::milliseconds team_round{200};
// ... and its tallies at no more than this many bytes per rank.
inline constexpr std::uint64_t team_round_bytes = std::uint64_t{64} << 20;

// run_blocks across the ranks of options.team, in rounds. A round of R blocks starting at block s
// gives rank q blocks s + R q / K .. s + R (q + 1) / K - 1 (K ranks); each rank runs its share on
// its threads (run_local_blocks) and posts their tallies' bytes; every rank reads every rank's
// tallies in rank order, which is block order, and merges them. The exchange of a round travels
// while the ranks compute the next one (Team::post, poll, collect), so a rank that finished its
// round early goes on working instead of waiting for the slowest. The first exchange checks that
// every rank has the same run and takes rank 0's first block (rank 0 keeps the checkpoint); each
// later one also carries each rank's compute time, from which every rank sizes the rounds alike.
// Any failure on any rank stops every rank at the next exchange (Team::collect).
template <class Tally, class Scratch, class Compute, class Merge, class Shape>
void run_team_blocks(std::uint64_t blocks, const RunOptions& options, Compute& compute, Merge& merge,
                     std::uint64_t first, Shape& shape) {
  Team& team = *options.team;
  const auto ranks = static_cast<std::uint64_t>(team.size());
  const auto rank = static_cast<std::uint64_t>(team.rank());
  std::uint64_t merged = first;
  bool consistent = true;  // blocks 0..merged-1 are merged, whole (what a checkpoint may save)
  try {
    {
      std::string mine;
      ByteWriter w(mine);
      w("blocks", blocks);
      w("first", first);
      const Gathered all = team.exchange(std::move(mine));
      std::uint64_t blocks0 = 0;
      for (std::uint64_t q = 0; q < ranks; ++q) {
        ByteReader r(all[q]);
        std::uint64_t theirs = 0, their_first = 0;
        r("blocks", theirs);
        r("first", their_first);
        if (q == 0) {
          blocks0 = theirs;
          merged = std::min(their_first, blocks);
        } else if (theirs != blocks0) {
          // Every rank reads the same figures, so every rank gives the same message.
          team.close();
          throw InputError("rank " + std::to_string(q) + " has a run of " + std::to_string(theirs) +
                           " blocks, rank 0 of " + std::to_string(blocks0) +
                           ": every rank must run the same command on the same input");
        }
      }
    }
    struct Round {
      std::uint64_t start = 0, size = 0;
      std::uint64_t begin(std::uint64_t q, std::uint64_t k) const { return start + size * q / k; }
    };
    const unsigned threads = worker_threads(options.threads, blocks);
    std::uint64_t share = 4 * static_cast<std::uint64_t>(threads);  // blocks per rank and round
    RunOptions local;
    local.threads = options.threads;
    local.cancel = options.cancel;
    Tally tally;
    std::uint64_t next = merged;  // the first block of the next round
    bool in_flight = false;       // a round posted and not yet collected
    Round posted;
    auto last_report = std::chrono::steady_clock::now();
    auto last_save = last_report;
    if (options.progress) options.progress(merged, blocks);
    while (next < blocks || in_flight) {
      std::string mine;
      const Round round{next, std::min(blocks - next, share * ranks)};
      if (round.size > 0) {
        const std::uint64_t lo = round.begin(rank, ranks), hi = round.begin(rank + 1, ranks);
        mine.append(sizeof(std::uint64_t), '\0');  // this rank's compute time, written below
        const auto start = std::chrono::steady_clock::now();
        auto block_compute = [&](std::uint64_t i, Tally& t, Scratch& s) { compute(lo + i, t, s); };
        auto keep = [&](std::uint64_t, const Tally& t) { write_bytes(t, mine); };
        run_local_blocks<Tally, Scratch>(hi - lo, local, block_compute, keep, 0, [&] { team.poll(); });
        const auto took = static_cast<std::uint64_t>(
            std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - start)
                .count());
        std::memcpy(mine.data(), &took, sizeof took);
        next += round.size;
      }
      if (in_flight) {
        in_flight = false;
        const Gathered all = team.collect();
        std::uint64_t slowest = 1, bytes = 0;
        consistent = false;
        for (std::uint64_t q = 0; q < ranks; ++q) {
          std::string_view in = all[q];
          std::uint64_t their_time = 0;
          read_bytes(in, their_time);
          slowest = std::max(slowest, their_time);
          bytes = std::max<std::uint64_t>(bytes, in.size());
          for (std::uint64_t b = posted.begin(q, ranks); b < posted.begin(q + 1, ranks); ++b) {
            shape(tally);
            read_bytes(in, tally);
            merge(b, tally);
          }
          if (!in.empty())
            throw std::runtime_error("a round's tallies sent between ranks have bytes left over");
        }
        merged += posted.size;
        consistent = true;
        // The round after the next: about team_round long on the slowest rank, within the byte
        // limit; every rank computes the same size from the same exchanged figures.
        const double per_rank = static_cast<double>(std::max<std::uint64_t>(posted.size / ranks, 1));
        double size = static_cast<double>(std::chrono::microseconds(team_round).count()) /
                      (static_cast<double>(slowest) / per_rank);
        size = std::min(size, static_cast<double>(team_round_bytes) /
                                  std::max(static_cast<double>(bytes) / per_rank, 1.0));
        share = static_cast<std::uint64_t>(
            std::clamp(size, static_cast<double>(threads), 2.0 * static_cast<double>(share)));
        const auto now = std::chrono::steady_clock::now();
        if (options.progress && now - last_report >= std::chrono::milliseconds(100)) {
          last_report = now;
          options.progress(merged, blocks);
        }
        if (options.checkpoint.save && merged < blocks && now - last_save >= options.checkpoint.interval) {
          last_save = now;
          options.checkpoint.save(merged);
        }
      }
      if (round.size > 0) {
        team.post(std::move(mine));
        posted = round;
        in_flight = true;
      }
    }
  } catch (...) {
    tell_team(team, std::current_exception());
    try {
      throw;
    } catch (const Interrupted&) {
      if (options.checkpoint.save && consistent) options.checkpoint.save(merged);
      throw;
    }
  }
  if (options.progress) options.progress(blocks, blocks);
}

}  // namespace detail

// Runs compute(block, tally, scratch) for block = first..blocks-1 on worker threads (each worker
// has its own default-constructed Scratch; a Tally may arrive holding an earlier block's values,
// which compute must overwrite) and merge(block, tally) on the calling thread in block order; a
// resumed run passes the first block its saved state lacks. Throws Interrupted when options.cancel
// is set before the end (after options.checkpoint.save), and rethrows the first exception of
// compute, merge or a callback after stopping and joining every worker.
// With options.team (more than one rank, and a Shareable Tally), the ranks share the blocks
// (run_team_blocks); shape(tally) gives a tally the nested shape its fields() walk reads into (for
// one received from another rank). Every rank must call run_blocks alike.
template <class Tally, class Scratch, class Compute, class Merge, class Shape = NoShape>
void run_blocks(std::uint64_t blocks, const RunOptions& options, Compute compute, Merge merge,
                std::uint64_t first = 0, Shape shape = {}) {
  first = std::min(first, blocks);
  if constexpr (Shareable<Tally>) {
    if (sharing(options.team) != nullptr) {
      detail::run_team_blocks<Tally, Scratch>(blocks, options, compute, merge, first, shape);
      return;
    }
  }
  detail::run_local_blocks<Tally, Scratch>(blocks, options, compute, merge, first);
}

}  // namespace inspectsim::base
