// [[cells_from]]: cells read from a CSV are the cells written as [[cell]] tables. The shipped
// scenarios are converted by this test's own writer (toml++ reads them; each run of cells whose
// keys are all single values becomes a CSV), then simulated both ways, and the CSV form written
// back out by expanded_scenario: all three give the same output but for the scenario's name.
#include <sys/stat.h>

#include <charconv>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <doctest/doctest.h>
#include <toml++/toml.h>
#include <nlohmann/json.hpp>

#include "inspectsim/base/error.hpp"
#include "inspectsim/base/io.hpp"
#include "inspectsim/simulate/scenario.hpp"
#include "inspectsim/simulate/simulate.hpp"
#include "inspectsim/simulate/writers.hpp"
#include "support/support.hpp"

using namespace inspectsim;
using namespace inspectsim::simulate;
using inspectsim::test::TempDir;

namespace {

void write(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

// A value as a CSV field: integers as written, floats by the shortest text that reads back the same.
std::optional<std::string> field_of(const toml::node& n) {
  if (const auto* i = n.as_integer()) return std::to_string(i->get());
  if (const auto* f = n.as_floating_point()) {
    char buf[64];
    const auto r = std::to_chars(buf, buf + sizeof buf, f->get());
    return std::string(buf, r.ptr);
  }
  if (const auto* s = n.as_string()) {
    const std::string v = s->get();
    if (v.find_first_of(",\"\r\n") == std::string::npos && !v.empty() && v.front() != ' ' && v.back() != ' ')
      return v;
    std::string q = "\"";
    for (const char c : v) q += c == '"' ? std::string("\"\"") : std::string(1, c);
    return q + "\"";
  }
  return std::nullopt;
}

// The CSV columns of a cell whose every key is a single value: {column, field}; nullopt when the
// cell sweeps, names grades, or is otherwise not a row.
std::optional<std::vector<std::pair<std::string, std::string>>> row_of(const toml::table& cell) {
  std::vector<std::pair<std::string, std::string>> out;
  for (auto&& [k, v] : cell) {
    const std::string key(k.str());
    if (const auto* sub = v.as_table()) {
      for (auto&& [pk, pv] : *sub) {
        const std::string part(pk.str());
        const auto f = field_of(pv);
        if (!f) return std::nullopt;
        const std::string column = key == "inspector" ? part : key + "_" + part;
        out.emplace_back(column, *f);
      }
      continue;
    }
    if (key == "grades") return std::nullopt;
    const auto f = field_of(v);
    if (!f) return std::nullopt;
    out.emplace_back(key, *f);
  }
  return out;
}

struct Converted {
  std::string toml;
  std::size_t rows = 0;  // cells moved to CSVs
};

// The scenario with each run of single-valued cells moved to a CSV of its own in `dir`.
Converted convert(const std::string& text, const std::string& dir, const std::string& stem) {
  toml::table root = toml::parse(text);
  const toml::array cells = *root["cell"].as_array();
  root.erase("cell");
  std::ostringstream out;
  out << toml::toml_formatter(root) << "\n";
  Converted c;
  std::vector<std::vector<std::pair<std::string, std::string>>> run;
  std::size_t files = 0;
  auto flush = [&] {
    if (run.empty()) return;
    std::vector<std::string> columns;
    for (const auto& r : run)
      for (const auto& [col, f] : r)
        if (std::find(columns.begin(), columns.end(), col) == columns.end()) columns.push_back(col);
    std::string csv;
    for (std::size_t i = 0; i < columns.size(); ++i) csv += (i ? "," : "") + columns[i];
    csv += "\r\n";  // CRLF, as a spreadsheet writes it
    for (const auto& r : run) {
      for (std::size_t i = 0; i < columns.size(); ++i) {
        if (i) csv += ",";
        for (const auto& [col, f] : r)
          if (col == columns[i]) csv += f;
      }
      csv += "\r\n";
    }
    const std::string name = stem + "-" + std::to_string(++files) + ".csv";
    write(dir + "/" + name, csv);
    out << "\n[[cells_from]]\npath = \"" << name << "\"\n";
    c.rows += run.size();
    run.clear();
  };
  for (const toml::node& n : cells) {
    const toml::table& cell = *n.as_table();
    if (auto r = row_of(cell)) {
      run.push_back(std::move(*r));
      continue;
    }
    flush();
    toml::table alone;
    alone.insert("cell", toml::array{cell});
    out << "\n" << toml::toml_formatter(alone) << "\n";
  }
  flush();
  c.toml = out.str();
  return c;
}

// The JSON output of a short run, without the scenario's name and hash.
nlohmann::json simulated(SimulationSpec spec) {
  spec.replicates = 2 * block_replicates;
  nlohmann::json j = nlohmann::json::parse(
      render_simulation(run(spec, RunOptions(1, base::Monitor{})), output::Format::json));
  j.erase("scenario");
  return j;
}

}  // namespace

TEST_CASE("every shipped scenario gives the same output with its cells read from CSVs") {
  std::size_t moved = 0;
  for (const std::string& name : test::shipped_scenarios()) {
    CAPTURE(name);
    const std::string text = test::read_file(test::source_path("scenarios/" + name + ".toml"));
    TempDir dir;
    const Converted c = convert(text, dir.path(), name);
    moved += c.rows;
    const std::string path = dir.file(name + ".toml");
    write(path, c.toml);
    const nlohmann::json original = simulated(parse_scenario(text, name + ".toml"));
    const nlohmann::json from_csv = simulated(load_scenario(path));
    CHECK(from_csv == original);
    // And back: the CSV form written out as [[cell]] tables.
    const std::string expanded = expanded_scenario(c.toml, path);
    CHECK(expanded.find("\n[[cells_from]]") == std::string::npos);
    CHECK(simulated(parse_scenario(expanded, "expanded.toml")) == original);
  }
  // The conversion is not vacuous: most shipped cells are single-valued rows.
  CHECK(moved >= 200);
}

namespace {

// The scenario `toml` (as s.toml) beside `csv` (as f.csv) in a fresh directory, loaded.
struct Pair {
  TempDir dir;
  std::string path;
  Pair(const std::string& toml, const std::string& csv) : path(dir.file("s.toml")) {
    write(path, toml);
    write(dir.file("f.csv"), csv);
  }
};

// The problems loading them reports, with the directory taken out of the paths.
std::vector<std::string> problems_of(const std::string& toml, const std::string& csv) {
  Pair p(toml, csv);
  std::filesystem::create_directory(p.dir.file("sub"));
  try {
    load_scenario(p.path);
  } catch (const base::InputErrors& e) {
    std::vector<std::string> out;
    for (std::string s : e.problems()) {
      for (std::size_t at; (at = s.find(p.dir.path() + "/")) != std::string::npos;)
        s.erase(at, p.dir.path().size() + 1);
      out.push_back(s);
    }
    return out;
  }
  return {};
}

const std::string from_csv = "[[cells_from]]\npath = \"f.csv\"\n";

}  // namespace

TEST_CASE("cells_from: columns, defaults part by part, incorrect/sampled, named band sets, order") {
  Pair p(
      "seed = 1\n"
      "[grade_sets]\n"
      "strict = [{ name = \"good\", upper = 0.05 }, { name = \"poor\" }]\n"
      "[[cell]]\nforce = \"First\"\ncategory = \"c\"\ntrue_rate = 0.1\nsample = 10\n"
      "[[cells_from]]\npath = \"f.csv\"\nignore = [\"Source\"]\n"
      "defaults = { sample = 20, clusters = { count = 2, icc = 0.1 }, inspector = { specificity = 0.9 } }\n"
      "[[cell]]\nforce = \"Last\"\ncategory = \"c\"\ntrue_rate = 0.2\nsample = 10\n",
      "Force,CATEGORY,incorrect,sampled,sample,clusters_icc,sensitivity,grades,source\n"
      "A,c,3,19,,0.3,0.8,strict,http://x\n"
      "\"B, the second\",c,0,20,17,,,none,\n"
      "C,c,20,20,30,,,,\n");
  const SimulationSpec s = load_scenario(p.path);
  REQUIRE(s.points.size() == 5);
  // [[cell]] tables and the CSV's rows in the order they appear in the file.
  CHECK(s.points[0].force == "First");
  CHECK(s.points[1].force == "A");
  CHECK(s.points[2].force == "B, the second");
  CHECK(s.points[3].force == "C");
  CHECK(s.points[4].force == "Last");
  const CellPoint& a = s.points[1];
  CHECK(a.truth.rate == 3.0 / 19.0);
  CHECK(a.sample == 20);  // empty field: the default
  REQUIRE(a.clusters);
  CHECK(a.clusters->count == 2);  // the default's part the row left out
  CHECK(a.clusters->icc == 0.3);  // the row's own part
  REQUIRE(a.inspector);
  CHECK(a.inspector->sensitivity == 0.8);
  CHECK(a.inspector->specificity == 0.9);
  REQUIRE(a.grades.size() == 2);
  CHECK(a.grades[0].name == "good");
  CHECK(s.points[2].truth.rate == 0.0);
  CHECK(s.points[2].sample == 17);
  CHECK(s.points[2].grades.empty());  // "none"
  CHECK(s.points[3].truth.rate == 1.0);
  CHECK(s.points[3].sample == 30);
}

TEST_CASE("cells_from: the scenario's SHA-256 covers the CSV") {
  const std::string toml = "seed = 1\n" + from_csv;
  const std::string csv = "force,category,true_rate,sample\nA,c,0.5,10\n";
  Pair p(toml, csv);
  // The SHA-256 of the two files' SHA-256s, one per line: sha256sum s.toml f.csv | cut -c1-64 | sha256sum
  CHECK(load_scenario(p.path).source_sha256 ==
        base::sha256_hex(base::sha256_hex(toml) + "\n" + base::sha256_hex(csv) + "\n"));
  write(p.dir.file("f.csv"), "force,category,true_rate,sample\nA,c,0.5,11\n");
  CHECK(load_scenario(p.path).source_sha256 !=
        base::sha256_hex(base::sha256_hex(toml) + "\n" + base::sha256_hex(csv) + "\n"));
  // Without a CSV it is the file's own.
  const std::string plain = "[[cell]]\nforce = \"A\"\ncategory = \"c\"\ntrue_rate = 0.5\nsample = 10\n";
  CHECK(parse_scenario(plain, "x.toml").source_sha256 == base::sha256_hex(plain));
}

TEST_CASE("cells_from: every problem in a row named by file, line and column") {
  struct Case {
    std::string toml;
    std::string csv;
    std::vector<std::string> expected;
  };
  const std::string header = "force,category,true_rate,sample\n";
  const std::vector<Case> cases = {
      {from_csv, header + "A,c,0.5,0\n", {"f.csv:2: sample: is 0, but must be >= 1"}},
      {from_csv, header + "A,c,1.5,10\n", {"f.csv:2: true_rate: is 1.5, but must be from 0 to 1"}},
      {from_csv,
       header + "A,c,0.5,ten\n",
       {"f.csv:2: sample: is 'ten', but must be a whole number >= 1 or a list of them"}},
      {from_csv,
       header + "A,c,0.5,10.5\n",
       {"f.csv:2: sample: is 10.5, but must be a whole number >= 1 or a list of them"}},
      {from_csv, header + "A,c,0.5,10\nB,c,0.5\n", {"f.csv:3: the row has 3 fields, but the header has 4"}},
      {from_csv,
       header + "A,c,0.5,10\nA,c,0.2,10\n",
       {"f.csv:3: force: force/category 'A/c' is also f.csv line 2; each cell needs its own"}},
      {from_csv,
       "force,category,true_rate,sample,population\nA,c,0.5,30,20\n",
       {"f.csv:2: sample: is 30, but must be <= population (20)"}},
      {from_csv,
       "force,category,true_rate,sample,clusters_count\nA,c,0.5,10,2\n",
       {"f.csv:2: clusters_icc: missing; the intra-class correlation, >= 0 and < 1"}},
      {from_csv,
       "force,category,true_rate,sample,selection_odds\nA,c,0.5,10,2\n",
       {"f.csv:2: selection_odds: needs population: targeted selection draws from a finite population"}},
      {from_csv,
       "force,category,sample\nA,c,10\n",
       {"f.csv:2: true_rate: missing; the share of wrong records: a rate, a list, a sweep or a beta"}},
      {from_csv,
       "force,category,incorrect,sampled,sample\nA,c,5,4,10\nB,c,-1,4,10\nC,c,1,0,10\n",
       {"f.csv:2: incorrect: is 5, but must be <= sampled (4)",
        "f.csv:3: incorrect: is '-1', but must be a whole number >= 0",
        "f.csv:4: sampled: is '0', but must be a whole number >= 1"}},
      {from_csv,
       "force,category,grades,true_rate,sample\nA,c,strikt,0.5,10\n",
       {"f.csv:2: grades: is 'strikt', which names no band set (the [grade_sets] table has: none)"}},
      {"[grade_sets]\nstrict = [{ name = \"good\", upper = 0.05 }, { name = \"poor\" }]\n" + from_csv,
       "force,category,grades,true_rate,sample\nA,c,strikt,0.5,10\n",
       {"f.csv:2: grades: is 'strikt', which names no band set (the [grade_sets] table has: none, strict); "
        "did you mean 'strict'?"}},
      // The header.
      {from_csv,
       "force,category,true_rate,sampel\nA,c,0.5,10\n",
       {"f.csv:1: sampel: unknown column; did you mean 'sample'? (list columns to skip in "
        "cells_from[1].ignore)"}},
      {from_csv,
       "force,true_rate,sample,Sample\nA,0.5,10,10\n",
       {"f.csv:1: Sample: appears twice in the header",
        "f.csv:1: category: missing; a column naming each row's category"}},
      {from_csv,
       "force,category,true_rate,incorrect,sampled,sample\nA,c,0.5,1,2,10\n",
       {"f.csv:1: true_rate: given with incorrect/sampled; give the true rate one way"}},
      {from_csv,
       "force,category,incorrect,sample\nA,c,1,10\n",
       {"f.csv:1: sampled: missing; incorrect and sampled give the true rate together (incorrect / "
        "sampled)"}},
      {from_csv, header, {"f.csv:1: force: the file has a header but no rows; each row is a cell"}},
      {from_csv, "", {"f.csv:1: the file is empty; it needs a header row naming the columns"}},
      // A value from the defaults: checked once on its own, and with each row where it meets the row.
      {"[[cells_from]]\npath = \"f.csv\"\ndefaults = { sample = 0, colour = 1 }\n",
       header + "A,c,0.5,\n",
       {"s.toml:3:23: cells_from[1].defaults.sample: is 0, but must be >= 1",
        "s.toml:3:26: cells_from[1].defaults.colour: unknown key; allowed: population, true_rate, sample, "
        "clusters, inspector, selection, grades"}},
      {"[[cells_from]]\npath = \"f.csv\"\ndefaults = { sample = 30 }\n",
       "force,category,true_rate,population\nA,c,0.5,20\n",
       {"f.csv:2: sample (from cells_from[1].defaults): is 30, but must be <= population (20)"}},
      // The table itself.
      {"[[cells_from]]\npath = \"nothing.csv\"\n",
       "",
       {"s.toml:2:8: cells_from[1].path: is 'nothing.csv', but nothing.csv does not exist"}},
      {"[[cells_from]]\npath = \"sub\"\n",
       "",
       {"s.toml:2:8: cells_from[1].path: is 'sub', but sub is not a regular file"}},
      {"[[cells_from]]\npat = \"f.csv\"\n",
       header + "A,c,0.5,10\n",
       {"s.toml:1:1: cells_from[1].path: missing; the CSV file whose rows are the cells, e.g. path = "
        "\"forces.csv\"",
        "s.toml:2:1: cells_from[1].pat: unknown key; did you mean 'path'?"}},
  };
  for (const Case& c : cases) {
    CAPTURE(c.toml);
    CAPTURE(c.csv);
    auto joined = [](const std::vector<std::string>& lines) {
      std::string out;
      for (const auto& l : lines) out += l + "\n";
      return out;
    };
    CHECK(joined(problems_of(c.toml, c.csv)) == joined(c.expected));
  }
}

TEST_CASE("cells_from: a FIFO is refused, not waited on") {
  TempDir dir;
  const std::string fifo = dir.file("f.csv");
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  write(dir.file("s.toml"), from_csv);
  const std::string expected = "is 'f.csv', but " + dir.path() + "/f.csv is not a regular file";
  CHECK_THROWS_WITH_AS(load_scenario(dir.file("s.toml")), doctest::Contains(expected.c_str()),
                       base::InputError);
}

TEST_CASE("cells_from: sweeps from the defaults, comparisons and leagues name the rows' cells") {
  Pair p(
      "[[cells_from]]\npath = \"f.csv\"\ndefaults = { sample = [20, 40] }\n"
      "[[comparison]]\na = \"A/c\"\nb = \"B/c\"\n"
      "[[league]]\nname = \"c\"\ncategory = \"c\"\n",
      "force,category,true_rate\nA,c,0.3\nB,c,0.1\nC,c,0.2\n");
  const SimulationSpec s = load_scenario(p.path);
  REQUIRE(s.points.size() == 6);
  CHECK(s.points[0].sample == 20);
  CHECK(s.points[1].sample == 40);
  CHECK(s.points[1].force == "A");
  REQUIRE(s.comparisons.size() == 2);  // point by point
  CHECK(s.comparisons[1].a == 1);
  CHECK(s.comparisons[1].b == 3);
  REQUIRE(s.leagues.size() == 2);
  CHECK(s.leagues[1].members == std::vector<std::size_t>{1, 3, 5});
  // A comparison naming a cell no row gives is reported with the rows' problems, all at once.
  CHECK(
      problems_of("[[cells_from]]\npath = \"f.csv\"\n[[comparison]]\na = \"A/c\"\nb = \"D/c\"\n",
                  "force,category,true_rate,sample\nA,c,0.3,0\nB,c,0.1,20\n") ==
      std::vector<std::string>{"f.csv:2: sample: is 0, but must be >= 1",
                               "s.toml:5:5: comparison[1].b: is 'D/c', which names no cell (cells are named "
                               "\"force/category\"); did you mean 'A/c'?"});
}
