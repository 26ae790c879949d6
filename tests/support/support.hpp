// Test helpers: run the real inspectsim binary and capture what it prints.
#pragma once

#include <string>
#include <vector>

namespace inspectsim::test {

struct RunResult {
  int exit_code = -1;  // 128 + N when killed by signal N
  std::string out;
  std::string err;
  double seconds = 0;  // wall time from start to exit
  double cpu_seconds =
      0;  // the child's user + system CPU time (wait4): steadier than wall time on a busy machine
  long max_rss_kb = 0;  // the child's peak resident memory (wait4)
};

// How to run the binary, beyond the defaults (stdin from /dev/null, stdout and stderr captured).
struct SpawnOptions {
  int signal = 0;  // sent `delay_ms` after the start (e.g. SIGINT for Ctrl-C)
  int delay_ms = 0;
  std::string stdout_path;          // stdout goes to this file or device instead (e.g. /dev/full)
  bool stdout_closed_pipe = false;  // stdout is a pipe whose read end is already closed
  bool sigpipe_ignored = false;     // the child starts with SIGPIPE ignored (as under some parents)
};

// Runs the built inspectsim binary with `args` (no shell) as `options` say. SIGPIPE has its
// default action in the child, as in a shell, unless options.sigpipe_ignored.
RunResult run_inspectsim_with(const std::vector<std::string>& args, const SpawnOptions& options);

// Runs the built inspectsim binary with `args` (no shell), stdin from /dev/null.
RunResult run_inspectsim(const std::vector<std::string>& args);

// The same, sending `signal` to the process `delay_ms` milliseconds after it starts (for Ctrl-C).
RunResult run_inspectsim_signalled(const std::vector<std::string>& args, int signal, int delay_ms);

// Runs any program found on PATH with `argv` (argv[0] included), stdin from /dev/null.
RunResult run_program(const std::vector<std::string>& argv);

// Checks that `text` is well-formed XML with libxml2's parser (`xmllint --noout --nonet`, from
// Debian's libxml2-utils, used only by the tests): returns "" when it is, else the parser's
// messages. HTML reports are written as well-formed XML (polyglot markup) so this checks them too.
std::string xml_problems(const std::string& text);

// Whether `word` occurs in `text` with no letter on either side ("nan" but not "provenance").
bool contains_word(const std::string& text, const std::string& word);

// Absolute path of a file in the source tree ("scenarios/hampshire-2018.toml").
std::string source_path(const std::string& relative);

// A whole file's bytes ("" when it cannot be read).
std::string read_file(const std::string& path);

// The names of the shipped scenarios, scenarios/<name>.toml, sorted.
std::vector<std::string> shipped_scenarios();

// A command line the binary must refuse, and exactly what it must print on stderr.
struct Refusal {
  std::vector<std::string> args;
  std::string message;
};
// Runs every case (doctest checks): exit code 2, nothing on stdout, stderr exactly `message`.
void check_refusals(const std::vector<Refusal>& cases);

// Runs `args` with `--checkpoint CHECKPOINT --checkpoint-interval 0` six times (alternately on 2
// threads and 1), each killed with SIGKILL at a random moment within an uninterrupted run's time
// (from `seed`), then once more to its end (doctest checks): every run that finished, and the last,
// print exactly what the uninterrupted run prints, and leave no checkpoint behind, nor anything else
// in CHECKPOINT's directory. At least one run must have been killed.
void check_killed_and_resumed(const std::vector<std::string>& args, const std::string& checkpoint,
                              unsigned seed);

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
