#include <cstdio>
#include <exception>
#include <string>

#include <CLI/Version.hpp>

#include "cli.hpp"
#include "common.hpp"
#include "inspectsim/base/error.hpp"
#include "inspectsim/base/version.hpp"
#include "progress.hpp"

namespace inspectsim::cli {

namespace {
void print_error(const std::string& message) { std::fprintf(stderr, "inspectsim: %s\n", message.c_str()); }
}  // namespace

int run_cli(int argc, char** argv, const base::Budget& budget) {
  CLI::App app{"inspectsim: how reliable are inspection figures drawn from small samples?"};
  app.set_version_flag("--version", [] {
    return std::string("inspectsim ") + base::version() + "\nbuilt with:\n" + base::build_info() + "CLI11 " +
           CLI11_VERSION + " (command line)\n";
  });
  app.require_subcommand(1);
  app.fallthrough(false);

  setup_assess(app);
  setup_compare(app, budget);
  setup_simulate(app, budget);
  setup_plan(app, budget);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // Help and --version are "errors" with exit code 0; they print to stdout.
    if (e.get_exit_code() == 0) return app.exit(e);
    print_error(e.what());
    std::fprintf(stderr, "Run 'inspectsim --help' or 'inspectsim COMMAND --help' for usage.\n");
    return exit_input;
  } catch (const BrokenPipe&) {
    return exit_broken_pipe;  // quietly: nobody is reading
  } catch (const base::Interrupted& e) {
    print_error(e.what());
    return 128 + cancel_signal.load();  // exit_interrupted for Ctrl-C
  } catch (const base::InputErrors& e) {
    // One line per problem, each prefixed, so every line of stderr reads on its own.
    for (const auto& problem : e.problems()) print_error(problem);
    return exit_input;
  } catch (const base::InputError& e) {
    print_error(e.spelled(option_name));
    return exit_input;
  } catch (const std::exception& e) {
    print_error(std::string("internal error: ") + e.what());
    return exit_internal;
  }
  return exit_ok;
}

}  // namespace inspectsim::cli
