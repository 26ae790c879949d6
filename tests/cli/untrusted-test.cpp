// Untrusted names and sizes (issue #15), through the real binary: each class of problem a hostile
// CSV or scenario found, tested as a class with its property. Time linear in the input's size (a
// 10x larger input takes at most about 10x as long: two sizes compared in one test, with a generous
// factor, never an absolute time), bounded memory and output, no control character reaching the
// terminal, spreadsheet formulas neutralised, no output lost to another, and no temporary file left
// after a signal at any moment. Part of the bad-input executable, which ctest runs alone.
#include <algorithm>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include <doctest/doctest.h>

#include "support/support.hpp"

namespace fs = std::filesystem;
using inspectsim::test::run_inspectsim;
using inspectsim::test::RunResult;
using inspectsim::test::TempDir;

namespace {

const std::string header = "force,inspection,category,sampled,incorrect";

void write(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

// Where `text` holds a byte that drives a terminal: a C0 control other than LF, DEL, a C1 control
// as UTF-8 (U+0080-U+009F: C2 80-9F), or a bidirectional control (U+202A-U+202E, U+2066-U+2069:
// E2 80 AA-AE, E2 81 A6-A9). npos when there is none.
std::size_t first_unsafe(const std::string& text) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto b = static_cast<unsigned char>(text[i]);
    if ((b < 0x20 && b != '\n') || b == 0x7F) return i;
    const auto next = i + 1 < text.size() ? static_cast<unsigned char>(text[i + 1]) : 0;
    const auto third = i + 2 < text.size() ? static_cast<unsigned char>(text[i + 2]) : 0;
    if (b == 0xC2 && next >= 0x80 && next <= 0x9F) return i;
    if (b == 0xE2 && next == 0x80 && third >= 0xAA && third <= 0xAE) return i;
    if (b == 0xE2 && next == 0x81 && third >= 0xA6 && third <= 0xA9) return i;
  }
  return std::string::npos;
}

// Peak memory bounds hold for the un-instrumented binary; AddressSanitizer's shadow memory and
// quarantine multiply a run's footprint, so under it only the time ratios are checked.
#ifdef __SANITIZE_ADDRESS__
constexpr bool memory_is_measured = false;
#else
constexpr bool memory_is_measured = true;
#endif

// Runs `make(n)` at sizes n and 10 n and checks the larger took at most `factor` times ten as much
// CPU time (plus 0.3 s for the program's start-up and noise); CPU time, not wall time, so that other
// jobs on a shared machine do not make a linear path look quadratic. Returns the larger run.
template <class Make>
RunResult check_linear(const char* what, std::size_t n, Make make, double factor = 3) {
  const RunResult small = make(n);
  const RunResult large = make(10 * n);
  MESSAGE(std::string(what) << ": " << n << " -> " << small.cpu_seconds << " s CPU, " << 10 * n << " -> "
                            << large.cpu_seconds << " s CPU, " << large.max_rss_kb / 1024 << " MB");
  CHECK_MESSAGE(large.cpu_seconds <= factor * 10 * small.cpu_seconds + 0.3, what);
  if (memory_is_measured) CHECK(large.max_rss_kb <= 512 * 1024);
  return large;
}

}  // namespace

TEST_CASE("terminal injection: names with ESC, BEL, CR, BS and C1 controls are shown escaped") {
  TempDir dir;
  const std::string csv = dir.file("hostile.csv");
  write(csv, header + "\n" +
                 "\"Kent\x1b]0;owned\x07\",CDI,rape,20,3\n"
                 "\"Avon\xC2\x9B"
                 "2J\",CDI,rape,19,4\n"
                 "\"Essex\r99.9%\b\b\",CDI,rape,18,2\n"
                 "\"Dyfed\x7F\",CDI,rape,17,1\n");
  for (const char* format : {"table", "csv", "json"}) {
    CAPTURE(format);
    const RunResult r = run_inspectsim({"compare", csv, "--format", format, "--draws", "1000"});
    REQUIRE(r.exit_code == 0);
    CHECK(first_unsafe(r.out) == std::string::npos);
    CHECK(first_unsafe(r.err) == std::string::npos);
  }
  const RunResult table = run_inspectsim({"compare", csv, "--draws", "1000"});
  CHECK(table.out.find("Kent\\x1B]0;owned\\x07") != std::string::npos);
  CHECK(table.out.find("Avon\\u009B2J") != std::string::npos);
  CHECK(table.out.find("Essex\\r99.9%\\x08\\x08") != std::string::npos);
  // A scenario's names (TOML strings may hold escapes) reach simulate's table the same way.
  const std::string toml = dir.file("hostile.toml");
  write(toml,
        "replicates = 200\n[[cell]]\nforce = \"K\\u001b[2Jent\\u009b\"\ncategory = \"rape\\r\"\n"
        "true_rate = 0.2\nsample = 10\n");
  for (const char* format : {"table", "csv", "json"}) {
    CAPTURE(format);
    const RunResult s = run_inspectsim({"simulate", toml, "--format", format, "--quiet"});
    REQUIRE(s.exit_code == 0);
    CHECK(first_unsafe(s.out) == std::string::npos);
  }
}

TEST_CASE("bidirectional controls, noncharacters and a byte-order mark inside a file are refused") {
  // U+202E (right-to-left override) would reverse the figures after a name in the report, the
  // charts and the terminal; U+FFFE makes every SVG ill-formed; U+FEFF makes "Kent" two forces.
  TempDir dir;
  struct Case {
    std::string text, message;
  };
  const std::vector<Case> cases{
      {header + "\nKent,CDI,rape,20,3\nEvil\xE2\x80\xAE"
                "Force,CDI,rape,19,4\n",
       ":3:5: a bidirectional control character (U+202E), which would reorder how the text around it "
       "is shown; delete it"},
      {header + "\nKent,CDI,rape,20,3\nA\xEF\xBF\xBE,CDI,rape,19,4\n",
       ":3:2: a Unicode noncharacter (U+FFFE), which is not text; delete it"},
      {header + "\nKent,CDI,rape,20,3\n\xEF\xBB\xBFKent,CDI,rape,19,4\n",
       ":3:1: a byte-order mark (U+FEFF) inside the file, where it is an invisible character (were two "
       "files joined?); delete it"},
  };
  for (const Case& c : cases) {
    const std::string csv = dir.file("bad.csv");
    write(csv, c.text);
    const RunResult r = run_inspectsim({"compare", csv});
    CHECK(r.exit_code == 2);
    CHECK(r.out.empty());
    CHECK(r.err == "inspectsim: " + csv + c.message + "\n");
  }
  const std::string toml = dir.file("bidi.toml");
  write(toml, "[[cell]]\nforce = \"A\xE2\x81\xA7\"\ncategory = \"x\"\ntrue_rate = 0.2\nsample = 10\n");
  const RunResult t = run_inspectsim({"simulate", toml});
  CHECK(t.exit_code == 2);
  CHECK(t.err.find(toml + ":2:11: a bidirectional control character (U+2067)") != std::string::npos);
}

TEST_CASE("CR-only line ends (old Mac Excel): problems are reported on the right line") {
  TempDir dir;
  const std::string csv = dir.file("mac.csv");
  write(csv,
        header + "\rKent,CDI,rape,20,3\rAvon,CDI,rape,19,4\rEssex,CDI,rape,18,2\rLan\xE9,CDI,rape,1,0\r");
  const RunResult r = run_inspectsim({"compare", csv});
  CHECK(r.exit_code == 2);
  CHECK(r.err.starts_with("inspectsim: " + csv + ":5:4: byte 0xE9 is not UTF-8"));
  write(csv, header + "\rKent,CDI,rape,20,3\r\"Avon\rand Somerset\",CDI,rape,19,4\rEssex,CDI,rape,18,x\r");
  const RunResult q = run_inspectsim({"compare", csv});
  CHECK(q.exit_code == 2);
  CHECK(q.err.starts_with("inspectsim: " + csv + ":5:"));
}

TEST_CASE("spreadsheet formulas in CSV outputs get a leading ', numbers stay numbers, --csv-raw keeps them") {
  TempDir dir;
  const std::string csv = dir.file("formulas.csv");
  write(csv, header + ",note\n" +
                 "\"=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",CDI,rape,20,3,-5\n"
                 "+Avon,CDI,rape,19,4,@SUM(A1)\n"
                 "-Essex,CDI,rape,18,2,0.25\n"
                 "@Kent,CDI,rape,17,1,\"\tTab\"\n");
  const RunResult r = run_inspectsim({"compare", csv, "--format", "csv", "--draws", "1000"});
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"") != std::string::npos);
  CHECK(r.out.find(",'+Avon,") != std::string::npos);
  CHECK(r.out.find(",'-Essex,") != std::string::npos);
  CHECK(r.out.find(",'@Kent,") != std::string::npos);
  CHECK(r.out.find(",'@SUM(A1)\n") != std::string::npos);
  CHECK(r.out.find(",-5\n") != std::string::npos);    // a number: untouched
  CHECK(r.out.find(",0.25\n") != std::string::npos);  // likewise
  // No line of the CSV has a cell that a spreadsheet would run: every field starting = + - @ is a number.
  const RunResult raw = run_inspectsim({"compare", csv, "--format", "csv", "--draws", "1000", "--csv-raw"});
  REQUIRE(raw.exit_code == 0);
  CHECK(raw.out.find(",+Avon,") != std::string::npos);
  CHECK(raw.out.find(",'+Avon,") == std::string::npos);
}

TEST_CASE("plan scenario's CSV guards the cell name a scenario gives, and --csv-raw keeps it") {
  TempDir dir;
  const std::string toml = dir.file("formula.toml");
  write(toml,
        "seed = 1\n[[cell]]\nforce = \"=cmd\"\ncategory = \"rape\"\ntrue_rate = 0.1\nsample = 20\n"
        "grades = [{ name = \"good\", upper = 0.1 }, { name = \"bad\" }]\n");
  const std::vector<std::string> args{
      "plan",         "scenario", toml,       "--cell", "=cmd/rape", "--target", "p_correct_grade>=0.5",
      "--replicates", "500",      "--format", "csv"};
  const RunResult r = run_inspectsim(args);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find(",'=cmd/rape,") != std::string::npos);
  CHECK(r.out.find(",=cmd/rape,") == std::string::npos);
  std::vector<std::string> raw_args = args;
  raw_args.push_back("--csv-raw");
  const RunResult raw = run_inspectsim(raw_args);
  REQUIRE(raw.exit_code == 0);
  CHECK(raw.out.find(",=cmd/rape,") != std::string::npos);
}

TEST_CASE("two outputs on one file are refused, however the path is spelt") {
  TempDir dir;
  const std::string csv = inspectsim::test::source_path("scenarios/data/hmicfrs-cancelled-crimes.csv");
  const std::string x = dir.file("x");
  fs::create_symlink(x, dir.file("link"));
  for (const std::string& other : {x, dir.path() + "/./x", dir.path() + "/sub/../x", dir.file("link")}) {
    CAPTURE(other);
    fs::create_directories(dir.file("sub"));
    const RunResult r = run_inspectsim(
        {"compare", csv, "--format", "json", "--output", x, "--report", other, "--draws", "1000"});
    CHECK(r.exit_code == 2);
    // The report is listed before --output, so --output is the one found to repeat it.
    CHECK(r.err == "inspectsim: " + x + ": cannot write: it is the same file as another output ('" + other +
                       "'); give each output its own path\n");
    CHECK_FALSE(fs::exists(x));
  }
}

TEST_CASE("long names in --plot: bounded file names, every chart written") {
  TempDir dir;
  const std::string csv = dir.file("long.csv");
  const std::string category(300, 'c');
  write(csv, header + "\nKent,CDI," + category + ",20,3\nAvon,CDI," + category + ",19,4\nKent,CDI," +
                 std::string(299, 'c') + "d,10,1\n");
  const std::string plots = dir.file("plots");
  const RunResult r = run_inspectsim({"compare", csv, "--plot", plots, "--draws", "1000"});
  CHECK(r.exit_code == 0);
  CHECK(r.err.empty());
  std::size_t files = 0;
  for (const auto& entry : fs::directory_iterator(plots)) {
    ++files;
    CHECK(entry.path().filename().string().size() <= 100);
  }
  CHECK(files == 6);  // two groups, three charts each, with distinct names
}

TEST_CASE("no temporary file is left when SIGINT, SIGTERM or SIGHUP arrives at any moment") {
  TempDir dir;
  const std::string csv = dir.file("many-groups.csv");
  std::string text = header + "\n";
  for (int g = 0; g < 150; ++g)
    for (int f = 0; f < 6; ++f)
      text += "Force " + std::to_string(f) + ",CDI,category " + std::to_string(g) + "," +
              std::to_string(15 + f) + "," + std::to_string((g + f) % 7) + "\n";
  write(csv, text);
  const std::string plots = dir.file("plots");
  const std::vector<std::string> args{"compare", csv, "--plot", plots, "--report", dir.file("report.html"),
                                      "--output", dir.file("out.json"), "--format", "json", "--draws", "200",
                                      // the signals, not the shrinkage, are under test: the quick fit
                                      "--shrinkage", "empirical"};
  const RunResult whole = run_inspectsim(args);
  REQUIRE(whole.exit_code == 0);
  const int span_ms = std::max(50, static_cast<int>(whole.seconds * 1000));
  std::mt19937 pick(15);  // the test's own choice of moments, not the program's randomness
  const int signals[] = {SIGINT, SIGTERM, SIGHUP};
  int killed = 0;
  for (int i = 0; i < 24; ++i) {
    fs::remove_all(plots);
    const int sig = signals[i % 3];
    const int delay = std::uniform_int_distribution<int>(0, span_ms)(pick);
    CAPTURE(sig);
    CAPTURE(delay);
    const RunResult r = inspectsim::test::run_inspectsim_signalled(args, sig, delay);
    CHECK((r.exit_code == 0 || r.exit_code == 128 + sig));
    if (r.exit_code != 0) ++killed;
    for (const auto& entry : fs::recursive_directory_iterator(dir.path()))
      CHECK_MESSAGE(entry.path().filename().string().find(".tmp.") == std::string::npos, entry.path());
  }
  MESSAGE(killed << " of 24 runs ended by the signal (whole run " << whole.seconds << " s)");
  CHECK(killed > 0);
}

TEST_CASE("quadratic paths: wide headers, wide outputs, many guesses and long lists take linear time") {
  TempDir dir;
  // A header of n extra columns (the duplicate-column check compared each with every earlier one).
  check_linear("extra columns, header and 1 row", 20'000, [&](std::size_t n) {
    std::string text = header;
    for (std::size_t c = 0; c < n; ++c) text += ",x" + std::to_string(c);
    text += "\nKent,CDI,rape,20,3";
    for (std::size_t c = 0; c < n; ++c) text += ",1";
    const std::string csv = dir.file("wide.csv");
    write(csv, text + "\n");
    const RunResult r = run_inspectsim({"compare", csv, "--format", "csv"});
    CHECK(r.exit_code == 0);
    return r;
  });
  // The same as JSON, 20 rows (each row's "extra" object was built by a linear key search).
  check_linear("extra columns as JSON, 20 rows", 2'000, [&](std::size_t n) {
    std::string text = header;
    for (std::size_t c = 0; c < n; ++c) text += ",x" + std::to_string(c);
    text += "\n";
    for (int row = 0; row < 20; ++row) {
      text += "Force " + std::to_string(row) + ",CDI,rape,20,3";
      for (std::size_t c = 0; c < n; ++c) text += ",1";
      text += "\n";
    }
    const std::string csv = dir.file("wide-json.csv");
    write(csv, text);
    const RunResult r = run_inspectsim({"compare", csv, "--format", "json", "--draws", "100"});
    CHECK(r.exit_code == 0);
    return r;
  });
  // --category that matches none of n categories: the message lists a few, at once.
  const RunResult listed = check_linear("--category nosuch among categories", 20'000, [&](std::size_t n) {
    std::string text = header + "\n";
    for (std::size_t c = 0; c < n; ++c) text += "Kent,CDI,category " + std::to_string(c) + ",20,3\n";
    const std::string csv = dir.file("categories.csv");
    write(csv, text);
    const RunResult r = run_inspectsim({"compare", csv, "--category", "nosuch"});
    CHECK(r.exit_code == 2);
    return r;
  });
  CHECK(listed.err.size() < 1000);
  CHECK(listed.err.find("and 199980 more") != std::string::npos);
  // Misspelled [[comparison]] names among many cells: each "did you mean" scanned every cell.
  const RunResult guessed = check_linear("misspelled comparisons among cells", 1'000, [&](std::size_t n) {
    std::string text = "replicates = 10\n";
    for (std::size_t c = 0; c < n; ++c)
      text += "[[cell]]\nforce = \"Force " + std::to_string(c) +
              "\"\ncategory = \"rape\"\ntrue_rate = 0.2\nsample = 10\n";
    for (std::size_t c = 0; c < n / 30; ++c)
      text += "[[comparison]]\na = \"Forse " + std::to_string(c) + "/rape\"\nb = \"Force 0/rape\"\n";
    const std::string toml = dir.file("guesses.toml");
    write(toml, text);
    const RunResult r = run_inspectsim({"simulate", toml});
    CHECK(r.exit_code == 2);
    return r;
  });
  CHECK(guessed.err.find("did you mean 'Force 0/rape'?") != std::string::npos);
  // At most 50 problems and a line saying how many more (333 misspelled names at the larger size).
  CHECK(std::count(guessed.err.begin(), guessed.err.end(), '\n') == 51);
  CHECK(guessed.err.find("... and 283 more problems of the same input") != std::string::npos);
}

TEST_CASE("output size: a 1 MB name does not pad every row of the table to its width") {
  TempDir dir;
  std::string text = header + "\n" + std::string(1'000'000, 'N') + ",CDI,rape,20,3\n";
  for (int f = 0; f < 2'000; ++f)
    text += "Force " + std::to_string(f) + ",CDI,rape,20," + std::to_string(f % 5) + "\n";
  const std::string csv = dir.file("long-name.csv");
  write(csv, text);
  const RunResult r = run_inspectsim({"compare", csv, "--draws", "100", "--shrinkage", "empirical"});
  CHECK(r.exit_code == 0);
  MESSAGE("table of 2,001 rows with one 1 MB name: " << r.out.size() << " bytes, " << r.seconds << " s, "
                                                     << r.max_rss_kb / 1024 << " MB");
  CHECK(r.out.size() < 10'000'000);  // was 2.0 GB: every row padded to the widest name
  if (memory_is_measured) CHECK(r.max_rss_kb <= 256 * 1024);
}
