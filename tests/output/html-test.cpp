// Tests for include/inspectsim/html.hpp.
#include "inspectsim/output/html.hpp"

#include <string>

#include <doctest/doctest.h>

#include "inspectsim/output/svg.hpp"
#include "support/support.hpp"

using namespace inspectsim;
using namespace inspectsim::output;
using inspectsim::test::xml_problems;

namespace {

html::Document sample_document() {
  html::Document d;
  d.title = "Avon & Somerset <2018>";
  d.subtitle = "A \"test\" page";
  d.findings = {"9 of 17 (52.9%): the true rate is plausibly anywhere from 31.0% to 73.8%."};
  d.provenance.version = "0.1.0";
  d.provenance.seed = 2018;
  d.provenance.replicates = 1000;
  d.provenance.input_path = "scenarios/a&b.toml";
  d.provenance.input_sha256 = std::string(64, 'a');
  d.provenance.settings = {{"Confidence", "95%"}};
  html::Section sec;
  sec.heading = "Coverage & width";
  sec.paragraphs = {"Coverage is the share of replicates whose interval holds the truth."};
  svg::BarChart chart;
  chart.frame.title = "Counts for Avon & Somerset";
  chart.x = svg::count_axis("Records found wrong", "records");
  chart.y = svg::share_axis("Probability");
  chart.bar_name = "simulated";
  chart.bars = {{0, 0.2}, {1, 0.8}};
  html::Figure fig;
  fig.svg = svg::bar_chart(chart);
  fig.caption = "Counts for Avon & Somerset";
  fig.table.header = {"x", "P(X = x)"};
  fig.table.align = {Align::right, Align::right};
  fig.table.add_row({"0", "20.0%"});
  fig.table.add_row({"1", "80.0%"});
  sec.figures.push_back(fig);
  Table extra;
  extra.header = {"force", "note"};
  extra.align = {Align::left, Align::left};
  extra.add_row({"Kent", "<script>alert(1)</script>"});
  sec.tables.push_back({"Notes & remarks", extra});
  d.sections.push_back(sec);
  return d;
}

}  // namespace

TEST_CASE("html escape") {
  CHECK(html::escape("a & b < c > \"d\" 'e'") == "a &amp; b &lt; c &gt; &quot;d&quot; &apos;e&apos;");
}

TEST_CASE("tables: header cells, row headers, numeric columns, escaped cells") {
  Table t;
  t.header = {"force", "rate"};
  t.align = {Align::left, Align::right};
  t.add_row({"Avon & Somerset", "5.0%"});
  const std::string s = html::render_table(t, "Rates <2018>");
  CHECK(xml_problems(s) == "");
  CHECK(s.find("<caption>Rates &lt;2018&gt;</caption>") != std::string::npos);
  CHECK(s.find("<th scope=\"col\">force</th><th scope=\"col\" class=\"num\">rate</th>") != std::string::npos);
  CHECK(s.find("<tr><th scope=\"row\">Avon &amp; Somerset</th><td class=\"num\">5.0%</td></tr>") !=
        std::string::npos);
}

TEST_CASE("a document is one self-contained, well-formed, escaped page") {
  const std::string s = html::render_html(sample_document());
  INFO(s);
  CHECK(s.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"));
  CHECK(xml_problems(s) == "");
  // Self-contained: no scripts, no URLs, nothing loaded from elsewhere.
  CHECK(s.find("<script") == std::string::npos);
  CHECK(s.find("http") == std::string::npos);
  CHECK(s.find("src=") == std::string::npos);
  CHECK(s.find("url(") == std::string::npos);
  CHECK(s.find("@import") == std::string::npos);
  CHECK(s.find("&lt;script&gt;alert(1)&lt;/script&gt;") != std::string::npos);
  // Header: title, findings, provenance.
  CHECK(s.find("<title>Avon &amp; Somerset &lt;2018&gt;</title>") != std::string::npos);
  CHECK(s.find("<h1>Avon &amp; Somerset &lt;2018&gt;</h1>") != std::string::npos);
  CHECK(s.find("<li>9 of 17 (52.9%)") != std::string::npos);
  CHECK(s.find("<dt>Seed</dt><dd>2018</dd>") != std::string::npos);
  CHECK(s.find("<dt>Replicates</dt><dd>1000</dd>") != std::string::npos);
  CHECK(s.find("<dt>Input file</dt><dd>scenarios/a&amp;b.toml</dd>") != std::string::npos);
  CHECK(s.find("<dt>Input SHA-256</dt><dd>" + std::string(64, 'a') + "</dd>") != std::string::npos);
  CHECK(s.find("<dt>Confidence</dt><dd>95%</dd>") != std::string::npos);
  // The chart inline, with the table behind it; print styles.
  CHECK(s.find("<figure>\n<svg viewBox=") != std::string::npos);
  CHECK(s.find("<caption>Table behind the chart: Counts for Avon &amp; Somerset</caption>") !=
        std::string::npos);
  CHECK(s.find("<caption>Notes &amp; remarks</caption>") != std::string::npos);
  CHECK(s.find("@media print") != std::string::npos);
}
