// CLI tests of how every command writes its results: --output, --report and charts are replaced
// whole or not at all, a failed run leaves existing files untouched, a full device gives a clear
// error, and a reader that goes away ends the program quietly with 141 (issue #7).
#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include <doctest/doctest.h>

#include "support/support.hpp"

namespace fs = std::filesystem;
using inspectsim::test::read_file;
using inspectsim::test::run_inspectsim;
using inspectsim::test::run_inspectsim_with;
using inspectsim::test::RunResult;
using inspectsim::test::source_path;
using inspectsim::test::SpawnOptions;
using inspectsim::test::TempDir;

namespace {
const std::string scenario = source_path("scenarios/zero-errors-audit.toml");
const std::string results = source_path("scenarios/data/hmicfrs-cancelled-crimes.csv");

void write(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

// Every file in `dir`, so that a test can see that nothing (no temporary file) was left behind.
std::vector<std::string> names_in(const std::string& dir) {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(dir)) names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

// One successful run of each command, writing to stdout.
const std::vector<std::vector<std::string>> every_command = {
    {"assess", "9", "17"},
    {"compare", results, "--draws", "200"},
    {"simulate", scenario, "--replicates", "2000", "--quiet"},
    {"plan", "claim", "--tolerable", "0.05"},
};
}  // namespace

TEST_CASE("a failed run leaves existing output files untouched") {
  TempDir dir;
  const std::string out = dir.file("result.json"), report = dir.file("report.html");
  write(out, "previous result\n");
  write(report, "previous report\n");
  // Bad input: nothing is written.
  auto r = run_inspectsim(
      {"simulate", source_path("tests/bad-input/rate-nan.toml"), "--output", out, "--report", report});
  CHECK(r.exit_code == 2);
  r = run_inspectsim(
      {"compare", source_path("tests/bad-input/latin1.csv"), "--output", out, "--report", report});
  CHECK(r.exit_code == 2);
  // A good run whose report cannot be written (no such directory): the output is not replaced
  // either, as every file is complete before any is renamed into place.
  const std::string nowhere = dir.file("no/such/dir/report.html");
  r = run_inspectsim(
      {"simulate", scenario, "--replicates", "2000", "--quiet", "--output", out, "--report", nowhere});
  CHECK(r.exit_code == 2);
  CHECK(r.err == "inspectsim: " + nowhere + ": cannot write: No such file or directory\n");
  r = run_inspectsim(
      {"compare", results, "--draws", "200", "--report", report, "--output", dir.file("nothere/x.csv")});
  CHECK(r.exit_code == 2);
  CHECK(read_file(out) == "previous result\n");
  CHECK(read_file(report) == "previous report\n");
  CHECK(names_in(dir.path()) == std::vector<std::string>{"report.html", "result.json"});
}

TEST_CASE("a good run replaces every output whole, keeps permissions and follows symbolic links") {
  TempDir dir;
  const std::string out = dir.file("result.json"), report = dir.file("report.html");
  write(out, "previous result\n");
  fs::permissions(out, fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read);
  fs::create_symlink(report, dir.file("link.html"));
  const auto r = run_inspectsim({"simulate", scenario, "--replicates", "2000", "--quiet", "--format", "json",
                                 "--output", out, "--report", dir.file("link.html")});
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.empty());
  CHECK(read_file(out).starts_with("{"));
  CHECK(read_file(report).find("<html") != std::string::npos);
  CHECK(fs::is_symlink(dir.file("link.html")));
  CHECK((fs::status(out).permissions() & fs::perms::all) ==
        (fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read));
  CHECK(names_in(dir.path()) == std::vector<std::string>{"link.html", "report.html", "result.json"});
}

TEST_CASE("a full device gives a clear error, exit 2, and is not replaced") {
  // --output names a device: it is written in place (renaming a file over /dev/full, as root,
  // would replace the device).
  auto r = run_inspectsim({"simulate", scenario, "--replicates", "2000", "--quiet", "--output", "/dev/full"});
  CHECK(r.exit_code == 2);
  CHECK(r.err == "inspectsim: /dev/full: cannot write: No space left on device\n");
  CHECK(fs::is_character_file("/dev/full"));
  r = run_inspectsim({"compare", results, "--draws", "200", "--output", "/dev/null"});
  CHECK(r.exit_code == 0);
  CHECK(fs::is_character_file("/dev/null"));
  // Standard output on a full device.
  SpawnOptions full;
  full.stdout_path = "/dev/full";
  for (const auto& args : every_command) {
    CAPTURE(args[0]);
    r = run_inspectsim_with(args, full);
    CHECK(r.exit_code == 2);
    CHECK(r.err == "inspectsim: cannot write to standard output: No space left on device\n");
  }
}

TEST_CASE("a closed pipe ends every command quietly with 141, whether SIGPIPE is ignored or not") {
  for (const bool ignored : {false, true}) {
    SpawnOptions pipe;
    pipe.stdout_closed_pipe = true;
    pipe.sigpipe_ignored = ignored;
    for (const auto& args : every_command) {
      CAPTURE(args[0]);
      CAPTURE(ignored);
      const RunResult r = run_inspectsim_with(args, pipe);
      CHECK(r.exit_code == 141);  // killed by SIGPIPE (128 + 13), or exit 141 when it is ignored
      CHECK(r.err.empty());
    }
  }
}
