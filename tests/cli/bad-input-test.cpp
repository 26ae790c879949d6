// The bad-input suite: every file in tests/bad-input/ (listed with its command, exit code and message
// in tests/bad-input/MANIFEST.tsv), and inputs that cannot be committed (a directory, a missing
// file, an unreadable one, /dev/zero, a 100 MB line), run through the real binary. Each must fail
// with exit code 2, nothing on stdout and a message naming the place and the problem, within a
// second and in bounded memory.
//
// These runs are timed, which the house rules otherwise avoid: the issue (#7) asks for "within a
// second". They build their own executable, which ctest runs alone (RUN_SERIAL) so that other
// tests do not compete for the two cores of the CI machine.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <doctest/doctest.h>
#include <unistd.h>

#include "support/support.hpp"

namespace fs = std::filesystem;
using inspectsim::test::run_inspectsim;
using inspectsim::test::RunResult;
using inspectsim::test::source_path;
using inspectsim::test::TempDir;

namespace {

#if defined(__SANITIZE_ADDRESS__)
// AddressSanitizer makes the same work two to three times slower: a 100 MB line took 1.01 s of CPU
// under it in a clean-clone CI run. The test build keeps the one-second bound.
constexpr double max_seconds = 2.5;
#else
constexpr double max_seconds = 1.0;
#endif
constexpr long max_rss_kb = 256 * 1024;

struct Expected {
  std::string file;
  std::string command;
  int exit_code = 0;
  std::string message;  // with {} for the path
};

std::vector<Expected> manifest() {
  std::ifstream in(source_path("tests/bad-input/MANIFEST.tsv"));
  std::vector<Expected> out;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line.starts_with("#")) continue;
    std::vector<std::string> f;
    std::stringstream ss(line);
    for (std::string field; std::getline(ss, field, '\t');) f.push_back(field);
    REQUIRE_MESSAGE(f.size() == 4, "MANIFEST.tsv: not four tab-separated fields: " << line);
    out.push_back({f[0], f[1], std::stoi(f[2]), f[3]});
  }
  return out;
}

std::string with_path(std::string message, const std::string& path) {
  for (std::size_t at = message.find("{}"); at != std::string::npos;
       at = message.find("{}", at + path.size()))
    message.replace(at, 2, path);
  return message;
}

// The checks every bad input must pass.
void check_refused(const RunResult& r, const std::string& message) {
  CHECK(r.exit_code == 2);
  CHECK(r.out.empty());
  const std::string first_line = r.err.substr(0, r.err.find('\n'));
  CHECK(first_line == "inspectsim: " + message);
  CHECK(r.cpu_seconds <= max_seconds);  // CPU time: steady when other jobs share the machine
  CHECK(r.max_rss_kb <= max_rss_kb);
}

}  // namespace

TEST_CASE("every file in tests/bad-input/ is refused as its manifest says") {
  const auto expected = manifest();
  CHECK(expected.size() >= 60);
  // Every committed file is listed, and every listed file exists.
  std::size_t files = 0;
  for (const auto& entry : fs::directory_iterator(source_path("tests/bad-input"))) {
    const std::string name = entry.path().filename().string();
    if (name == "MANIFEST.tsv" || name == "README.md") continue;
    ++files;
    CHECK_MESSAGE(
        std::any_of(expected.begin(), expected.end(), [&](const Expected& e) { return e.file == name; }),
        name << " is not in MANIFEST.tsv");
  }
  CHECK(files == expected.size());
  double slowest = 0;
  long largest = 0;
  for (const Expected& e : expected) {
    const std::string path = source_path("tests/bad-input/" + e.file);
    CAPTURE(e.file);
    const RunResult r = run_inspectsim({e.command, path});
    CHECK(r.exit_code == e.exit_code);
    check_refused(r, with_path(e.message, path));
    slowest = std::max(slowest, r.cpu_seconds);
    largest = std::max(largest, r.max_rss_kb);
  }
  MESSAGE(expected.size() << " bad-input files: slowest " << slowest << " s CPU, largest " << largest / 1024
                          << " MB resident");
}

TEST_CASE("a directory, a missing file and a device are refused by both readers") {
  const std::string dir = source_path("tests/bad-input");
  for (const char* command : {"simulate", "compare"}) {
    CAPTURE(command);
    check_refused(run_inspectsim({command, dir}), dir + ": cannot read: it is a directory, not a file");
    const std::string missing = source_path("tests/bad-input/no-such-file");
    check_refused(run_inspectsim({command, missing}), missing + ": cannot read: no such file");
  }
  // An endless device is read only up to the limit.
  check_refused(run_inspectsim({"simulate", "/dev/zero"}),
                "/dev/zero: cannot read: the file is larger than 16 MiB, the limit for this kind of input");
  check_refused(run_inspectsim({"compare", "/dev/zero"}),
                "/dev/zero: cannot read: the file is larger than 64 MiB, the limit for this kind of input");
}

TEST_CASE("an unreadable file is refused with the system's reason") {
  TempDir dir;
  const std::string path = dir.file("secret.toml");
  std::ofstream(path) << "replicates = 10\n";
  fs::permissions(path, fs::perms::none);
  if (geteuid() != 0) {
    check_refused(run_inspectsim({"simulate", path}), path + ": cannot read: Permission denied");
    return;
  }
  // root reads a file whatever its permissions (and CI runs as root), so the program is run as
  // the unprivileged user nobody with util-linux's setpriv, from a copy the user can reach (the
  // build directory may be under root's private home).
  const std::string copy = dir.file("inspectsim");
  fs::copy_file(INSPECTSIM_BINARY, copy);
  fs::permissions(copy, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                            fs::perms::others_read | fs::perms::others_exec);
  fs::permissions(dir.path(), fs::perms::others_read | fs::perms::others_exec, fs::perm_options::add);
  const RunResult r = inspectsim::test::run_program(
      {"setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", copy, "simulate", path});
  check_refused(r, path + ": cannot read: Permission denied");
}

TEST_CASE("a 100 MB line is refused at once, in bounded memory") {
  TempDir dir;
  const std::string line(100'000'000, 'x');
  const std::string toml = dir.file("long-line.toml");
  std::ofstream(toml, std::ios::binary) << "title = \"" << line << "\"\n";
  check_refused(run_inspectsim({"simulate", toml}),
                toml + ": cannot read: the file is larger than 16 MiB, the limit for this kind of input");
  const std::string csv = dir.file("long-line.csv");
  std::ofstream(csv, std::ios::binary) << "force,inspection,category,sampled,incorrect\n"
                                       << line << ",a,b,1,0\n";
  check_refused(run_inspectsim({"compare", csv}),
                csv + ": cannot read: the file is larger than 64 MiB, the limit for this kind of input");
  // Within the limit, a 10 MB line is parsed and refused for what it is.
  const std::string short_csv = dir.file("ten-megabyte-line.csv");
  std::ofstream(short_csv, std::ios::binary) << "force,inspection,category,sampled,incorrect\n"
                                             << std::string(10'000'000, 'x') << "\n";
  check_refused(run_inspectsim({"compare", short_csv}),
                short_csv + ":2: row: has 1 fields, but the header has 5 (quote fields that contain commas)");
}
