// libFuzzer entry point: `inspectsim assess` with the input's lines as arguments.
#include "targets.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return inspectsim::fuzz::fuzz_one("cli-assess", data, size);
}
