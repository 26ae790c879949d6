// Test helpers: run the real inspectsim binary and capture what it prints.
#pragma once

#include <string>
#include <vector>

namespace inspectsim::test {

struct RunResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Runs the built inspectsim binary with `args` (no shell), stdin from /dev/null.
RunResult run_inspectsim(const std::vector<std::string>& args);

// The same, sending `signal` to the process `delay_ms` milliseconds after it starts (for Ctrl-C).
RunResult run_inspectsim_signalled(const std::vector<std::string>& args, int signal, int delay_ms);

// Absolute path of a file in the source tree ("scenarios/hampshire-2018.toml").
std::string source_path(const std::string& relative);

// A whole file's bytes ("" when it cannot be read).
std::string read_file(const std::string& path);

// The names of the shipped scenarios, scenarios/<name>.toml, sorted.
std::vector<std::string> shipped_scenarios();

// A fresh empty directory under the system temp dir, removed when the object dies.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  std::string file(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

}  // namespace inspectsim::test
