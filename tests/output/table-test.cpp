// Tests for include/inspectsim/format.hpp.
#include "inspectsim/output/table.hpp"

#include <limits>

#include <doctest/doctest.h>

#include "inspectsim/base/error.hpp"
#include "inspectsim/base/text.hpp"

using namespace inspectsim;
using namespace inspectsim::base;
using namespace inspectsim::output;

TEST_CASE("numbers") {
  CHECK(format_number(0.95) == "0.95");
  CHECK(format_number(1e-9) == "1e-09");
  CHECK(format_fixed(0.529411, 4) == "0.5294");
  CHECK(format_fixed(-0.00001, 2) == "0.00");
  CHECK(format_percent(9.0 / 17) == "52.9%");
  CHECK(format_percent(0.1391, 2) == "13.91%");
}

TEST_CASE("value_se_text: the SE to two significant digits, the value to the same place") {
  CHECK(value_se_text(0.98765, 0.00042) == "0.98765 ± 0.00042");
  CHECK(value_se_text(0.4, 0.03) == "0.400 ± 0.030");
  CHECK(value_se_text(0.5, 0.0994) == "0.500 ± 0.099");
  CHECK(value_se_text(0.5, 0.0996) == "0.50 ± 0.10");     // rounds up to 0.100: one decimal fewer
  CHECK(value_se_text(0.5, 0.001) == "0.5000 ± 0.0010");  // a power of ten: still two digits
  CHECK(value_se_text(12.3456, 1.5) == "12.3 ± 1.5");
  CHECK(value_se_text(123.4, 25) == "123 ± 25");
  CHECK(value_se_text(1234, 250) == "1234 ± 250");  // never fewer than 0 decimals
  CHECK(value_se_text(-0.00001, 0.0002) == "-0.00001 ± 0.00020");
  CHECK(value_se_text(0.9, 0) == "0.900 ± 0");
  CHECK(value_se_text(0.9, 0, 2) == "0.90 ± 0");
  CHECK(value_se_text(0.9, std::numeric_limits<double>::quiet_NaN()) == "0.900 ± -");
  CHECK(value_se_text(std::numeric_limits<double>::infinity(), 0.1) == "-");
}

TEST_CASE("text tables pad by characters, not bytes") {
  Table t;
  t.header = {"force", "rate"};
  t.align = {Align::left, Align::right};
  t.add_row({"Avon & Somerset", "5.0%"});
  t.add_row({"Dyfed–Powys", "12.5%"});
  CHECK(render_text(t) ==
        "force             rate\n"
        "----------------------\n"
        "Avon & Somerset   5.0%\n"
        "Dyfed–Powys      12.5%\n");
}

TEST_CASE("CSV quoting follows RFC 4180") {
  CHECK(csv_field("plain") == "plain");
  CHECK(csv_field("a,b") == "\"a,b\"");
  CHECK(csv_field("say \"hi\"") == "\"say \"\"hi\"\"\"");
  Table t;
  t.header = {"a", "b"};
  t.add_row({"1", "x\ny"});
  CHECK(render_csv(t) == "a,b\n1,\"x\ny\"\n");
}

TEST_CASE("formats parse") {
  CHECK(parse_format("json") == Format::json);
  CHECK_THROWS_WITH_AS(parse_format("xml"), "format is 'xml', but must be table, csv or json", InputError);
}

TEST_CASE("render_text escapes controls in cells and caps the padding of a wide column") {
  Table t;
  t.header = {"force", "rate"};
  t.align = {Align::left, Align::right};
  t.add_row({"Kent\x1b[2J\xC2\x9B", "0.5"});
  t.add_row({"Evil\xE2\x80\xAE", "0.25"});
  const std::string text = render_text(t);
  CHECK(text.find('\x1b') == std::string::npos);
  CHECK(text.find("Kent\\x1B[2J\\u009B") != std::string::npos);
  CHECK(text.find("Evil\\u202E") != std::string::npos);
  // A 10,000-character name is printed whole, but the other rows are not padded to it.
  Table w;
  w.header = {"force", "n"};
  w.align = {Align::left, Align::right};
  w.add_row({std::string(10'000, 'x'), "1"});
  for (int i = 0; i < 100; ++i) w.add_row({"F" + std::to_string(i), "2"});
  const std::string wide = render_text(w);
  CHECK(wide.find(std::string(10'000, 'x')) != std::string::npos);
  CHECK(wide.size() < 10'000 + 102 * 70);
  CHECK(wide.find("F7" + std::string(58, ' ') + "  2\n") != std::string::npos);
}

TEST_CASE("CSV text cells a spreadsheet would run as formulas get a leading ' (OWASP), numbers do not") {
  CHECK(csv_cell("=HYPERLINK(\"http://x\")") == "\"'=HYPERLINK(\"\"http://x\"\")\"");
  CHECK(csv_cell("+Avon") == "'+Avon");
  CHECK(csv_cell("-Essex") == "'-Essex");
  CHECK(csv_cell("@SUM(A1)") == "'@SUM(A1)");
  CHECK(csv_cell("\tTab") == "\\tTab");  // controls are escaped first: no TAB survives
  for (const char* number : {"-0.5", "-3", "+1", "1e-09", "-1e+30", "-", "0.25", "-inf"})
    CHECK(csv_cell(number) == number);
  CHECK(csv_cell("Kent") == "Kent");
  CHECK(csv_cell("a=b") == "a=b");
  CHECK(csv_cell("+Avon", CsvCells::raw) == "+Avon");
  CHECK(csv_cell("line\nbreak") == "\"line\nbreak\"");  // line breaks stay, quoted
  CHECK(csv_cell("Kent\x1b[2J") == "Kent\\x1B[2J");
  Table t;
  t.header = {"force", "x"};
  t.add_row({"=1+1", "-2"});
  CHECK(render_csv(t) == "force,x\n'=1+1,-2\n");
  CHECK(render_csv(t, CsvCells::raw) == "force,x\n=1+1,-2\n");
}

TEST_CASE("escape_json_controls writes C1 and bidirectional controls as \\u escapes") {
  CHECK(escape_json_controls("{\"a\": \"x\xC2\x9By\xE2\x80\xAEz\"}") == "{\"a\": \"x\\u009by\\u202ez\"}");
  CHECK(escape_json_controls("{\"a\": \"Ynys Môn\"}") == "{\"a\": \"Ynys Môn\"}");
  CHECK(escape_json_controls("{\"a\": \"x\x7Fy\"}") == "{\"a\": \"x\\u007fy\"}");
}
