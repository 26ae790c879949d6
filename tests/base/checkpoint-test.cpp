// base/checkpoint.hpp: state fields saved and read back bit for bit, and checkpoint files of another
// run, of another version or damaged refused with a message that names what differs.
#include "inspectsim/base/checkpoint.hpp"

#include <bit>
#include <concepts>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <limits>
#include <string>
#include <type_traits>
#include <vector>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "inspectsim/base/error.hpp"
#include "inspectsim/base/version.hpp"
#include "support/support.hpp"

using inspectsim::base::CheckpointState;
using inspectsim::base::InputError;
using inspectsim::base::RunIdentity;
using inspectsim::base::StateReader;
using inspectsim::base::StateWriter;
using inspectsim::test::read_file;
using inspectsim::test::TempDir;

namespace {

struct Part {
  std::vector<std::uint64_t> counts;
  double sum = 0;
};
struct Whole {
  std::vector<Part> parts;
  std::uint64_t total = 0;
  std::vector<double> sums;
};

template <class T, class Visit>
requires std::same_as<std::remove_const_t<T>, Part>
void fields(T& p, Visit& visit) {
  visit("counts", p.counts);
  visit("sum", p.sum);
}

template <class T, class Visit>
requires std::same_as<std::remove_const_t<T>, Whole>
void fields(T& w, Visit& visit) {
  for (std::size_t i = 0; i < w.parts.size(); ++i) {
    visit.scope("parts[" + std::to_string(i) + "]");
    fields(w.parts[i], visit);
  }
  visit.scope("");
  visit("total", w.total);
  visit("sums", w.sums);
}

Whole shaped(std::size_t parts, std::size_t counts, std::size_t sums) {
  Whole w;
  w.parts.assign(parts, Part{std::vector<std::uint64_t>(counts, 0), 0});
  w.sums.assign(sums, 0);
  return w;
}

CheckpointState saved(const Whole& w) {
  StateWriter writer;
  fields(w, writer);
  return writer.take();
}

std::string read_back_error(const CheckpointState& state, Whole into) {
  try {
    StateReader reader(state, "c.json");
    fields(into, reader);
    reader.finish();
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

const RunIdentity run{"simulate", std::string(64, 'a'), 7, 10000, 3};

void write(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

std::string refusal(const std::string& path, const RunIdentity& id = run) {
  try {
    (void)inspectsim::base::read_checkpoint(path, id, 1 << 20);
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("state fields read back bit for bit, whatever the sums hold") {
  Whole w = shaped(2, 3, 4);
  w.parts[0].counts = {0, 1, std::numeric_limits<std::uint64_t>::max()};
  w.parts[1].counts = {5, 6, 7};
  w.parts[0].sum = 0.1 + 0.2;  // not 0.3: the last bit matters
  w.parts[1].sum = -0.0;
  w.total = 123456789012345ULL;
  w.sums = {std::numeric_limits<double>::denorm_min(), std::numeric_limits<double>::max(), 1.0 / 3.0,
            -2.5e-300};

  // Through a file, as a resumed run reads it.
  TempDir dir;
  const std::string path = dir.file("c.json");
  inspectsim::base::write_checkpoint(path, run, 2, saved(w));
  const auto back = inspectsim::base::read_checkpoint(path, run, 1 << 20);
  REQUIRE(back.has_value());
  CHECK(back->merged == 2);
  Whole r = shaped(2, 3, 4);
  StateReader reader(back->state, path);
  fields(r, reader);
  reader.finish();
  for (std::size_t i = 0; i < 2; ++i) {
    CHECK(r.parts[i].counts == w.parts[i].counts);
    CHECK(std::bit_cast<std::uint64_t>(r.parts[i].sum) == std::bit_cast<std::uint64_t>(w.parts[i].sum));
  }
  CHECK(r.total == w.total);
  for (std::size_t i = 0; i < 4; ++i)
    CHECK(std::bit_cast<std::uint64_t>(r.sums[i]) == std::bit_cast<std::uint64_t>(w.sums[i]));
}

TEST_CASE("a state of another shape is refused, naming the field") {
  const CheckpointState state = saved(shaped(2, 3, 4));
  CHECK(read_back_error(state, shaped(2, 3, 4)).empty());
  CHECK(read_back_error(state, shaped(2, 4, 4)) ==
        "checkpoint 'c.json': parts[0].counts should hold 4 counts: it was not written by this run, or is "
        "damaged");
  CHECK(read_back_error(state, shaped(3, 3, 4)) ==
        "checkpoint 'c.json': its state has total where parts[2].counts belongs: it was not written by this "
        "run, "
        "or is damaged");
  CHECK(read_back_error(state, shaped(1, 3, 4)) ==
        "checkpoint 'c.json': its state has parts[1].counts where total belongs: it was not written by this "
        "run, "
        "or is damaged");
  CheckpointState more = state;
  more.push_back({"extra", false, {1}, {}});
  CHECK(read_back_error(more, shaped(2, 3, 4)) ==
        "checkpoint 'c.json': its state has more fields than this run keeps (extra): it was not written by "
        "this "
        "run, or is damaged");
  CheckpointState kind = state;
  kind[1].real = false;  // parts[0].sum saved as counts
  kind[1].counts = {0};
  CHECK(
      read_back_error(kind, shaped(2, 3, 4)) ==
      "checkpoint 'c.json': parts[0].sum should hold 1 sums: it was not written by this run, or is damaged");
}

TEST_CASE("a checkpoint of another run or version is refused, naming what differs") {
  TempDir dir;
  const std::string path = dir.file("c.json");
  CHECK_FALSE(inspectsim::base::read_checkpoint(path, run, 1 << 20).has_value());  // none yet
  inspectsim::base::write_checkpoint(path, run, 1, saved(shaped(1, 2, 0)));
  CHECK(refusal(path).empty());
  const std::string afresh = ": remove it (or give another checkpoint path) to start the run afresh";
  RunIdentity other = run;
  other.seed = 8;
  CHECK(refusal(path, other) ==
        "checkpoint '" + path + "' is of a run with seed 7, but this run's seed is 8" + afresh);
  other = run;
  other.replicates = 20000;
  CHECK(refusal(path, other) ==
        "checkpoint '" + path + "' is of a run of 10000 replicates, but this run has 20000" + afresh);
  other = run;
  other.input_sha256 = std::string(64, 'b');
  CHECK(refusal(path, other) == "checkpoint '" + path + "' is of a run of another input (SHA-256 " +
                                    std::string(40, 'a') + "...), but this run's input has SHA-256 " +
                                    std::string(64, 'b') + afresh);
  other = run;
  other.command = "compare";
  CHECK(refusal(path, other) ==
        "checkpoint '" + path + "' is of a 'simulate' run, but this is a 'compare' run" + afresh);

  // Another version: the file edited as a newer inspectsim would have written it.
  auto j = nlohmann::ordered_json::parse(read_file(path));
  j["version"] = "9.9.9";
  write(path, j.dump());
  CHECK(refusal(path) == "checkpoint '" + path + "' was written by inspectsim 9.9.9, but this is " +
                             inspectsim::base::version() + afresh);
}

TEST_CASE("a file that is not a checkpoint is refused, and never removed") {
  TempDir dir;
  const std::string path = dir.file("c.json");
  const std::string not_one = "checkpoint '" + path + "' is not an inspectsim checkpoint (";
  const std::string tail = "): give another checkpoint path, or remove the file";
  write(path, "results I care about\n");
  CHECK(refusal(path) == not_one + "it is not JSON" + tail);
  inspectsim::base::remove_checkpoint(path);
  CHECK(std::filesystem::exists(path));
  write(path, "{\"format\": \"something else\"}");
  CHECK(refusal(path) == not_one + "it has no \"format\": \"inspectsim checkpoint\"" + tail);

  inspectsim::base::write_checkpoint(path, run, 1, saved(shaped(1, 2, 0)));
  auto j = nlohmann::ordered_json::parse(read_file(path));
  j["merged"] = 4;  // more than the run's 3 blocks
  write(path, j.dump());
  CHECK(refusal(path) == not_one + "it has more blocks merged than the run has" + tail);
  j["merged"] = -1;
  write(path, j.dump());
  CHECK(refusal(path) == not_one + "its \"merged\" is missing or malformed" + tail);
  j["merged"] = 1;
  j["state"][0]["counts"][1] = 0.5;
  write(path, j.dump());
  CHECK(refusal(path) == not_one + "state field parts[0].counts holds 0.5" + tail);
}

TEST_CASE("remove_checkpoint removes the checkpoint and a partial one left by a killed write") {
  TempDir dir;
  const std::string path = dir.file("c.json");
  const std::string partial = dir.file(".c.json.partial");
  inspectsim::base::write_checkpoint(path, run, 1, saved(shaped(1, 2, 0)));
  CHECK_FALSE(std::filesystem::exists(partial));  // renamed into place
  const std::string text = read_file(path);
  write(partial, text.substr(0, 20));  // a write cut short
  inspectsim::base::remove_checkpoint(path);
  CHECK_FALSE(std::filesystem::exists(path));
  CHECK_FALSE(std::filesystem::exists(partial));
  write(partial, "not ours");
  inspectsim::base::remove_checkpoint(path);
  CHECK(std::filesystem::exists(partial));
}
