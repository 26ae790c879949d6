#include "mpi.hpp"

#include <algorithm>
#include <chrono>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <thread>
#include <vector>

#if INSPECTSIM_MPI
#include <mpi.h>
#endif

namespace inspectsim::cli {

namespace {

// The environment a launcher gives its processes: Open MPI's mpirun, PMIx (srun --mpi=pmix,
// prterun), PMI-1/2 (srun --mpi=pmi2, MPICH's hydra).
bool started_by_launcher() {
  for (const char* name : {"OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_RANK", "PMI_SIZE"})
    if (std::getenv(name) != nullptr) return true;
  return false;
}

#if INSPECTSIM_MPI
void check(int code, const char* what) {
  if (code == MPI_SUCCESS) return;
  char text[MPI_MAX_ERROR_STRING];
  int length = 0;
  MPI_Error_string(code, text, &length);
  throw std::runtime_error(std::string(what) +
                           " failed: " + std::string(text, static_cast<std::size_t>(length)));
}

class MpiTeam final : public base::Team {
 public:
  MpiTeam() {
    check(MPI_Comm_rank(MPI_COMM_WORLD, &rank_), "MPI_Comm_rank");
    check(MPI_Comm_size(MPI_COMM_WORLD, &size_), "MPI_Comm_size");
  }
  int rank() const override { return rank_; }
  int size() const override { return size_; }

 protected:
  // First every rank's (status, length), then the payloads into one buffer: the second
  // collective is posted from test_gather as soon as the first is complete, so a rank that polls
  // while it computes its next round has the exchange done by the time it collects.
  void start_gather(base::RankStatus status, std::string payload) override {
    mine_ = std::move(payload);
    header_[0] = static_cast<unsigned long long>(status);
    header_[1] = mine_.size();
    headers_.assign(2 * static_cast<std::size_t>(size_), 0);
    check(MPI_Iallgather(header_, 2, MPI_UNSIGNED_LONG_LONG, headers_.data(), 2, MPI_UNSIGNED_LONG_LONG,
                         MPI_COMM_WORLD, &request_),
          "MPI_Iallgather");
    phase_ = Phase::headers;
  }

  bool test_gather() override {
    int done = 0;
    if (phase_ == Phase::headers) {
      check(MPI_Test(&request_, &done, MPI_STATUS_IGNORE), "MPI_Iallgather");
      if (done == 0) return false;
      post_payloads();
    }
    if (phase_ == Phase::payloads) {
      check(MPI_Test(&request_, &done, MPI_STATUS_IGNORE), "MPI_Iallgatherv");
      if (done == 0) return false;
      phase_ = Phase::complete;
    }
    return phase_ == Phase::complete;
  }

  // Waits without spinning: a rank done with its round would otherwise keep a core busy in MPI's
  // progress loop, taking it from the threads of a rank still computing on the same node. Polls at
  // once a few times (the others are often there already), then sleeps 0.2 ms between polls.
  base::Gathered finish_gather() override {
    for (int polls = 0; !test_gather(); ++polls)
      if (polls >= 100) std::this_thread::sleep_for(std::chrono::microseconds(200));
    phase_ = Phase::idle;
    mine_.clear();
    base::Gathered out;
    out.bytes = std::move(buffer_);
    buffer_.clear();
    out.status.resize(static_cast<std::size_t>(size_));
    out.offsets.assign(offsets_.begin(), offsets_.end());
    out.offsets.push_back(out.bytes.size());
    for (std::size_t q = 0; q < out.status.size(); ++q)
      out.status[q] = static_cast<base::RankStatus>(headers_[2 * q]);
    return out;
  }

 private:
  void post_payloads() {
    const auto ranks = static_cast<std::size_t>(size_);
    counts_.assign(ranks, 0);
    offsets_.assign(ranks, 0);
    unsigned long long total = 0;
    for (std::size_t q = 0; q < ranks; ++q) {
      const unsigned long long length = headers_[2 * q + 1];
      // Every rank sees the same lengths, so every rank refuses alike.
      if (length > INT_MAX - total) {
        phase_ = Phase::idle;
        close();
        throw std::runtime_error("an exchange between ranks would carry more than 2 GB");
      }
      counts_[q] = static_cast<int>(length);
      offsets_[q] = static_cast<int>(total);
      total += length;
    }
    buffer_.assign(total, '\0');
    check(MPI_Iallgatherv(mine_.data(), static_cast<int>(mine_.size()), MPI_CHAR, buffer_.data(),
                          counts_.data(), offsets_.data(), MPI_CHAR, MPI_COMM_WORLD, &request_),
          "MPI_Iallgatherv");
    phase_ = Phase::payloads;
  }

  enum class Phase { idle, headers, payloads, complete };
  int rank_ = 0;
  int size_ = 1;
  Phase phase_ = Phase::idle;
  MPI_Request request_ = MPI_REQUEST_NULL;
  unsigned long long header_[2] = {0, 0};
  std::vector<unsigned long long> headers_;
  std::string mine_, buffer_;
  std::vector<int> counts_, offsets_;
};
#endif

}  // namespace

MpiSession::MpiSession([[maybe_unused]] int& argc, [[maybe_unused]] char**& argv) {
  if (!started_by_launcher()) return;
#if INSPECTSIM_MPI
  int provided = 0;
  if (MPI_Init_thread(&argc, &argv, MPI_THREAD_FUNNELED, &provided) != MPI_SUCCESS) {
    error_ = "MPI_Init_thread failed: this process was started by an MPI launcher but cannot join its job";
    return;
  }
  initialised_ = true;
  auto team = std::make_unique<MpiTeam>();
  if (team->size() > 1) {
    // The cores of this node, shared among the ranks on it.
    MPI_Comm node;
    int local = 1;
    if (MPI_Comm_split_type(MPI_COMM_WORLD, MPI_COMM_TYPE_SHARED, 0, MPI_INFO_NULL, &node) == MPI_SUCCESS) {
      MPI_Comm_size(node, &local);
      MPI_Comm_free(&node);
    }
    default_threads_ =
        std::max(1U, std::thread::hardware_concurrency() / static_cast<unsigned>(std::max(local, 1)));
    // Only rank 0 writes: the others' standard output (help, a table) goes nowhere.
    if (team->rank() != 0 && std::freopen("/dev/null", "w", stdout) == nullptr) std::fclose(stdout);
    team_ = std::move(team);
  }
#else
  const char* size = std::getenv("OMPI_COMM_WORLD_SIZE");
  if (size == nullptr) size = std::getenv("PMI_SIZE");
  if (size != nullptr && std::atoi(size) > 1)
    error_ = std::string("this inspectsim was built without MPI, but was started as one of ") + size +
             " ranks (each would write the same outputs): build it with Open MPI (libopenmpi-dev; CMake "
             "option INSPECTSIM_MPI) or run it without mpirun";
#endif
}

MpiSession::~MpiSession() {
#if INSPECTSIM_MPI
  if (initialised_) MPI_Finalize();
#endif
}

}  // namespace inspectsim::cli
