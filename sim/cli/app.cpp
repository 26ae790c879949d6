#include <algorithm>
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
// Only rank 0 prints: a failure is agreed between the ranks (base::Team) and told once.
void print_error(const std::string& message) {
  if (lead_rank()) std::fprintf(stderr, "inspectsim: %s\n", message.c_str());
}

// Tells the other ranks, if any, that this one failed (it is a no-op once they know).
void tell_ranks(base::RankStatus status, const std::string& text) {
  if (ranks.team != nullptr) ranks.team->fail(status, text);
}

int exit_code(base::RankStatus status) {
  switch (status) {
    case base::RankStatus::input_error: return exit_input;
    case base::RankStatus::interrupted: return exit_interrupted;
    default: return exit_internal;
  }
}
}  // namespace

int run_cli(int argc, char** argv, const base::Budget& budget, Ranks team) {
  ranks = team;
  remember_arguments(argc, argv);
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
    tell_ranks(base::RankStatus::input_error, e.what());
    print_error(e.what());
    if (lead_rank())
      std::fprintf(stderr, "Run 'inspectsim --help' or 'inspectsim COMMAND --help' for usage.\n");
    return exit_input;
  } catch (const BrokenPipe&) {
    return exit_broken_pipe;  // quietly: nobody is reading
  } catch (const base::Interrupted& e) {
    tell_ranks(base::RankStatus::interrupted, "");
    print_error(e.what());
    return 128 + cancel_signal.load();  // exit_interrupted for Ctrl-C
  } catch (const base::RankFailure& e) {
    // Another rank's failure, in its own words, one line per problem.
    const std::string text = e.what();
    for (std::size_t start = 0; start <= text.size();) {
      const std::size_t end = std::min(text.find('\n', start), text.size());
      print_error("rank " + std::to_string(e.rank()) + ": " + text.substr(start, end - start));
      start = end + 1;
    }
    return exit_code(e.status());
  } catch (const base::InputErrors& e) {
    // One line per problem, each prefixed, so every line of stderr reads on its own.
    std::string text;
    for (const auto& problem : e.problems()) text += (text.empty() ? "" : "\n") + problem;
    tell_ranks(base::RankStatus::input_error, text);
    for (const auto& problem : e.problems()) print_error(problem);
    return exit_input;
  } catch (const base::InputError& e) {
    tell_ranks(base::RankStatus::input_error, e.spelled(option_name));
    print_error(e.spelled(option_name));
    return exit_input;
  } catch (const std::exception& e) {
    tell_ranks(base::RankStatus::internal_error, std::string("internal error: ") + e.what());
    print_error(std::string("internal error: ") + e.what());
    return exit_internal;
  }
  return exit_ok;
}

}  // namespace inspectsim::cli
