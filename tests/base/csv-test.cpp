// Tests for include/inspectsim/csv.hpp.
#include "inspectsim/base/csv.hpp"

#include <doctest/doctest.h>

#include "inspectsim/base/error.hpp"

using namespace inspectsim;
using namespace inspectsim::base;

namespace {
std::vector<std::vector<std::string>> fields(const std::vector<CsvRecord>& records) {
  std::vector<std::vector<std::string>> out;
  for (const auto& r : records) out.push_back(r.fields);
  return out;
}
}  // namespace

TEST_CASE("RFC 4180 quoting: commas, doubled quotes and line breaks inside quotes") {
  const auto r = parse_csv("a,b,c\n\"Avon, Somerset\",\"say \"\"no\"\"\",\"two\nlines\"\nx,,z\n", "f.csv");
  REQUIRE(r.size() == 3);
  CHECK(fields(r)[1] == std::vector<std::string>{"Avon, Somerset", "say \"no\"", "two\nlines"});
  CHECK(r[2].line == 4);  // the quoted line break counts
  CHECK(fields(r)[2] == std::vector<std::string>{"x", "", "z"});
}

TEST_CASE("BOM, CRLF, blank lines, blanks around unquoted fields, no final line break") {
  const auto r = parse_csv(
      "\xEF\xBB\xBF"
      "force , n\r\n\r\n  Devon & Cornwall ,3\r\n,\r\nKent,4",
      "f.csv");
  REQUIRE(r.size() == 3);
  CHECK(r[0].fields == std::vector<std::string>{"force", "n"});
  CHECK(r[1].fields == std::vector<std::string>{"Devon & Cornwall", "3"});
  CHECK(r[1].line == 3);
  CHECK(r[2].fields == std::vector<std::string>{"Kent", "4"});
  CHECK(r[2].line == 5);
  CHECK(parse_csv("", "f.csv").empty());
  CHECK(parse_csv("\n\n", "f.csv").empty());
}

TEST_CASE("UTF-8 text passes through unchanged") {
  const auto r = parse_csv(
      "name\n1 Oct 2015\xE2\x80\x93"
      "31 Mar 2016\n",
      "f.csv");
  CHECK(r[1].fields[0] ==
        "1 Oct 2015\xE2\x80\x93"
        "31 Mar 2016");
}

TEST_CASE("malformed quoting is reported with the file and line") {
  CHECK_THROWS_WITH_AS(parse_csv("a\n\"open\nstill open\n", "f.csv"),
                       "f.csv:2: a quoted field is never closed (a '\"' is missing)", InputError);
  CHECK_THROWS_WITH_AS(parse_csv("a,b\n\"x\"y,2\n", "f.csv"),
                       "f.csv:2: text after the closing quote of a quoted field", InputError);
  CHECK_THROWS_WITH_AS(parse_csv("a,b\nx\"y,2\n", "f.csv"),
                       "f.csv:2: a '\"' inside an unquoted field (quote the whole field and double the '\"')",
                       InputError);
}

TEST_CASE("CR-only line ends: records and line numbers, also inside quoted fields") {
  const auto r = parse_csv("a,b\r\"x\ry\",1\rz,2\r", "f.csv");
  REQUIRE(r.size() == 3);
  CHECK(r[1].line == 2);
  CHECK(r[1].fields[0] == "x\ry");
  CHECK(r[2].line == 4);
}

TEST_CASE("fields read as numbers and names") {
  CHECK(field_whole_number("17") == 17);
  CHECK(field_whole_number("+17") == 17);
  CHECK(field_whole_number("-3") == -3);
  CHECK_FALSE(field_whole_number("17.0"));
  CHECK_FALSE(field_whole_number("1e3"));
  CHECK_FALSE(field_whole_number(""));
  CHECK_FALSE(field_whole_number("99999999999999999999"));  // past int64
  CHECK(field_number("0.5") == 0.5);
  CHECK(field_number("1e-3") == 0.001);
  CHECK(field_number("+2") == 2.0);
  CHECK_FALSE(field_number("inf"));
  CHECK_FALSE(field_number("nan"));
  CHECK_FALSE(field_number("0.5x"));
  CHECK_FALSE(field_number(""));
  CHECK(ascii_lower("True_Rate") == "true_rate");
  CHECK(ascii_lower("ÄB") == "Äb");  // ASCII only: other letters as written
}
