// Tests for include/inspectsim/format.hpp.
#include "inspectsim/output/table.hpp"

#include <doctest/doctest.h>

#include "inspectsim/base/error.hpp"

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
