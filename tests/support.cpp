#include "support.hpp"

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace inspectsim::test {

namespace {

// Spawns argv[0] (searched on PATH), then (if signal > 0) waits delay_ms and sends it the signal,
// then waits for it.
RunResult run(const std::vector<std::string>& argv_s, int signal, int delay_ms) {
  TempDir dir;
  const std::string out_path = dir.file("stdout");
  const std::string err_path = dir.file("stderr");
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&actions, 2, err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  std::vector<std::string> args = argv_s;
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = 0;
  const int rc = posix_spawnp(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) throw std::runtime_error("cannot start " + argv_s[0]);
  if (signal > 0) {
    std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms));
    kill(pid, signal);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  RunResult r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  r.out = read_file(out_path);
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

RunResult run_inspectsim(const std::vector<std::string>& args) { return run(binary_and(args), 0, 0); }

RunResult run_inspectsim_signalled(const std::vector<std::string>& args, int signal, int delay_ms) {
  return run(binary_and(args), signal, delay_ms);
}

RunResult run_program(const std::vector<std::string>& argv) { return run(argv, 0, 0); }

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

}  // namespace inspectsim::test
