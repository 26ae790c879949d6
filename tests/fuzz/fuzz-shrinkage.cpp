// libFuzzer entry point for the fuzz target shrinkage (tests/fuzz/targets.hpp).
#include "targets.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return inspectsim::fuzz::fuzz_one("shrinkage", data, size);
}
