// base/team.hpp and run_blocks with a team: ranks simulated by threads of this process, each with
// a Team whose all_gather meets the others at a barrier. The merged result on every rank must equal
// a one-process run bit for bit (the blocks' sums are floating-point and would differ in another
// order), and any rank's failure or interruption must stop every rank with the same error.
#include "inspectsim/base/team.hpp"

#include <atomic>
#include <cmath>
#include <concepts>
#include <condition_variable>
#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <type_traits>
#include <utility>
#include <vector>

#include <doctest/doctest.h>

#include "inspectsim/base/blocks.hpp"
#include "inspectsim/base/error.hpp"

using inspectsim::base::InputError;
using inspectsim::base::Interrupted;
using inspectsim::base::RankFailure;
using inspectsim::base::RankStatus;
using inspectsim::base::RunOptions;
using inspectsim::base::Team;

namespace {

// The meeting point of K thread-ranks: gather returns once all K have arrived.
class Meeting {
 public:
  explicit Meeting(int ranks) : slots_(static_cast<std::size_t>(ranks)) {}
  inspectsim::base::Gathered gather(int rank, RankStatus status, const std::string& mine) {
    std::unique_lock lock(mutex_);
    const std::uint64_t generation = generation_;
    slots_[static_cast<std::size_t>(rank)] = {status, mine};
    if (++arrived_ == slots_.size()) {
      result_ = {};
      for (const auto& [st, payload] : slots_) {
        result_.status.push_back(st);
        result_.offsets.push_back(result_.bytes.size());
        result_.bytes += payload;
      }
      result_.offsets.push_back(result_.bytes.size());
      arrived_ = 0;
      ++generation_;
      exchanges_++;
      cv_.notify_all();
    } else {
      cv_.wait(lock, [&] { return generation_ != generation; });
    }
    return result_;
  }
  std::uint64_t exchanges() const { return exchanges_; }

 private:
  std::mutex mutex_;
  std::condition_variable cv_;
  std::vector<std::pair<RankStatus, std::string>> slots_;
  inspectsim::base::Gathered result_;
  std::size_t arrived_ = 0;
  std::uint64_t generation_ = 0;
  std::uint64_t exchanges_ = 0;
};

// A rank of a Meeting: the gather happens when it is collected (test_gather never completes it
// early), which is a legal order of events for a real team too.
class ThreadTeam final : public Team {
 public:
  ThreadTeam(Meeting& meeting, int rank, int size) : meeting_(meeting), rank_(rank), size_(size) {}
  int rank() const override { return rank_; }
  int size() const override { return size_; }

 protected:
  void start_gather(RankStatus status, std::string payload) override {
    status_ = status;
    payload_ = std::move(payload);
  }
  bool test_gather() override { return false; }
  inspectsim::base::Gathered finish_gather() override { return meeting_.gather(rank_, status_, payload_); }

 private:
  Meeting& meeting_;
  int rank_, size_;
  RankStatus status_ = RankStatus::ok;
  std::string payload_;
};

// A tally whose merge is order-sensitive: floating-point sums of values of very different sizes.
struct SumTally {
  std::vector<double> sums;
  std::uint64_t count = 0;
};
template <class T, class Visit>
requires std::same_as<std::remove_const_t<T>, SumTally>
void fields(T& t, Visit& visit) {
  visit("sums", t.sums);
  visit("count", t.count);
}
static_assert(inspectsim::base::Shareable<SumTally>);
static_assert(inspectsim::base::Shareable<std::int64_t>);

void compute_block(std::uint64_t block, SumTally& t) {
  t.sums.assign(3, 0.0);
  for (int i = 0; i < 50; ++i) {
    const double v = std::sin(static_cast<double>(block * 50 + static_cast<std::uint64_t>(i)));
    t.sums[0] += v * 1e10;
    t.sums[1] += v / 3;
    t.sums[2] += v * v * 1e-10;
  }
  t.count = block;
}

struct Merged {
  std::vector<double> sums = std::vector<double>(3, 0.0);
  std::uint64_t order = 0;  // a hash of the order the blocks were merged in
  std::uint64_t merged = 0;
};

// Runs `blocks` blocks on `ranks` thread-ranks of `threads` threads; rank_setup may change each
// rank's options (a cancel flag, a checkpoint) and compute may fail. Returns each rank's merged
// result, or its exception.
struct RankOutcome {
  Merged merged;
  std::exception_ptr failure;
};
std::vector<RankOutcome> run_on_ranks(int ranks, unsigned threads, std::uint64_t blocks,
                                      const std::function<void(int, std::uint64_t)>& before_block = {},
                                      const std::function<void(int, RunOptions&)>& rank_setup = {},
                                      const std::vector<std::uint64_t>& blocks_of = {}) {
  Meeting meeting(ranks);
  std::vector<RankOutcome> out(static_cast<std::size_t>(ranks));
  std::vector<std::thread> pool;
  for (int r = 0; r < ranks; ++r)
    pool.emplace_back([&, r] {
      ThreadTeam team(meeting, r, ranks);
      RankOutcome& o = out[static_cast<std::size_t>(r)];
      try {
        RunOptions run;
        run.threads = threads;
        run.team = &team;
        if (rank_setup) rank_setup(r, run);
        const std::uint64_t mine = blocks_of.empty() ? blocks : blocks_of[static_cast<std::size_t>(r)];
        inspectsim::base::run_blocks<SumTally, inspectsim::base::NoScratch>(
            mine, run,
            [&](std::uint64_t b, SumTally& t, inspectsim::base::NoScratch&) {
              if (before_block) before_block(r, b);
              compute_block(b, t);
            },
            [&](std::uint64_t b, const SumTally& t) {
              for (std::size_t i = 0; i < 3; ++i) o.merged.sums[i] += t.sums[i];
              o.merged.order = o.merged.order * 1000003 + b + 1;
              ++o.merged.merged;
              CHECK(t.count == b);
            });
      } catch (...) {
        o.failure = std::current_exception();
        team.fail(RankStatus::internal_error, "failed");  // as the CLI does; a no-op once told
      }
    });
  for (auto& t : pool) t.join();
  return out;
}

Merged alone(std::uint64_t blocks) {
  Merged m;
  for (std::uint64_t b = 0; b < blocks; ++b) {
    SumTally t;
    compute_block(b, t);
    for (std::size_t i = 0; i < 3; ++i) m.sums[i] += t.sums[i];
    m.order = m.order * 1000003 + b + 1;
    ++m.merged;
  }
  return m;
}

}  // namespace

TEST_CASE("a run shared by 1 to 4 ranks of 1 to 3 threads merges every block in order on every rank") {
  for (const std::uint64_t blocks : {0ULL, 1ULL, 2ULL, 7ULL, 61ULL}) {
    const Merged expected = alone(blocks);
    for (int ranks = 1; ranks <= 4; ++ranks)
      for (unsigned threads = 1; threads <= 3; ++threads) {
        CAPTURE(blocks);
        CAPTURE(ranks);
        CAPTURE(threads);
        for (const RankOutcome& o : run_on_ranks(ranks, threads, blocks)) {
          REQUIRE_FALSE(o.failure);
          CHECK(o.merged.merged == blocks);
          CHECK(o.merged.order == expected.order);
          for (std::size_t i = 0; i < 3; ++i) CHECK(o.merged.sums[i] == expected.sums[i]);  // bit for bit
        }
      }
  }
}

TEST_CASE("a rank that fails in a block stops every rank, which learn its message") {
  const auto outcomes = run_on_ranks(3, 2, 40, [](int rank, std::uint64_t block) {
    if (rank == 1 && block >= 20) throw InputError("block 20 is broken");
  });
  for (std::size_t r = 0; r < outcomes.size(); ++r) {
    CAPTURE(r);
    REQUIRE(outcomes[r].failure);
    try {
      std::rethrow_exception(outcomes[r].failure);
    } catch (const RankFailure& e) {
      CHECK(r != 1);
      CHECK(e.rank() == 1);
      CHECK(e.status() == RankStatus::input_error);
      CHECK(std::string(e.what()) == "block 20 is broken");
    } catch (const InputError& e) {
      CHECK(r == 1);  // the failing rank keeps its own error
      CHECK(std::string(e.what()) == "block 20 is broken");
    }
  }
}

TEST_CASE("an interrupted rank stops every rank, and the checkpoint keeper saves a whole prefix") {
  std::atomic<bool> cancel{false};
  std::vector<std::uint64_t> saved;
  std::mutex saved_mutex;
  const auto outcomes = run_on_ranks(
      2, 1, 400,
      [&](int rank, std::uint64_t block) {
        if (rank == 1 && block >= 100) cancel = true;
      },
      [&](int rank, RunOptions& run) {
        if (rank == 1) run.cancel = &cancel;  // only rank 1 sees the signal
        if (rank == 0)
          run.checkpoint.save = [&](std::uint64_t merged) {
            const std::lock_guard lock(saved_mutex);
            saved.push_back(merged);
          };
      });
  for (const RankOutcome& o : outcomes) {
    REQUIRE(o.failure);
    CHECK_THROWS_AS(std::rethrow_exception(o.failure), Interrupted);
  }
  REQUIRE_FALSE(saved.empty());
  CHECK(saved.back() == outcomes[0].merged.merged);
  CHECK(saved.back() < 400);
}

TEST_CASE("ranks with runs of different sizes are refused on every rank") {
  const auto outcomes = run_on_ranks(3, 1, 0, {}, {}, {10, 10, 11});
  for (const RankOutcome& o : outcomes) {
    REQUIRE(o.failure);
    CHECK_THROWS_WITH_AS(std::rethrow_exception(o.failure),
                         doctest::Contains("rank 2 has a run of 11 blocks, rank 0 of 10"), InputError);
  }
}

TEST_CASE("a rank that fails before the run is heard at the exchange the others wait in") {
  Meeting meeting(2);
  std::exception_ptr seen;
  std::thread other([&] {
    ThreadTeam team(meeting, 1, 2);
    team.fail(RankStatus::input_error, "rank 1 cannot read its file");
    CHECK_FALSE(team.open());
    team.fail(RankStatus::input_error, "told once only");  // no second exchange: it would hang
  });
  ThreadTeam team(meeting, 0, 2);
  try {
    team.exchange("ready");
  } catch (...) {
    seen = std::current_exception();
  }
  other.join();
  CHECK_FALSE(team.open());
  REQUIRE(seen);
  CHECK_THROWS_WITH_AS(std::rethrow_exception(seen), "rank 1 cannot read its file", RankFailure);
  CHECK(meeting.exchanges() == 1);
}

TEST_CASE("bytes between ranks: a tally read back is the tally written, and a short one is refused") {
  SumTally t;
  compute_block(3, t);
  std::string bytes;
  inspectsim::base::write_bytes(t, bytes);
  std::string_view in = bytes;
  SumTally back;
  inspectsim::base::read_bytes(in, back);
  CHECK(in.empty());
  CHECK(back.sums == t.sums);
  CHECK(back.count == 3);
  for (std::size_t cut = 0; cut < bytes.size(); ++cut) {
    std::string_view shorter(bytes.data(), cut);
    CHECK_THROWS_AS(inspectsim::base::read_bytes(shorter, back), std::runtime_error);
  }
}

TEST_CASE("a run of one block computes it on the calling thread, and a cancelled one stops before it") {
  // One block has nothing to overlap with its merge: run_blocks computes it where it was called.
  std::thread::id computed_on;
  std::vector<std::uint64_t> merged;
  std::vector<std::pair<std::uint64_t, std::uint64_t>> progress;
  RunOptions run(4, [&](std::uint64_t done, std::uint64_t total) { progress.emplace_back(done, total); });
  inspectsim::base::run_blocks<int, inspectsim::base::NoScratch>(
      1, run,
      [&](std::uint64_t b, int& tally, inspectsim::base::NoScratch&) {
        computed_on = std::this_thread::get_id();
        tally = static_cast<int>(b) + 7;
      },
      [&](std::uint64_t b, const int& tally) {
        CHECK(tally == 7);
        merged.push_back(b);
      });
  CHECK(computed_on == std::this_thread::get_id());
  CHECK(merged == std::vector<std::uint64_t>{0});
  CHECK(progress == std::vector<std::pair<std::uint64_t, std::uint64_t>>{{0, 1}, {1, 1}});

  std::atomic<bool> cancel{true};
  RunOptions stopped(1, {}, &cancel);
  std::vector<std::uint64_t> saved;
  stopped.checkpoint.save = [&](std::uint64_t m) { saved.push_back(m); };
  bool ran = false;
  auto run_stopped = [&] {
    inspectsim::base::run_blocks<int, inspectsim::base::NoScratch>(
        1, stopped, [&](std::uint64_t, int&, inspectsim::base::NoScratch&) { ran = true; },
        [&](std::uint64_t, const int&) { ran = true; });
  };
  CHECK_THROWS_AS(run_stopped(), Interrupted);
  CHECK_FALSE(ran);
  CHECK(saved == std::vector<std::uint64_t>{0});
}
