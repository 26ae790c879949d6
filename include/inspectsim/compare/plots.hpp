// SVG charts for `inspectsim compare --plot DIR`, drawn with the shared chart module (svg.hpp):
// per group, a funnel plot, a caterpillar plot of each row's interval and one of each row's rank
// interval. Pure: returns file names and SVG text; the CLI writes them.
#pragma once

#include <string>
#include <vector>

#include "inspectsim/compare/compare.hpp"

namespace inspectsim::compare {

struct PlotFile {
  std::string name;  // "01-cdi-2018-rape-funnel.svg": group number, a slug of its title, the kind
  std::string svg;
};

// Three files per group, in group order: -funnel.svg, -caterpillar.svg, -ranks.svg.
std::vector<PlotFile> comparison_plots(const Comparison& c);

// A file-name fragment: lower-case ASCII letters and digits, runs of anything else as one '-',
// at most max_slug_length characters. File names stay unique through the group number before the
// slug, and short enough, with the kind after it and the temporary's ".NAME.tmp.XXXXXX" around
// it, for the 255 bytes a directory entry allows (a 300-byte category gave "File name too long").
inline constexpr std::size_t max_slug_length = 60;
std::string slug(std::string_view text);

}  // namespace inspectsim::compare
