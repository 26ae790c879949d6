// The fuzz targets' logic, in plain functions: libFuzzer calls them through the small entry
// points tests/fuzz/fuzz-<name>.cpp (clang, INSPECTSIM_FUZZ=ON, scripts/fuzz), and the doctest
// suite replays every input that ever failed (tests/fuzz/regressions/<name>/) through the same
// functions with any compiler, so a fixed bug stays fixed.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace inspectsim::fuzz {

// Runs one input. Returns "" when the program handled it as it must (a result, or a clear
// input error); otherwise a description of the bug found. Memory errors, undefined behaviour and
// leaks are the sanitizers' to report.
using TargetFunction = std::string (*)(std::string_view input);

struct Target {
  std::string name;  // the directory name under tests/fuzz/regressions/ and the binary fuzz-<name>
  TargetFunction run;
};

// Every target, in a fixed order.
const std::vector<Target>& targets();

// The target called `name`; throws std::invalid_argument for an unknown name.
TargetFunction target(std::string_view name);

// What a libFuzzer entry point does: runs target `name` on the input and, when it reports a
// problem, prints it to stderr and aborts (libFuzzer then keeps the input as a crash).
int fuzz_one(std::string_view name, const std::uint8_t* data, std::size_t size);

// Runs `inspectsim <subcommand> ARGS...` in-process, ARGS being the input split at line breaks.
// An input whose arguments contain '/' is skipped (it could name any file on the machine), and
// so is one that sets --max-work or --max-memory (a larger budget is the user's explicit
// choice). The program runs with fuzz_budget (targets.cpp: 3*10^6 units of work, 256 MB) in a
// scratch directory, stdin from /dev/null. Its stdout and stderr are captured and checked: exit
// code 0 or 2 (1 is an internal error, i.e. a bug); on exit 2 nothing on stdout and messages
// on stderr starting "inspectsim: "; on success no NaN or infinity in the output.
std::string run_cli(std::string_view subcommand, std::string_view input);

// A word "nan", "inf" or "infinity" (any case) in `text`, or "" when there is none.
std::string find_non_finite(std::string_view text);

}  // namespace inspectsim::fuzz
