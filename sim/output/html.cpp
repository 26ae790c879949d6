#include "inspectsim/output/html.hpp"

#include <algorithm>

#include "inspectsim/output/svg.hpp"

namespace inspectsim::output::html {

std::string escape(std::string_view text) { return svg::xml_escape(text); }

std::vector<Finding> select_headline(std::vector<Finding> findings, std::size_t limit) {
  // Weightiest first within a kind, ties in the order given.
  std::stable_sort(findings.begin(), findings.end(), [](const Finding& a, const Finding& b) {
    return a.kind != b.kind ? a.kind < b.kind : a.weight > b.weight;
  });
  std::vector<bool> taken(findings.size(), false);
  std::size_t chosen = 0;
  // One place for each kind (its first, the weightiest), in kind order.
  for (std::size_t i = 0; i < findings.size() && chosen < limit; ++i)
    if (i == 0 || findings[i].kind != findings[i - 1].kind) {
      taken[i] = true;
      ++chosen;
    }
  // Places left over: the weightiest of the rest, whatever their kind (earlier kind on a tie).
  std::vector<std::size_t> rest;
  for (std::size_t i = 0; i < findings.size(); ++i)
    if (!taken[i]) rest.push_back(i);
  std::stable_sort(rest.begin(), rest.end(),
                   [&](std::size_t a, std::size_t b) { return findings[a].weight > findings[b].weight; });
  for (std::size_t k = 0; k < rest.size() && chosen < limit; ++k, ++chosen) taken[rest[k]] = true;
  std::vector<Finding> out;
  for (std::size_t i = 0; i < findings.size(); ++i)
    if (taken[i]) out.push_back(std::move(findings[i]));
  return out;
}

namespace {

// Print-friendly, offline styles: system fonts only, nothing fetched.
constexpr std::string_view css = R"(
:root { color-scheme: light; }
body { font-family: "DejaVu Sans", Verdana, Arial, sans-serif; color: #222; background: #fff;
       margin: 0 auto; padding: 1.5em 2em 3em; max-width: 62em; line-height: 1.45;
       overflow-wrap: break-word; }
h1 { font-size: 1.6em; margin: 0.2em 0 0.1em; }
h2 { font-size: 1.3em; margin-top: 2em; border-bottom: 2px solid #0072B2; padding-bottom: 0.2em; }
.subtitle { color: #555; margin-top: 0; }
.headline ol { background: #F3F7FB; border-left: 4px solid #0072B2; padding: 0.6em 1em 0.6em 2.2em;
               font-size: 1.1em; }
.headline li { margin: 0.35em 0; }
.headline a, .notes a { color: #0072B2; white-space: nowrap; }
.notes { font-size: 0.95em; }
.notes li { margin: 0.2em 0; }
dl.provenance { display: grid; grid-template-columns: max-content auto; gap: 0.15em 1em;
                font-size: 0.9em; }
dl.provenance dt { font-weight: bold; }
dl.provenance dd { margin: 0; overflow-wrap: anywhere; }
figure { margin: 1.5em 0; }
figure svg { max-width: 100%; height: auto; display: block; }
figcaption { font-size: 0.9em; color: #444; margin: 0.3em 0; }
.table-wrap { overflow-x: auto; }
table { border-collapse: collapse; font-size: 0.85em; margin: 0.5em 0 1.5em; }
caption { text-align: left; font-weight: bold; padding: 0.3em 0; }
th, td { border-bottom: 1px solid #ddd; padding: 0.2em 0.6em; vertical-align: top; }
.long { overflow-wrap: anywhere; }
thead th { border-bottom: 2px solid #222; text-align: left; }
tbody th { text-align: left; font-weight: normal; }
.num { text-align: right; font-variant-numeric: tabular-nums; }
td.num { white-space: nowrap; }
tbody tr:nth-child(even) { background: #F6F6F6; }
footer { margin-top: 3em; font-size: 0.85em; color: #555; border-top: 1px solid #ddd; }
@media screen and (max-width: 40em) {
  body { padding: 0.8em 0.8em 2em; }
  dl.provenance { grid-template-columns: auto; }
  dl.provenance dd { margin-bottom: 0.3em; }
  .headline a, .notes a { white-space: normal; }
  .table-wrap table, .table-wrap tbody, .table-wrap tr, .table-wrap th, .table-wrap td { display: block; }
  .table-wrap thead { display: none; }
  .table-wrap tr { border-bottom: 2px solid #BBB; padding: 0.3em 0; }
  .table-wrap th, .table-wrap td { border: none; padding: 0.05em 0.3em; text-align: left; white-space: normal; }
  .table-wrap tbody th { font-weight: bold; }
  .table-wrap td::before { content: attr(data-label) ": "; color: #555; }
}
@media print {
  body { max-width: none; padding: 0; font-size: 10pt; }
  main > section { break-before: page; }
  h2 { break-after: avoid; }
  figure, svg, table, tr, .headline, .summary { break-inside: avoid; }
  tbody tr:nth-child(even) { background: none; }
  .table-wrap { overflow: visible; }
  .headline a, .notes a { color: inherit; }
}
@page { margin: 15mm; }
)";

// An SVG from svg.hpp, inline: the HTML parser puts <svg> in the SVG namespace by itself, so the
// namespace declaration (the page's only URL-like text) is left out.
std::string inline_svg(std::string_view svg) {
  constexpr std::string_view ns = " xmlns=\"http://www.w3.org/2000/svg\"";
  std::string s(svg);
  if (const auto at = s.find(ns); at != std::string::npos) s.erase(at, ns.size());
  return s;
}

std::string element(std::string_view tag, std::string_view content, std::string_view attributes = "") {
  std::string s = "<" + std::string(tag);
  if (!attributes.empty()) s += " " + std::string(attributes);
  return s + ">" + escape(content) + "</" + std::string(tag) + ">";
}

}  // namespace

std::string render_table(const Table& table, std::string_view caption) {
  auto numeric = [&](std::size_t c) { return c >= table.align.size() || table.align[c] == Align::right; };
  std::string s = "<div class=\"table-wrap\"><table>\n";
  if (!caption.empty()) s += element("caption", caption) + "\n";
  s += "<thead><tr>";
  for (std::size_t c = 0; c < table.header.size(); ++c)
    s +=
        element("th", table.header[c], numeric(c) && c > 0 ? "scope=\"col\" class=\"num\"" : "scope=\"col\"");
  s += "</tr></thead>\n<tbody>\n";
  // A long word (a URL, a name without spaces) may break anywhere, or it would widen its table
  // past the page; other cells wrap only between words.
  auto long_word = [](const std::string& cell) {
    std::size_t run = 0;
    for (const char ch : cell) {
      run = ch == ' ' ? 0 : run + 1;
      if (run > 24) return true;
    }
    return false;
  };
  for (const auto& row : table.rows) {
    s += "<tr>";
    for (std::size_t c = 0; c < table.header.size(); ++c) {
      const std::string& cell = c < row.size() ? row[c] : std::string();
      if (c == 0) {
        s += element("th", cell, long_word(cell) ? "scope=\"row\" class=\"long\"" : "scope=\"row\"");
      } else {
        // The column's name, shown before the value where narrow screens stack the cells.
        const std::string label = "data-label=\"" + escape(table.header[c]) + "\"";
        const std::string cls = numeric(c) ? "num" : long_word(cell) ? "long" : "";
        s += element("td", cell, cls.empty() ? label : "class=\"" + cls + "\" " + label);
      }
    }
    s += "</tr>\n";
  }
  return s + "</tbody>\n</table></div>\n";
}

std::string render_html(const Document& d) {
  std::string s = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n";
  s += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n";
  s += "<meta name=\"generator\" content=\"inspectsim " + escape(d.provenance.version) + "\"/>\n";
  s += element("title", d.title) + "\n<style>" + std::string(css) + "</style>\n</head>\n<body>\n";
  s += "<header>\n" + element("h1", d.title) + "\n";
  if (!d.subtitle.empty()) s += element("p", d.subtitle, "class=\"subtitle\"") + "\n";
  auto section_id = [&](std::size_t i) {
    return d.sections[i].id.empty() ? "section-" + std::to_string(i + 1) : d.sections[i].id;
  };
  auto link = [&](std::string_view id) {
    for (std::size_t i = 0; i < d.sections.size(); ++i)
      if (section_id(i) == id)
        return " <a href=\"#" + escape(id) + "\">" + escape("See: " + d.sections[i].heading) + "</a>";
    return std::string();
  };
  if (!d.headline.empty()) {
    s += "<section class=\"headline\" aria-labelledby=\"headline\">\n<h2 "
         "id=\"headline\">Headline</h2>\n<ol>\n";
    for (const auto& f : d.headline) s += "<li>" + escape(f.text) + link(f.section) + "</li>\n";
    s += "</ol>\n</section>\n";
  }
  if (!d.summary.empty()) {
    s += "<section class=\"summary\" aria-labelledby=\"summary\">\n<h2 id=\"summary\">Summary</h2>\n";
    for (const auto& t : d.summary) s += render_table(t.table, t.caption);
    s += "</section>\n";
  }
  const Provenance& p = d.provenance;
  s += "<dl class=\"provenance\">\n";
  auto item = [&](std::string_view name, std::string_view value) {
    s += element("dt", name) + element("dd", value) + "\n";
  };
  item("inspectsim version", p.version);
  if (!p.input_path.empty()) item("Input file", p.input_path);
  if (!p.input_sha256.empty()) item("Input SHA-256", p.input_sha256);
  if (p.seed) item("Seed", std::to_string(*p.seed));
  if (p.replicates) item(p.replicates_label, std::to_string(*p.replicates));
  for (const auto& [name, value] : p.settings) item(name, value);
  s += "</dl>\n</header>\n<main>\n";
  for (std::size_t i = 0; i < d.sections.size(); ++i) {
    const Section& sec = d.sections[i];
    const std::string id = escape(section_id(i));
    s +=
        "<section aria-labelledby=\"" + id + "\">\n" + element("h2", sec.heading, "id=\"" + id + "\"") + "\n";
    for (const auto& para : sec.paragraphs) s += element("p", para) + "\n";
    if (!sec.notes.empty()) {
      s += "<ul class=\"notes\">\n";
      for (const auto& n : sec.notes) s += element("li", n) + "\n";
      s += "</ul>\n";
    }
    for (const auto& f : sec.figures) {
      s += "<figure>\n" + inline_svg(f.svg);
      if (!f.caption.empty()) s += element("figcaption", f.caption) + "\n";
      s += "</figure>\n";
      s += render_table(f.table,
                        f.table_caption.empty() ? "Table behind the chart: " + f.caption : f.table_caption);
    }
    for (const auto& t : sec.tables) s += render_table(t.table, t.caption);
    s += "</section>\n";
  }
  s += "</main>\n<footer>\n";
  s += element("p", "Written by inspectsim " + p.version +
                        ". This page is self-contained: it runs no scripts and loads nothing from the "
                        "network. Every chart has its table beside it.") +
       "\n</footer>\n</body>\n</html>\n";
  return s;
}

}  // namespace inspectsim::output::html
