#include "inspectsim/base/team.hpp"

#include <stdexcept>

namespace inspectsim::base {

Gathered Team::exchange(std::string payload) {
  post(std::move(payload));
  return collect();
}

void Team::post(std::string payload) {
  if (!open_) throw std::logic_error("an exchange between ranks after the team has closed");
  if (in_flight_) throw std::logic_error("an exchange between ranks posted while another is in flight");
  start_gather(RankStatus::ok, std::move(payload));
  in_flight_ = true;
}

void Team::poll() {
  if (in_flight_) test_gather();
}

Gathered Team::collect() {
  if (!in_flight_) throw std::logic_error("no exchange between ranks to collect");
  in_flight_ = false;
  Gathered all = finish_gather();
  if (all.size() != static_cast<std::size_t>(size()) || all.offsets.size() != all.size() + 1)
    throw std::runtime_error("an exchange between ranks returned " + std::to_string(all.size()) +
                             " messages for " + std::to_string(size()) + " ranks");
  // A failure outweighs an interruption; between failures, the lowest rank's is the one reported.
  int failed = -1;
  bool interrupted = false;
  for (std::size_t q = 0; q < all.size(); ++q) {
    if (all.status[q] == RankStatus::interrupted) interrupted = true;
    if ((all.status[q] == RankStatus::input_error || all.status[q] == RankStatus::internal_error) &&
        failed < 0)
      failed = static_cast<int>(q);
  }
  if (failed >= 0) {
    open_ = false;
    const auto q = static_cast<std::size_t>(failed);
    throw RankFailure(failed, all.status[q], std::string(all[q]));
  }
  if (interrupted) {
    open_ = false;
    throw Interrupted();
  }
  return all;
}

void Team::fail(RankStatus status, const std::string& text) noexcept {
  if (!open_) return;
  open_ = false;
  try {
    // The others complete the exchange in flight too; the failure is the next one.
    if (in_flight_) {
      in_flight_ = false;
      finish_gather();
    }
    start_gather(status, text);
    finish_gather();
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
