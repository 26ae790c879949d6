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

// Waits for a non-blocking collective without spinning: a rank that is done with its round would
// otherwise keep a core busy in MPI's progress loop, taking it from the threads of a rank on the
// same node that is still computing (measured: 2 ranks of 1 thread on 2 cores, 1.45x the speed of
// one instead of 1.9x). Polls at once a few times (the others are often there already), then
// sleeps between polls; a round lasts about 0.2 s, so 0.2 ms is noise.
void wait_for(MPI_Request& request, const char* what) {
  for (int polls = 0;; ++polls) {
    int done = 0;
    check(MPI_Test(&request, &done, MPI_STATUS_IGNORE), what);
    if (done != 0) return;
    if (polls >= 100) std::this_thread::sleep_for(std::chrono::microseconds(200));
  }
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
  std::vector<std::string> all_gather(const std::string& mine) override {
    const auto ranks = static_cast<std::size_t>(size_);
    const unsigned long long length = mine.size();
    std::vector<unsigned long long> lengths(ranks);
    MPI_Request request;
    check(MPI_Iallgather(&length, 1, MPI_UNSIGNED_LONG_LONG, lengths.data(), 1, MPI_UNSIGNED_LONG_LONG,
                         MPI_COMM_WORLD, &request),
          "MPI_Iallgather");
    wait_for(request, "MPI_Iallgather");
    std::vector<int> counts(ranks), offsets(ranks);
    unsigned long long total = 0;
    for (std::size_t q = 0; q < ranks; ++q) {
      // Every rank sees the same lengths, so every rank refuses alike.
      if (lengths[q] > INT_MAX - total)
        throw std::runtime_error("an exchange between ranks would carry more than 2 GB");
      counts[q] = static_cast<int>(lengths[q]);
      offsets[q] = static_cast<int>(total);
      total += lengths[q];
    }
    std::string buffer(total, '\0');
    check(MPI_Iallgatherv(mine.data(), static_cast<int>(length), MPI_CHAR, buffer.data(), counts.data(),
                          offsets.data(), MPI_CHAR, MPI_COMM_WORLD, &request),
          "MPI_Iallgatherv");
    wait_for(request, "MPI_Iallgatherv");
    std::vector<std::string> out(ranks);
    for (std::size_t q = 0; q < ranks; ++q)
      out[q] = buffer.substr(static_cast<std::size_t>(offsets[q]), static_cast<std::size_t>(counts[q]));
    return out;
  }

 private:
  int rank_ = 0;
  int size_ = 1;
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
