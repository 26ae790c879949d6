// Writers for `inspectsim assess`: the assessment as a sentence, a readable table, CSV (one row per
// interval method) or JSON (everything, with provenance). Fields are documented in README.md.
// No I/O here.
#pragma once

#include <string>

#include "inspectsim/assess/assess.hpp"
#include "inspectsim/output/table.hpp"

namespace inspectsim::assess {

// "9 of 17 (52.9%): the true rate is plausibly anywhere from 31.0% to 73.8% (95% Wilson interval)."
// Uses the first defined interval.
std::string assessment_sentence(const Assessment& a);

// The whole result in one of the output formats. JSON fields are documented in README.md.
std::string render_assessment(const Assessment& a, output::Format format);

}  // namespace inspectsim::assess
