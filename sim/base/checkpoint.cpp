#include "inspectsim/base/checkpoint.hpp"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "inspectsim/base/error.hpp"
#include "inspectsim/base/io.hpp"
#include "inspectsim/base/version.hpp"

namespace inspectsim::base {

namespace {

using json = nlohmann::ordered_json;

// Every checkpoint starts with this member, first: remove_checkpoint recognises a file by it.
constexpr const char* format_name = "inspectsim checkpoint";

std::string named(const std::string& path) { return "checkpoint '" + path + "'"; }

// Where a checkpoint is written before it is renamed into place: beside it, hidden.
std::string partial_path(const std::string& path) {
  const std::filesystem::path p(path);
  return (p.parent_path() / ("." + p.filename().string() + ".partial")).string();
}

InputError damaged(const std::string& path, const std::string& what) {
  return InputError(named(path) + ": " + what + ": it was not written by this run, or is damaged");
}

// A value from the file, for a message: short, and only the characters a name may hold.
std::string shown(const json& v) {
  std::string text = v.is_string() ? v.get<std::string>() : v.dump();
  if (text.size() > 40) text = text.substr(0, 40) + "...";
  return text;
}

}  // namespace

StateField& StateWriter::add(const char* name, bool real) {
  StateField& f = state_.emplace_back();
  f.name = prefix_.empty() ? std::string(name) : prefix_ + "." + name;
  f.real = real;
  return f;
}

const StateField& StateReader::next(const char* name, bool real, std::size_t size) {
  const std::string full = prefix_.empty() ? std::string(name) : prefix_ + "." + name;
  if (at_ >= state_.size()) throw damaged(source_, "its state ends before " + full);
  const StateField& f = state_[at_++];
  if (f.name != full) throw damaged(source_, "its state has " + f.name + " where " + full + " belongs");
  if (f.real != real || (real ? f.sums.size() : f.counts.size()) != size)
    throw damaged(source_, full + " should hold " + std::to_string(size) + (real ? " sums" : " counts"));
  return f;
}

void StateReader::finish() const {
  if (at_ != state_.size())
    throw damaged(source_, "its state has more fields than this run keeps (" + state_[at_].name + ")");
}

std::size_t checkpoint_size_bound(const CheckpointState& state) {
  // {"name":"...","counts":[...]}, with a comma per number; the identity fits in the slack.
  std::size_t bytes = 65536;
  for (const StateField& f : state) bytes += f.name.size() + 32 + 21 * f.counts.size() + 25 * f.sums.size();
  return bytes;
}

std::optional<SavedRun> read_checkpoint(const std::string& path, const RunIdentity& run,
                                        std::size_t max_bytes) {
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  if (!std::filesystem::exists(std::filesystem::symlink_status(path, ec))) return std::nullopt;
  // A named pipe or a device would be waited on or read forever: a checkpoint is a regular file.
  if (!std::filesystem::is_regular_file(status))
    throw InputError(named(path) + " is not a regular file: give the path of a file to keep the progress in");
  const std::string text = read_text_file(path, max_bytes);
  const json j = json::parse(text, nullptr, false);
  auto not_one = [&](const std::string& why) {
    return InputError(named(path) + " is not an inspectsim checkpoint (" + why +
                      "): give another checkpoint path, or remove the file");
  };
  if (j.is_discarded()) throw not_one("it is not JSON");
  if (!j.is_object() || j.value("format", json()) != format_name)
    throw not_one("it has no \"format\": \"" + std::string(format_name) + "\"");

  auto member = [&](const char* key, auto check) -> const json& {
    const auto it = j.find(key);
    if (it == j.end() || !check(*it))
      throw not_one(std::string("its \"") + key + "\" is missing or malformed");
    return *it;
  };
  const auto is_string = [](const json& v) { return v.is_string(); };
  const auto is_whole = [](const json& v) { return v.is_number_unsigned(); };
  const json& version_v = member("version", is_string);
  const json& command_v = member("command", is_string);
  const json& input_v = member("input_sha256", is_string);
  const json& seed_v = member("seed", is_whole);
  const json& replicates_v = member("replicates", is_whole);
  const json& blocks_v = member("blocks", is_whole);
  const json& merged_v = member("merged", is_whole);
  const json& state_v = member("state", [](const json& v) { return v.is_array(); });

  // What differs, most basic first, so the message names the cause.
  const std::string stale = ": remove it (or give another checkpoint path) to start the run afresh";
  if (version_v.get<std::string>() != version())
    throw InputError(named(path) + " was written by inspectsim " + shown(version_v) + ", but this is " +
                     version() + stale);
  if (command_v.get<std::string>() != run.command)
    throw InputError(named(path) + " is of a '" + shown(command_v) + "' run, but this is a '" + run.command +
                     "' run" + stale);
  if (input_v.get<std::string>() != run.input_sha256)
    throw InputError(named(path) + " is of a run of another input (SHA-256 " + shown(input_v) +
                     "), but this run's input has SHA-256 " + run.input_sha256 + stale);
  if (seed_v.get<std::uint64_t>() != run.seed)
    throw InputError(named(path) + " is of a run with seed " + shown(seed_v) + ", but this run's seed is " +
                     std::to_string(run.seed) + stale);
  if (replicates_v.get<std::uint64_t>() != static_cast<std::uint64_t>(run.replicates))
    throw InputError(named(path) + " is of a run of " + shown(replicates_v) +
                     " replicates, but this run has " + std::to_string(run.replicates) + stale);
  if (blocks_v.get<std::uint64_t>() != run.blocks)
    throw InputError(named(path) + " is of a run of " + shown(blocks_v) + " blocks, but this run has " +
                     std::to_string(run.blocks) + stale);

  SavedRun saved;
  saved.merged = merged_v.get<std::uint64_t>();
  if (saved.merged > run.blocks) throw not_one("it has more blocks merged than the run has");
  for (const json& f : state_v) {
    if (!f.is_object() || !f.contains("name") || !f["name"].is_string())
      throw not_one("a state field has no name");
    StateField& field = saved.state.emplace_back();
    field.name = f["name"].get<std::string>();
    const bool counts = f.contains("counts") && f["counts"].is_array();
    const bool sums = f.contains("sums") && f["sums"].is_array();
    if (counts == sums) throw not_one("state field " + shown(f["name"]) + " has neither counts nor sums");
    field.real = sums;
    for (const json& v : counts ? f["counts"] : f["sums"]) {
      if (counts ? !v.is_number_unsigned() : !v.is_number())
        throw not_one("state field " + shown(f["name"]) + " holds " + shown(v));
      if (counts)
        field.counts.push_back(v.get<std::uint64_t>());
      else
        field.sums.push_back(v.get<double>());
    }
  }
  return saved;
}

void write_checkpoint(const std::string& path, const RunIdentity& run, std::uint64_t merged,
                      const CheckpointState& state) {
  json j;
  j["format"] = format_name;
  j["version"] = version();
  j["command"] = run.command;
  j["input_sha256"] = run.input_sha256;
  j["seed"] = run.seed;
  j["replicates"] = static_cast<std::uint64_t>(run.replicates);
  j["blocks"] = run.blocks;
  j["merged"] = merged;
  json fields = json::array();
  for (const StateField& f : state) {
    json e;
    e["name"] = f.name;
    if (f.real)
      e["sums"] = f.sums;
    else
      e["counts"] = f.counts;
    fields.push_back(std::move(e));
  }
  j["state"] = std::move(fields);
  // Written beside the checkpoint under one fixed name and renamed over it, so that a run killed
  // while writing (SIGKILL cannot be held off) leaves at most that one file, which the next write
  // replaces and remove_checkpoint removes.
  const std::string partial = partial_path(path);
  {
    std::ofstream out(partial, std::ios::binary | std::ios::trunc);
    out << j.dump() << '\n';
    out.flush();
    if (!out) throw InputError(named(path) + ": cannot write " + partial + ": " + std::strerror(errno));
  }
  std::error_code ec;
  std::filesystem::rename(partial, path, ec);
  if (ec) throw InputError(named(path) + ": cannot write it: " + ec.message());
}

void remove_checkpoint(const std::string& path) {
  // A checkpoint, and a partial one only as far as it got: the file must begin like one.
  auto remove_if_ours = [](const std::string& file, bool partial) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(file, ec)) return;
    const std::string prefix = std::string("{\"format\":\"") + format_name + "\"";
    std::string head(prefix.size(), '\0');
    {
      std::ifstream in(file, std::ios::binary);
      if (!in) return;
      in.read(head.data(), static_cast<std::streamsize>(head.size()));
      head.resize(static_cast<std::size_t>(in.gcount()));
    }
    if (partial ? prefix.compare(0, head.size(), head) != 0 : head != prefix) return;
    std::filesystem::remove(file, ec);
  };
  remove_if_ours(path, false);
  remove_if_ours(partial_path(path), true);
}

}  // namespace inspectsim::base
