// Prints the 95% Wilson interval for 9 wrong of 17 through the installed library, and the field a
// bad confidence is refused with: what a program built on inspectsim sees.
#include <cstdio>

#include <inspectsim/inspectsim.hpp>

int main() {
  inspectsim::assess::AssessRequest request;
  request.x = 9;
  request.n = 17;
  request.methods = {inspectsim::stats::Method::wilson};
  const inspectsim::assess::Assessment a = inspectsim::assess::run(request);
  std::printf("%s\n", inspectsim::assess::assessment_sentence(a).c_str());
  request.confidence = 1.5;
  try {
    inspectsim::assess::run(request);
  } catch (const inspectsim::base::InputError& e) {
    std::printf("refused: %s (field %s)\n", e.what(), e.field().c_str());
  }
  return 0;
}
