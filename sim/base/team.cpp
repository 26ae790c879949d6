#include "inspectsim/base/team.hpp"

#include <stdexcept>

namespace inspectsim::base {

namespace {
// Each rank's message: its status byte, then its payload (or, when it failed, its message).
std::string with_status(RankStatus status, std::string_view body) {
  std::string out;
  out.reserve(body.size() + 1);
  out += static_cast<char>(status);
  out += body;
  return out;
}
}  // namespace

std::vector<std::string> Team::exchange(std::string_view payload) {
  if (!open_) throw std::logic_error("an exchange between ranks after the team has closed");
  std::vector<std::string> all = all_gather(with_status(RankStatus::ok, payload));
  if (all.size() != static_cast<std::size_t>(size()))
    throw std::runtime_error("an exchange between ranks returned " + std::to_string(all.size()) +
                             " messages for " + std::to_string(size()) + " ranks");
  // A failure outweighs an interruption; between failures, the lowest rank's is the one reported.
  int failed = -1;
  bool interrupted = false;
  for (std::size_t q = 0; q < all.size(); ++q) {
    if (all[q].empty()) throw std::runtime_error("rank " + std::to_string(q) + " sent an empty message");
    const auto status = static_cast<RankStatus>(all[q][0]);
    if (status == RankStatus::interrupted) interrupted = true;
    if ((status == RankStatus::input_error || status == RankStatus::internal_error) && failed < 0)
      failed = static_cast<int>(q);
  }
  if (failed >= 0) {
    open_ = false;
    const std::string& m = all[static_cast<std::size_t>(failed)];
    throw RankFailure(failed, static_cast<RankStatus>(m[0]), m.substr(1));
  }
  if (interrupted) {
    open_ = false;
    throw Interrupted();
  }
  for (std::string& m : all) m.erase(0, 1);
  return all;
}

void Team::fail(RankStatus status, const std::string& text) noexcept {
  if (!open_) return;
  open_ = false;
  try {
    all_gather(with_status(status, text));
  } catch (...) {
    // Nothing more can be told: the failure this rank reports is the one it goes on to throw.
  }
}

void Team::finish() {
  exchange("");
  open_ = false;
}

void ByteReader::damaged() {
  throw std::runtime_error("a tally sent between ranks is damaged (it ends early or has bytes left over)");
}

}  // namespace inspectsim::base
