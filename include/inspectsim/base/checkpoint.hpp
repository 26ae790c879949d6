// Checkpoint files: a block run's merged progress (base::run_blocks with RunOptions::checkpoint)
// kept on disk so that a stopped run can resume and end exactly as an uninterrupted run would.
//
// A checkpoint is one JSON object: what the run is (command, input SHA-256, seed, replicates,
// blocks, version), how many blocks are merged, and the run's merged state as named arrays of
// numbers (whole numbers as written, sums with every bit kept: JSON's shortest round-trip form). A
// run resumes only from a checkpoint of the same run; a file from another one is refused with a
// message naming what differs, so a stale checkpoint can never leak into a figure. The file is
// untrusted input like every other: anything that is not such an object, or whose state has not the
// shape the run expects, is an InputError naming the file and the field, never a crash.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace inspectsim::base {

// What a checkpoint belongs to.
struct RunIdentity {
  std::string command;       // e.g. "simulate"
  std::string input_sha256;  // of everything the run was made from
  std::uint64_t seed = 0;
  std::int64_t replicates = 0;
  std::uint64_t blocks = 0;
};

// One named array of a run's state: counts (whole numbers) or sums (reals).
struct StateField {
  std::string name;
  bool real = false;
  std::vector<std::uint64_t> counts;
  std::vector<double> sums;
};
using CheckpointState = std::vector<StateField>;

struct SavedRun {
  std::uint64_t merged = 0;  // blocks 0..merged-1 are in state
  CheckpointState state;
};

// The checkpoint at `path`: nullopt when there is no file there. Throws InputError when the file is
// not a checkpoint (or is larger than max_bytes), or is one of another run or version.
std::optional<SavedRun> read_checkpoint(const std::string& path, const RunIdentity& run,
                                        std::size_t max_bytes);

// Replaces the checkpoint at `path` atomically (write_file_atomically): a reader sees the old file
// or the new one, never a part.
void write_checkpoint(const std::string& path, const RunIdentity& run, std::uint64_t merged,
                      const CheckpointState& state);

// The most bytes a checkpoint of a state shaped like `state` can take (every count at 20 digits,
// every sum at 24 characters, each field's name and JSON around it): read_checkpoint's max_bytes.
std::size_t checkpoint_size_bound(const CheckpointState& state);

// Removes the checkpoint at `path` once its run has finished; a file there that is not an
// inspectsim checkpoint is left alone.
void remove_checkpoint(const std::string& path);

// ---- A tally's fields, named once for saving and loading ---------------------------------------
// A tally lists its members once, in a function template that calls visit(name, member) for each
// (a std::uint64_t, a double, or a vector of either) and visit.scope(prefix) before each part of a
// nested tally. StateWriter turns that walk into a CheckpointState; StateReader walks it back into
// a tally already shaped for the run, refusing a field of another name, kind or length.

class StateWriter {
 public:
  void scope(std::string prefix) { prefix_ = std::move(prefix); }
  void operator()(const char* name, std::uint64_t v) { add(name, false).counts.push_back(v); }
  void operator()(const char* name, double v) { add(name, true).sums.push_back(v); }
  void operator()(const char* name, const std::vector<std::uint64_t>& v) { add(name, false).counts = v; }
  void operator()(const char* name, const std::vector<double>& v) { add(name, true).sums = v; }
  CheckpointState take() { return std::move(state_); }

 private:
  StateField& add(const char* name, bool real);
  std::string prefix_;
  CheckpointState state_;
};

class StateReader {
 public:
  // `source` names the checkpoint in messages.
  StateReader(const CheckpointState& state, std::string source) : state_(state), source_(std::move(source)) {}
  void scope(std::string prefix) { prefix_ = std::move(prefix); }
  void operator()(const char* name, std::uint64_t& v) { v = next(name, false, 1).counts[0]; }
  void operator()(const char* name, double& v) { v = next(name, true, 1).sums[0]; }
  void operator()(const char* name, std::vector<std::uint64_t>& v) { v = next(name, false, v.size()).counts; }
  void operator()(const char* name, std::vector<double>& v) { v = next(name, true, v.size()).sums; }
  // Throws InputError when the checkpoint holds more fields than the walk read.
  void finish() const;

 private:
  const StateField& next(const char* name, bool real, std::size_t size);
  const CheckpointState& state_;
  std::string source_;
  std::string prefix_;
  std::size_t at_ = 0;
};

}  // namespace inspectsim::base
