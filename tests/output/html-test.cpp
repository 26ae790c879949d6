// Tests for include/inspectsim/html.hpp.
#include "inspectsim/output/html.hpp"

#include <string>
#include <vector>

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
  d.headline = {{"9 of 17 (52.9%) lies above the 99.8% limits.", "coverage", 0, 1}};
  d.provenance.version = "0.1.0";
  d.provenance.seed = 2018;
  d.provenance.replicates = 1000;
  d.provenance.input_path = "scenarios/a&b.toml";
  d.provenance.input_sha256 = std::string(64, 'a');
  d.provenance.settings = {{"Confidence", "95%"}};
  html::Section sec;
  sec.heading = "Coverage & width";
  sec.id = "coverage";
  sec.notes = {"Kent <b>: 3 of 19."};
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
  CHECK(s.find("<tr><th scope=\"row\">Avon &amp; Somerset</th><td class=\"num\" "
               "data-label=\"rate\">5.0%</td></tr>") != std::string::npos);
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
  CHECK(s.find("<li>9 of 17 (52.9%) lies above the 99.8% limits. <a href=\"#coverage\">See: Coverage &amp; "
               "width</a></li>") != std::string::npos);
  CHECK(s.find("<h2 id=\"coverage\">Coverage &amp; width</h2>") != std::string::npos);
  CHECK(s.find("<ul class=\"notes\">\n<li>Kent &lt;b&gt;: 3 of 19.</li>") != std::string::npos);
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
  CHECK(s.find("break-inside: avoid") != std::string::npos);
  CHECK(s.find("main > section { break-before: page; }") != std::string::npos);
}

TEST_CASE("a headline item links only to a section that exists") {
  html::Document d = sample_document();
  d.headline = {{"Nowhere to go.", "no-such-section", 0, 1}};
  const std::string s = html::render_html(d);
  CHECK(s.find("<li>Nowhere to go.</li>") != std::string::npos);
  CHECK(s.find("href=\"#no-such-section\"") == std::string::npos);
}

TEST_CASE("narrow screens: each table cell carries its column's name") {
  Table t;
  t.header = {"force", "rate <%>"};
  t.align = {Align::left, Align::right};
  t.add_row({"Kent", "5.0%"});
  CHECK(html::render_table(t, "").find("<td class=\"num\" data-label=\"rate &lt;%&gt;\">5.0%</td>") !=
        std::string::npos);
}

TEST_CASE("a long word (a URL) may break anywhere, other cells wrap between words") {
  Table t;
  t.header = {"force", "source"};
  t.align = {Align::left, Align::left};
  t.add_row({"Avon and Somerset Constabulary", "https://www.example.org/a-very-long-path-without-spaces"});
  const std::string s = html::render_table(t, "");
  CHECK(s.find("<th scope=\"row\">Avon and Somerset Constabulary</th>") != std::string::npos);
  CHECK(s.find("<td class=\"long\" data-label=\"source\">https://") != std::string::npos);
}

namespace {

std::vector<std::string> texts(const std::vector<html::Finding>& f) {
  std::vector<std::string> out;
  for (const auto& x : f) out.push_back(x.text);
  return out;
}

}  // namespace

// The rule of issue 16: at most five, chosen and ordered by what changes a reader's conclusion
// (kind), every kind heard before any kind speaks twice, the weightiest first within a kind.
TEST_CASE("headline: at most five, by kind then weight, every kind before a second of one") {
  using V = std::vector<std::string>;
  CHECK(html::select_headline({}).empty());
  // Fewer than five: all of them, ordered by kind, then weight (descending), ties as given.
  CHECK(texts(html::select_headline(
            {{"c", "s", 2, 1}, {"a1", "s", 0, 1}, {"a2", "s", 0, 3}, {"b", "s", 1, 0}})) ==
        V{"a2", "a1", "b", "c"});
  CHECK(texts(html::select_headline({{"x", "s", 0, 1}, {"y", "s", 0, 1}})) == V{"x", "y"});
  // Ten methods failing their coverage (kind 2) and one grade finding (kind 3): the grade finding
  // keeps its place; the four worst shortfalls fill the rest.
  std::vector<html::Finding> many;
  for (int i = 0; i < 10; ++i) many.push_back({"m" + std::to_string(i), "coverage", 2, 0.01 * i});
  many.push_back({"grade", "grades", 3, 1});
  CHECK(texts(html::select_headline(many)) == V{"m9", "m8", "m7", "m6", "grade"});
  // More kinds than places: the first five kinds, one each.
  std::vector<html::Finding> kinds;
  for (int k = 6; k >= 0; --k) kinds.push_back({"k" + std::to_string(k), "s", k, 0});
  CHECK(texts(html::select_headline(kinds)) == V{"k0", "k1", "k2", "k3", "k4"});
  // Left-over places go by weight across kinds, then shown in kind order.
  CHECK(texts(html::select_headline(
            {{"a1", "s", 0, 5}, {"a2", "s", 0, 1}, {"b1", "s", 1, 4}, {"b2", "s", 1, 3}, {"b3", "s", 1, 2}},
            4)) == V{"a1", "b1", "b2", "b3"});
  // Another limit.
  CHECK(html::select_headline(many, 2).size() == 2);
  CHECK(html::select_headline(many, 0).empty());
}
