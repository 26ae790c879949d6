#include "inspectsim/base/version.hpp"

#include <toml++/toml.h>
#include <Eigen/Core>
#include <boost/version.hpp>
#include <nlohmann/json.hpp>

namespace inspectsim::base {

const char* version() noexcept { return INSPECTSIM_VERSION; }

std::string build_info() {
  auto v = [](auto major, auto minor, auto patch) {
    return std::to_string(major) + "." + std::to_string(minor) + "." + std::to_string(patch);
  };
  std::string out;
  out += "Boost " + v(BOOST_VERSION / 100000, BOOST_VERSION / 100 % 1000, BOOST_VERSION % 100) +
         " (Math, Random)\n";
  out += "Eigen " + v(EIGEN_WORLD_VERSION, EIGEN_MAJOR_VERSION, EIGEN_MINOR_VERSION) + "\n";
  out += "toml++ " + v(TOML_LIB_MAJOR, TOML_LIB_MINOR, TOML_LIB_PATCH) + "\n";
  out += "nlohmann-json " +
         v(NLOHMANN_JSON_VERSION_MAJOR, NLOHMANN_JSON_VERSION_MINOR, NLOHMANN_JSON_VERSION_PATCH) + "\n";
  out += "compiler: g++ " __VERSION__ ", C++ " + std::to_string(__cplusplus) + "\n";
  return out;
}

}  // namespace inspectsim::base
