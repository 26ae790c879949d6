// Several processes sharing one run: the ranks of an MPI job (`mpirun -n K inspectsim simulate
// FILE`). The library never includes <mpi.h>: a Team is an interface whose one collective,
// all_gather, a front end implements (the CLI with MPI, sim/cli/mpi.cpp). Every rank runs the same
// command on the same input and computes the same things in the same order; base::run_blocks
// (blocks.hpp) splits the blocks of a run between the ranks when RunOptions::team is set, and
// every rank merges every block in block order, so every rank ends with the same merged result and
// that result is byte-identical to a one-process run.
//
// Failures are agreed, never left hanging: every exchange between ranks carries each rank's status,
// and a rank that fails (bad input read on one node only, a lost allocation, Ctrl-C or a
// scheduler's SIGTERM) says so at its next exchange, which the other ranks are waiting in. Every
// rank then stops with the same error: RankFailure (the failing rank's own message, for the front
// end to print once) or Interrupted.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "inspectsim/base/error.hpp"

namespace inspectsim::base {

// What a rank brings to an exchange besides its payload.
enum class RankStatus : std::uint8_t { ok = 0, interrupted = 1, input_error = 2, internal_error = 3 };

// Another rank failed: thrown on every rank that learned it at an exchange. `text` is that rank's
// message as its front end wrote it (one line per problem).
class RankFailure : public Error {
 public:
  RankFailure(int rank, RankStatus status, const std::string& text)
      : Error(text), rank_(rank), status_(status) {}
  int rank() const noexcept { return rank_; }
  RankStatus status() const noexcept { return status_; }

 private:
  int rank_;
  RankStatus status_;
};

// Every rank's payload of one exchange, in rank order, in one buffer.
struct Gathered {
  std::vector<RankStatus> status;
  std::string bytes;                 // every rank's payload, one after another
  std::vector<std::size_t> offsets;  // rank q's payload is bytes[offsets[q], offsets[q + 1])
  std::size_t size() const { return status.size(); }
  std::string_view operator[](std::size_t q) const {
    return std::string_view(bytes).substr(offsets[q], offsets[q + 1] - offsets[q]);
  }
};

class Team {
 public:
  virtual ~Team() = default;
  virtual int rank() const = 0;
  virtual int size() const = 0;

  // Every rank's payload, in rank order: a collective, which every rank calls in the same order.
  // Throws RankFailure, or Interrupted, on every rank alike when any rank reports a failure (a
  // failing rank's exchange is fail()); the team is then closed.
  Gathered exchange(std::string payload);
  // exchange() in two halves, so that a rank can go on computing while its payload travels: post
  // starts the exchange (at most one in flight), poll moves it on without waiting (call it now and
  // then from the thread that posted), collect waits for it and checks it as exchange does.
  void post(std::string payload);
  void poll();
  Gathered collect();
  // This rank has failed: tells the others, at the exchange they are waiting in or will reach
  // next (after completing one in flight), and closes the team. Does nothing when the team is
  // already closed. Never throws.
  void fail(RankStatus status, const std::string& text) noexcept;
  // The run is over on this rank without failure: a last exchange, so that a rank failing before
  // it is still heard. Closes the team; what follows (writing the outputs on rank 0) is local.
  void finish();
  bool open() const noexcept { return open_; }
  // Every rank found the same failure in what an exchange returned (ranks that were not started
  // alike): no rank needs telling, so every rank closes the team and throws the same error.
  void close() noexcept { open_ = false; }

 protected:
  // The collective itself, which a front end implements (MPI_Iallgather of each rank's status and
  // length, then MPI_Iallgatherv of the payloads): start_gather begins one, test_gather moves it
  // on and says whether it is complete (never blocking), finish_gather waits for it.
  virtual void start_gather(RankStatus status, std::string payload) = 0;
  virtual bool test_gather() = 0;
  virtual Gathered finish_gather() = 0;

 private:
  bool open_ = true;
  bool in_flight_ = false;
};

// ---- Tallies as bytes ---------------------------------------------------------------------------
// A tally crosses between ranks as its fields' bytes, in the order its fields() function names them
// (the walk checkpoint.hpp describes): numbers as they are in memory, a vector as its length and
// then its elements. Every rank runs the same build on the same kind of machine, so the bytes mean
// the same on both sides; a message of the wrong length is refused, never read past its end.

class ByteWriter {
 public:
  explicit ByteWriter(std::string& out) : out_(out) {}
  void scope(const std::string&) {}
  template <class T>
  requires std::is_arithmetic_v<T>
  void operator()(const char*, const T& v) { put(&v, sizeof v); }
  template <class T>
  requires std::is_arithmetic_v<T>
  void operator()(const char*, const std::vector<T>& v) {
    const std::uint64_t n = v.size();
    put(&n, sizeof n);
    put(v.data(), n * sizeof(T));
  }

 private:
  void put(const void* p, std::size_t bytes) { out_.append(static_cast<const char*>(p), bytes); }
  std::string& out_;
};

class ByteReader {
 public:
  explicit ByteReader(std::string_view in) : in_(in) {}
  void scope(const std::string&) {}
  template <class T>
  requires std::is_arithmetic_v<T>
  void operator()(const char*, T& v) { take(&v, sizeof v); }
  template <class T>
  requires std::is_arithmetic_v<T>
  void operator()(const char*, std::vector<T>& v) {
    std::uint64_t n = 0;
    take(&n, sizeof n);
    if (n > in_.size() / sizeof(T)) damaged();
    v.resize(n);
    take(v.data(), n * sizeof(T));
  }
  // What is left unread.
  std::string_view rest() const { return in_; }

 private:
  void take(void* p, std::size_t bytes) {
    if (bytes > in_.size()) damaged();
    if (bytes != 0) std::memcpy(p, in_.data(), bytes);
    in_.remove_prefix(bytes);
  }
  [[noreturn]] static void damaged();
  std::string_view in_;
};

// A tally the ranks can share: a number, or a type with a fields() walk found by lookup.
template <class T>
concept Shareable = std::is_arithmetic_v<T> || requires(T& t, const T& c, ByteWriter& w, ByteReader& r) {
  fields(c, w);
  fields(t, r);
};

template <Shareable T>
void write_bytes(const T& t, std::string& out) {
  ByteWriter w(out);
  if constexpr (std::is_arithmetic_v<T>)
    w("value", t);
  else
    fields(t, w);
}

// Reads one tally from the front of `in` and removes its bytes. `t` must already have the shape
// the fields() walk expects (its nested parts sized; vectors are sized from the bytes).
template <Shareable T>
void read_bytes(std::string_view& in, T& t) {
  ByteReader r(in);
  if constexpr (std::is_arithmetic_v<T>)
    r("value", t);
  else
    fields(t, r);
  in = r.rest();
}

// The team a run shares its work with: `team` when it is open and has more than one rank, else
// nullptr (the run is this process's alone).
inline Team* sharing(Team* team) {
  return team != nullptr && team->open() && team->size() > 1 ? team : nullptr;
}

// Every rank takes rank 0's values of `state` (an exchange): what a resumed run read from the
// checkpoint that rank 0 alone keeps.
template <Shareable... T>
void take_from_rank0(Team& team, T&... state) {
  std::string mine;
  if (team.rank() == 0) (write_bytes(state, mine), ...);
  const Gathered all = team.exchange(std::move(mine));
  if (team.rank() == 0) return;
  std::string_view in = all[0];
  (read_bytes(in, state), ...);
}

}  // namespace inspectsim::base
