// The MPI job this process is one rank of, when `mpirun -n K inspectsim ...` or `srun` started it.
// Only this file and mpi.cpp know MPI: the library sees a base::Team (base/team.hpp). Started any
// other way, the same binary is one process alone, and MPI is never initialised.
#pragma once

#include <memory>
#include <string>

#include "inspectsim/base/team.hpp"

namespace inspectsim::cli {

class MpiSession {
 public:
  // Initialises MPI (MPI_Init_thread, MPI_THREAD_FUNNELED: only the main thread exchanges) when a
  // launcher started this process; otherwise does nothing.
  MpiSession(int& argc, char**& argv);
  ~MpiSession();  // MPI_Finalize
  MpiSession(const MpiSession&) = delete;
  MpiSession& operator=(const MpiSession&) = delete;

  // The ranks, or nullptr when this process runs alone.
  base::Team* team() const { return team_.get(); }
  // Why this process cannot run ("" when it can): started as one of several ranks by a launcher,
  // in a build without MPI, where every rank would write the same outputs.
  const std::string& error() const { return error_; }
  // Worker threads per rank by default: the node's cores shared among the ranks on it.
  unsigned default_threads() const { return default_threads_; }

 private:
  std::unique_ptr<base::Team> team_;
  std::string error_;
  unsigned default_threads_ = 0;
  bool initialised_ = false;
};

}  // namespace inspectsim::cli
