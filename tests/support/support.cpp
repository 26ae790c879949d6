#include "support/support.hpp"

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>
#include <thread>

#include <doctest/doctest.h>

#include <fcntl.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace inspectsim::test {

namespace {

// Spawns argv[0] (searched on PATH) as `options` say, then waits for it.
RunResult run(const std::vector<std::string>& argv_s, const SpawnOptions& options) {
  TempDir dir;
  const std::string out_path = options.stdout_path.empty() ? dir.file("stdout") : options.stdout_path;
  const std::string err_path = dir.file("stderr");
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  int pipe_fds[2] = {-1, -1};
  if (options.stdout_closed_pipe) {
    if (pipe(pipe_fds) != 0) throw std::runtime_error("pipe failed");
    close(pipe_fds[0]);  // nobody will ever read: writing raises SIGPIPE
    posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], 1);
    posix_spawn_file_actions_addclose(&actions, pipe_fds[1]);
  } else {
    posix_spawn_file_actions_addopen(&actions, 1, out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  }
  posix_spawn_file_actions_addopen(&actions, 2, err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  sigset_t defaults;
  sigemptyset(&defaults);
  if (!options.sigpipe_ignored) sigaddset(&defaults, SIGPIPE);
  posix_spawnattr_setsigdefault(&attributes, &defaults);
  posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSIGDEF);
  // A signal ignored in the parent stays ignored in the child (unless set to default above).
  struct sigaction ignore {
  }, previous{};
  ignore.sa_handler = SIG_IGN;
  if (options.sigpipe_ignored) sigaction(SIGPIPE, &ignore, &previous);
  std::vector<std::string> args = argv_s;
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = 0;
  const auto start = std::chrono::steady_clock::now();
  const int rc = posix_spawnp(&pid, argv[0], &actions, &attributes, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attributes);
  if (options.sigpipe_ignored) sigaction(SIGPIPE, &previous, nullptr);
  if (pipe_fds[1] >= 0) close(pipe_fds[1]);
  if (rc != 0) throw std::runtime_error("cannot start " + argv_s[0]);
  if (options.signal > 0) {
    std::this_thread::sleep_for(std::chrono::milliseconds(options.delay_ms));
    kill(pid, options.signal);
  }
  int status = 0;
  struct rusage usage {};
  wait4(pid, &status, 0, &usage);
  RunResult r;
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  r.max_rss_kb = usage.ru_maxrss;
  r.cpu_seconds = static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
                  1e-6 * static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  if (options.stdout_path.empty() && !options.stdout_closed_pipe) r.out = read_file(out_path);
  r.err = read_file(err_path);
  return r;
}

// The inspectsim binary followed by `args`.
std::vector<std::string> binary_and(const std::vector<std::string>& args) {
  std::vector<std::string> argv{INSPECTSIM_BINARY};
  argv.insert(argv.end(), args.begin(), args.end());
  return argv;
}

}  // namespace

RunResult run_inspectsim(const std::vector<std::string>& args) { return run(binary_and(args), {}); }

RunResult run_inspectsim_with(const std::vector<std::string>& args, const SpawnOptions& options) {
  return run(binary_and(args), options);
}

RunResult run_inspectsim_signalled(const std::vector<std::string>& args, int signal, int delay_ms) {
  SpawnOptions options;
  options.signal = signal;
  options.delay_ms = delay_ms;
  return run(binary_and(args), options);
}

RunResult run_program(const std::vector<std::string>& argv) { return run(argv, {}); }

std::string xml_problems(const std::string& text) {
  TempDir dir;
  const std::string path = dir.file("document.xml");
  {
    std::ofstream out(path, std::ios::binary);
    out << text;
  }
  const RunResult r = run_program({"xmllint", "--noout", "--nonet", path});
  if (r.exit_code == 0 && r.err.empty()) return "";
  return r.err.empty() ? "xmllint exit code " + std::to_string(r.exit_code) : r.err;
}

bool contains_word(const std::string& text, const std::string& word) {
  auto letter = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); };
  for (std::size_t at = text.find(word); at != std::string::npos; at = text.find(word, at + 1)) {
    const bool before = at > 0 && letter(text[at - 1]);
    const bool after = at + word.size() < text.size() && letter(text[at + word.size()]);
    if (!before && !after) return true;
  }
  return false;
}

std::string source_path(const std::string& relative) {
  return std::string(INSPECTSIM_SOURCE_DIR) + "/" + relative;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::vector<std::string> shipped_scenarios() {
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(source_path("scenarios")))
    if (entry.path().extension() == ".toml") names.push_back(entry.path().stem().string());
  std::sort(names.begin(), names.end());
  return names;
}

TempDir::TempDir() {
  std::string tmpl = (std::filesystem::temp_directory_path() / "inspectsim-test-XXXXXX").string();
  if (mkdtemp(tmpl.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  path_ = tmpl;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

void check_refusals(const std::vector<Refusal>& cases) {
  for (const Refusal& c : cases) {
    CAPTURE(c.args);
    const RunResult r = run_inspectsim(c.args);
    CHECK(r.exit_code == 2);
    CHECK(r.out.empty());
    CHECK(r.err == c.message);
  }
}

void check_killed_and_resumed(const std::vector<std::string>& args, const std::string& checkpoint,
                              unsigned seed) {
  const RunResult whole = run_inspectsim(args);
  REQUIRE(whole.exit_code == 0);
  std::vector<std::string> resumable = args;
  resumable.insert(resumable.end(), {"--checkpoint", checkpoint, "--checkpoint-interval", "0"});
  const int span_ms = std::max(50, static_cast<int>(whole.seconds * 1000));
  std::mt19937 pick(seed);  // the test's own choice of moments
  int killed = 0;
  for (int i = 0; i < 6; ++i) {
    std::vector<std::string> run = resumable;
    run.insert(run.end(), {"--threads", i % 2 == 0 ? "2" : "1"});
    const int delay = std::uniform_int_distribution<int>(0, span_ms)(pick);
    CAPTURE(delay);
    const RunResult r = run_inspectsim_signalled(run, SIGKILL, delay);
    if (r.exit_code == 128 + SIGKILL) {
      ++killed;
      continue;
    }
    // It finished: the output is the uninterrupted one, and the checkpoint is gone.
    CHECK(r.exit_code == 0);
    CHECK(r.out == whole.out);
    CHECK_FALSE(std::filesystem::exists(checkpoint));
  }
  const RunResult finished = run_inspectsim(resumable);
  CHECK(finished.exit_code == 0);
  CHECK(finished.out == whole.out);
  // The checkpoint is removed, and no partial one is left either.
  CHECK(std::filesystem::is_empty(std::filesystem::path(checkpoint).parent_path()));
  MESSAGE(killed << " of 6 runs killed (whole run " << whole.seconds << " s)");
  CHECK(killed > 0);
}

}  // namespace inspectsim::test
