#include "inspectsim/output/svg.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <functional>
#include <limits>
#include <numbers>

#include "inspectsim/base/unicode.hpp"
#include "inspectsim/output/table.hpp"

namespace inspectsim::output::svg {

std::string xml_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    const char c = text[i];
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default:
        // XML 1.0, production [2] Char: no C0 controls except tab, LF, CR.
        if (static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n' && c != '\r') break;
        if (static_cast<unsigned char>(c) < 0x80) {
          out += c;
          break;
        }
        // Bytes that are not UTF-8, code points XML forbids (U+FFFE, U+FFFF) or that are not text
        // (noncharacters), and bidirectional controls, which would reorder the figures shown
        // beside a name, all become U+FFFD, the replacement character (unicode.hpp).
        const base::Utf8Char u = base::decode_utf8(text, i);
        if (u.length == 0 || base::is_noncharacter(u.code) || base::is_bidi_control(u.code)) {
          out += "\xEF\xBF\xBD";
          i += u.length == 0 ? 1 : u.length;
        } else {
          out.append(text.substr(i, u.length));
          i += u.length;
        }
        continue;
    }
    ++i;
  }
  return out;
}

namespace {

// Heckbert (1990), "Nice numbers for graph labels": the 1, 2 or 5 times a power of ten nearest
// to x (round) or not below it (ceiling).
double nice_number(double x, bool round) {
  const double exponent = std::floor(std::log10(x));
  const double scale = std::pow(10.0, exponent);
  const double f = x / scale;
  double nice = 10;
  if (round) {
    nice = f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10;
  } else {
    nice = f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10;
  }
  return nice * scale;
}

}  // namespace

Ticks nice_ticks(double min, double max, int target, bool integer) {
  if (!std::isfinite(min) || !std::isfinite(max)) min = 0, max = 1;
  if (min > max) std::swap(min, max);
  if (max - min <= 1e-12 * std::max(1.0, std::abs(min))) {
    double d = min == 0 ? 1 : std::abs(min) * 0.1;
    if (integer) d = std::max(d, 1.0);
    min -= d;
    max += d;
  }
  target = std::max(target, 2);
  const double range = nice_number(max - min, false);
  double step = nice_number(range / target, true);
  if (integer) step = std::max(step, 1.0);
  Ticks t;
  t.step = step;
  const double k0 = std::floor(min / step + 1e-9);
  const double k1 = std::ceil(max / step - 1e-9);
  t.lo = k0 * step;
  t.hi = k1 * step;
  t.decimals = std::max(0, static_cast<int>(-std::floor(std::log10(step) + 1e-9)));
  for (double k = k0; k <= k1 + 0.5; k += 1) {
    const double v = k * step;
    t.values.push_back(std::abs(v) < step * 1e-9 ? 0.0 : v);
  }
  return t;
}

std::string_view series_colour(std::size_t i) noexcept {
  // Okabe and Ito (2008): blue, vermillion, bluish green, reddish purple, orange, sky blue, black.
  static constexpr std::array<std::string_view, 7> colours{"#0072B2", "#D55E00", "#009E73", "#CC79A7",
                                                           "#E69F00", "#56B4E9", "#000000"};
  return colours[i % colours.size()];
}

Axis data_share_axis(std::string label) {
  Axis a;
  a.label = std::move(label);
  a.percent = true;
  return a;
}

Axis share_axis(std::string label, double min, double max) {
  Axis a;
  a.label = std::move(label);
  a.percent = true;
  a.min = min;
  a.max = max;
  return a;
}

Axis count_axis(std::string label, std::string unit) {
  Axis a;
  a.label = std::move(label);
  a.unit = std::move(unit);
  a.integer = true;
  return a;
}

Axis number_axis(std::string label, std::string unit) {
  Axis a;
  a.label = std::move(label);
  a.unit = std::move(unit);
  return a;
}

namespace {

constexpr double font_size = 12;
constexpr double title_size = 16;
constexpr std::string_view ink = "#222222";
constexpr std::string_view grid = "#DDDDDD";
constexpr std::string_view reference_ink = "#444444";
// Labels drawn over lines get a white outline so they stay legible.
constexpr std::string_view halo =
    "font-size=\"11\" paint-order=\"stroke\" stroke=\"#FFFFFF\" stroke-width=\"3\"";

// Segments of stacked bars: Okabe-Ito colours ordered so neighbours differ in lightness too
// (greyscale luma 87, 162, 119, 213, 106, 151).
constexpr std::array<std::string_view, 6> stack_colours{"#0072B2", "#E69F00", "#D55E00",
                                                        "#F0E442", "#009E73", "#CC79A7"};
constexpr std::array<std::string_view, 6> stack_text{"#FFFFFF", "#000000", "#000000",
                                                     "#000000", "#000000", "#000000"};
// Dash patterns and marker shapes, one per series, so series differ without colour.
constexpr std::array<std::string_view, 6> dashes{"", "7 4", "2 3", "9 3 2 3", "4 2", "1 2"};
enum class Shape { circle, square, triangle, diamond, triangle_down, cross };
constexpr std::array<Shape, 6> shapes{Shape::circle,  Shape::square,        Shape::triangle,
                                      Shape::diamond, Shape::triangle_down, Shape::cross};

std::size_t code_points(std::string_view s) {
  return static_cast<std::size_t>(std::count_if(
      s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

// Approximate rendered width of sans-serif text (average glyph about 0.58 em).
double text_width(std::string_view s, double size = font_size) {
  return 0.58 * size * static_cast<double>(code_points(s));
}

// Shortens a label to at most `max_chars` code points, ending in an ellipsis.
std::string shorten(std::string_view s, std::size_t max_chars) {
  if (code_points(s) <= max_chars) return std::string(s);
  std::string out;
  std::size_t n = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const bool lead = (static_cast<unsigned char>(s[i]) & 0xC0) != 0x80;
    if (lead && ++n > max_chars - 1) break;
    out += s[i];
  }
  return out + "…";
}

// A coordinate: one decimal, never NaN (callers only pass finite values; this is the last guard).
std::string num(double v) { return base::format_fixed(std::isfinite(v) ? v : 0.0, 1); }

bool finite(double v) { return std::isfinite(v); }

std::string axis_title(const Axis& a) { return a.unit.empty() ? a.label : a.label + " (" + a.unit + ")"; }

std::string tick_text(const Axis& a, const Ticks& t, double v) {
  if (a.percent) return base::format_fixed(100 * v, std::max(0, t.decimals - 2)) + "%";
  return base::format_fixed(v, t.decimals);
}

// A value in a sentence of the text alternative.
std::string spoken(const Axis& a, double v) {
  if (a.percent) return base::format_percent(v, 1);
  if (a.integer) return base::format_fixed(v, 0);
  const double mag = std::abs(v);
  return base::format_fixed(v, mag >= 100 ? 0 : mag >= 1 ? 2 : 3);
}

// Data range to ticks, honouring a fixed min / max on the axis.
Ticks axis_ticks(const Axis& a, double lo, double hi) {
  if (!(lo <= hi)) lo = 0, hi = 1;
  if (a.min) lo = *a.min;
  if (a.max) hi = *a.max;
  Ticks t = nice_ticks(lo, hi, 5, a.integer);
  if (a.min || a.max) {
    if (a.min) t.lo = *a.min;
    if (a.max) t.hi = *a.max;
    if (t.hi <= t.lo) t.hi = t.lo + 1;
    std::erase_if(t.values, [&](double v) { return v < t.lo - 1e-9 * t.step || v > t.hi + 1e-9 * t.step; });
  }
  return t;
}

// Running minimum and maximum of the finite values seen.
struct Extent {
  double lo = std::numeric_limits<double>::infinity();
  double hi = -std::numeric_limits<double>::infinity();
  std::size_t skipped = 0;
  void add(double v) {
    if (!finite(v)) {
      ++skipped;
      return;
    }
    lo = std::min(lo, v);
    hi = std::max(hi, v);
  }
  bool empty() const { return lo > hi; }
};

// The plot area in pixels and the data-to-pixel maps (values outside the axis are clamped).
struct Area {
  double left = 0, top = 0, right = 0, bottom = 0;
  Ticks xt, yt;
  double sx(double v) const {
    const double f = std::clamp((v - xt.lo) / (xt.hi - xt.lo), -0.02, 1.02);
    return left + f * (right - left);
  }
  double sy(double v) const {
    const double f = std::clamp((v - yt.lo) / (yt.hi - yt.lo), -0.02, 1.02);
    return bottom - f * (bottom - top);
  }
};

std::string marker(Shape shape, double x, double y, std::string_view colour, double r = 4) {
  const std::string style = " fill=\"" + std::string(colour) + "\" stroke=\"#FFFFFF\" stroke-width=\"0.8\"/>";
  switch (shape) {
    case Shape::circle:
      return "<circle cx=\"" + num(x) + "\" cy=\"" + num(y) + "\" r=\"" + num(r) + "\"" + style;
    case Shape::square:
      return "<rect x=\"" + num(x - r * 0.9) + "\" y=\"" + num(y - r * 0.9) + "\" width=\"" + num(r * 1.8) +
             "\" height=\"" + num(r * 1.8) + "\"" + style;
    case Shape::triangle:
      return "<path d=\"M" + num(x) + " " + num(y - r * 1.2) + "L" + num(x + r * 1.1) + " " +
             num(y + r * 0.8) + "L" + num(x - r * 1.1) + " " + num(y + r * 0.8) + "Z\"" + style;
    case Shape::diamond:
      return "<path d=\"M" + num(x) + " " + num(y - r * 1.3) + "L" + num(x + r * 1.1) + " " + num(y) + "L" +
             num(x) + " " + num(y + r * 1.3) + "L" + num(x - r * 1.1) + " " + num(y) + "Z\"" + style;
    case Shape::triangle_down:
      return "<path d=\"M" + num(x) + " " + num(y + r * 1.2) + "L" + num(x + r * 1.1) + " " +
             num(y - r * 0.8) + "L" + num(x - r * 1.1) + " " + num(y - r * 0.8) + "Z\"" + style;
    case Shape::cross:
      return "<path d=\"M" + num(x - r) + " " + num(y - r) + "L" + num(x + r) + " " + num(y + r) + "M" +
             num(x - r) + " " + num(y + r) + "L" + num(x + r) + " " + num(y - r) + "\" stroke=\"" +
             std::string(colour) + "\" stroke-width=\"2\" fill=\"none\"/>";
  }
  return "";
}

std::string line(double x1, double y1, double x2, double y2, std::string_view colour, double width = 1,
                 std::string_view dash = "") {
  std::string s = "<line x1=\"" + num(x1) + "\" y1=\"" + num(y1) + "\" x2=\"" + num(x2) + "\" y2=\"" +
                  num(y2) + "\" stroke=\"" + std::string(colour) + "\" stroke-width=\"" + num(width) + "\"";
  if (!dash.empty()) s += " stroke-dasharray=\"" + std::string(dash) + "\"";
  return s + "/>";
}

std::string text(double x, double y, std::string_view content, std::string_view anchor = "start",
                 std::string_view extra = "") {
  std::string s = "<text x=\"" + num(x) + "\" y=\"" + num(y) + "\"";
  if (anchor != "start") s += " text-anchor=\"" + std::string(anchor) + "\"";
  if (!extra.empty()) s += " " + std::string(extra);
  return s + ">" + xml_escape(content) + "</text>";
}

// A filled box with hatching by style index (0 solid, 1 horizontal lines, 2 vertical lines,
// 3 grid, then again), so bars of different series differ in greyscale as well as colour.
std::string box(double x, double y, double w, double h, std::string_view colour, std::size_t style) {
  if (w <= 0 || h <= 0) return "";
  std::string s = "<rect x=\"" + num(x) + "\" y=\"" + num(y) + "\" width=\"" + num(w) + "\" height=\"" +
                  num(h) + "\" fill=\"" + std::string(colour) + "\"/>";
  const std::size_t kind = style % 4;
  std::string path;
  constexpr double gap = 4;
  if (kind == 1 || kind == 3)
    for (double yy = y + gap / 2; yy < y + h; yy += gap) path += "M" + num(x) + " " + num(yy) + "h" + num(w);
  if (kind == 2 || kind == 3)
    for (double xx = x + gap / 2; xx < x + w; xx += gap) path += "M" + num(xx) + " " + num(y) + "v" + num(h);
  if (!path.empty()) s += "<path d=\"" + path + "\" stroke=\"#FFFFFF\" stroke-width=\"1.3\" fill=\"none\"/>";
  return s;
}

std::string polyline(const std::vector<std::pair<double, double>>& pts, std::string_view colour, double width,
                     std::string_view dash) {
  if (pts.size() < 2) return "";
  std::string s = "<polyline fill=\"none\" stroke=\"" + std::string(colour) + "\" stroke-width=\"" +
                  num(width) + "\" stroke-linejoin=\"round\"";
  if (!dash.empty()) s += " stroke-dasharray=\"" + std::string(dash) + "\"";
  s += " points=\"";
  for (std::size_t i = 0; i < pts.size(); ++i) {
    if (i > 0) s += ' ';
    s += num(pts[i].first) + "," + num(pts[i].second);
  }
  return s + "\"/>";
}

// A legend entry: its label and how to draw its swatch at (x, y-centre) in a 24 px wide slot.
struct Key {
  std::string label;
  std::function<std::string(double, double)> swatch;
};

Key line_key(std::string label, std::string_view colour, std::string_view dash, std::optional<Shape> shape) {
  return {std::move(label), [c = std::string(colour), d = std::string(dash), shape](double x, double y) {
            std::string s = line(x, y, x + 24, y, c, 2, d);
            if (shape) s += marker(*shape, x + 12, y, c);
            return s;
          }};
}
Key box_key(std::string label, std::string_view colour, std::size_t style) {
  return {std::move(label), [c = std::string(colour), style](double x, double y) {
            return box(x + 2, y - 6, 20, 12, c, style);
          }};
}
Key marker_key(std::string label, Shape shape, std::string_view colour, double r = 4) {
  return {std::move(label),
          [shape, c = std::string(colour), r](double x, double y) { return marker(shape, x + 12, y, c, r); }};
}
Key reference_key(std::string label) {
  return {std::move(label),
          [](double x, double y) { return line(x, y, x + 24, y, reference_ink, 1.5, "5 3"); }};
}

// The chart being written: header, legend and body, and the text alternative.
class Canvas {
 public:
  explicit Canvas(const Frame& frame) : frame_(frame) {}

  // Lays out the legend under the title; returns the y where the plot may start.
  double legend(const std::vector<Key>& keys, double left) {
    const double row = 18;
    double x = left;
    double y = 44;
    if (keys.empty()) return y - 6;
    for (const auto& k : keys) {
      const std::string label = shorten(k.label, 48);
      const double w = 30 + text_width(label) + 16;
      if (x > left && x + w > frame_.width - 10) {
        x = left;
        y += row;
      }
      body_ += k.swatch(x, y);
      body_ += text(x + 30, y + 4, label);
      x += w;
    }
    return y + row;
  }

  void add(const std::string& s) { body_ += s; }
  void note(std::string sentence) { notes_.push_back(std::move(sentence)); }
  void skipped(std::size_t n, std::string_view what) {
    if (n > 0)
      notes_.push_back(std::to_string(n) + " " + std::string(what) + (n == 1 ? " was" : " were") +
                       " not a finite number and " + (n == 1 ? "is" : "are") + " not drawn.");
  }

  // Grid, ticks, tick labels and axis titles around `a`.
  void axes(const Area& a, const Axis& x, const Axis& y, bool x_ticks = true, bool y_ticks = true) {
    if (y_ticks)
      for (double v : a.yt.values) {
        const double py = a.sy(v);
        body_ += line(a.left, py, a.right, py, grid);
        body_ += text(a.left - 6, py + 4, tick_text(y, a.yt, v), "end");
      }
    if (x_ticks)
      for (double v : a.xt.values) {
        const double px = a.sx(v);
        body_ += line(px, a.top, px, a.bottom, grid);
        body_ += text(px, a.bottom + 16, tick_text(x, a.xt, v), "middle");
      }
    body_ += line(a.left, a.bottom, a.right, a.bottom, ink);
    body_ += line(a.left, a.top, a.left, a.bottom, ink);
    if (x_ticks)
      body_ += text((a.left + a.right) / 2, a.bottom + 36, axis_title(x), "middle", "font-weight=\"bold\"");
    if (y_ticks) {
      const double cy = (a.top + a.bottom) / 2;
      body_ += text(16, cy, axis_title(y), "middle",
                    "font-weight=\"bold\" transform=\"rotate(-90 16 " + num(cy) + ")\"");
    }
  }

  std::string finish(std::string summary) const {
    std::string desc = frame_.description;
    if (!desc.empty() && desc.back() != ' ') desc += ' ';
    desc += summary;
    for (const auto& n : notes_) desc += ' ' + n;
    const std::string title = xml_escape(frame_.title);
    std::string s = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + num(frame_.width) + " " +
                    num(frame_.height) + "\" width=\"" + num(frame_.width) + "\" height=\"" +
                    num(frame_.height) + "\" role=\"img\" aria-label=\"" + title +
                    "\" font-family=\"DejaVu Sans, Verdana, Arial, sans-serif\" font-size=\"" +
                    num(font_size) + "\" fill=\"" + std::string(ink) + "\">\n";
    s += "<title>" + title + "</title>\n<desc>" + xml_escape(desc) + "</desc>\n";
    s += "<rect width=\"" + num(frame_.width) + "\" height=\"" + num(frame_.height) +
         "\" fill=\"#FFFFFF\"/>\n";
    s += text(12, 24, frame_.title, "start", "font-size=\"" + num(title_size) + "\" font-weight=\"bold\"");
    s += "\n" + body_ + "\n</svg>\n";
    return s;
  }

  Frame& frame() { return frame_; }

 private:
  Frame frame_;
  std::string body_;
  std::vector<std::string> notes_;
};

// Adds the finite points to both extents; returns how many were skipped as not finite.
template <class P>
std::size_t extend(Extent& ex, Extent& ey, const std::vector<P>& points) {
  std::size_t skipped = 0;
  for (const auto& p : points) {
    if (!finite(p.x) || !finite(p.y)) {
      ++skipped;
      continue;
    }
    ex.add(p.x);
    ey.add(p.y);
  }
  return skipped;
}

// The plot area of an x-y chart: below the legend, room for tick labels and axis titles.
Area xy_area(Canvas& c, const std::vector<Key>& keys) {
  Area a;
  a.left = 72;
  a.right = c.frame().width - 24;
  a.top = c.legend(keys, 12) + 8;
  a.bottom = c.frame().height - 48;
  return a;
}

std::string range_sentence(std::string_view which, const Axis& a, const Ticks& t) {
  return std::string(which) + " axis: " + axis_title(a) + ", from " + spoken(a, t.lo) + " to " +
         spoken(a, t.hi) + ".";
}

std::string list(const std::vector<std::string>& names) {
  std::string s;
  for (std::size_t i = 0; i < names.size(); ++i)
    s += (i > 0 ? (i + 1 == names.size() ? " and " : ", ") : "") + names[i];
  return s;
}

// Places labels so they do not overlap earlier ones: tries the spot, then lower and higher.
class LabelPlacer {
 public:
  std::string place(double x, double y, std::string_view label, double max_x) {
    const double w = text_width(label, 11);
    if (x + w > max_x) x = std::max(2.0, x - w - 14);
    for (double shift : {0.0, 12.0, -12.0, 24.0, -24.0, 36.0}) {
      const double yy = y + shift;
      const bool clash = std::any_of(boxes_.begin(), boxes_.end(), [&](const auto& b) {
        return x < b[0] + b[2] && b[0] < x + w && yy - 10 < b[1] && b[1] - 10 < yy;
      });
      if (!clash || shift == 36.0) {
        boxes_.push_back({x, yy, w});
        return text(x, yy, label, "start", halo);
      }
    }
    return "";
  }

 private:
  std::vector<std::array<double, 3>> boxes_;
};

// Series i as a line through its finite points (broken where one is not), with a marker on every
// `every`-th point starting at `first`, so the series reads without colour.
void draw_series(Canvas& c, const Area& a, const Series& s, std::size_t i, double width, std::size_t every,
                 std::size_t first, double marker_r) {
  const std::string_view colour = series_colour(i);
  std::vector<std::pair<double, double>> run;
  auto flush = [&] {
    c.add(polyline(run, colour, width, dashes[i % dashes.size()]));
    run.clear();
  };
  for (const auto& p : s.points) {
    if (finite(p.x) && finite(p.y)) {
      run.emplace_back(a.sx(p.x), a.sy(p.y));
    } else {
      flush();
    }
  }
  flush();
  for (std::size_t k = first; k < s.points.size(); k += every) {
    const auto& p = s.points[k];
    if (finite(p.x) && finite(p.y))
      c.add(marker(shapes[i % shapes.size()], a.sx(p.x), a.sy(p.y), colour, marker_r));
  }
}

}  // namespace

std::string line_chart(const LineChart& chart) {
  Canvas c(chart.frame);
  Extent ex, ey;
  std::size_t skipped = 0;
  for (const auto& s : chart.series) skipped += extend(ex, ey, s.points);
  for (const auto& r : chart.y_references) ey.add(r.value);
  std::vector<Key> keys;
  for (std::size_t i = 0; i < chart.series.size(); ++i)
    keys.push_back(line_key(chart.series[i].name, series_colour(i), dashes[i % dashes.size()],
                            shapes[i % shapes.size()]));
  for (const auto& r : chart.y_references) keys.push_back(reference_key(r.label));
  Area a = xy_area(c, keys);
  a.xt = axis_ticks(chart.x, ex.lo, ex.hi);
  a.yt = axis_ticks(chart.y, ey.lo, ey.hi);
  c.axes(a, chart.x, chart.y);
  for (const auto& r : chart.y_references) {
    if (!finite(r.value)) continue;
    c.add(line(a.left, a.sy(r.value), a.right, a.sy(r.value), reference_ink, 1.5, "5 3"));
    c.add(text(a.left + 6, a.sy(r.value) - 5, r.label, "start", halo));
  }
  std::vector<std::string> names;
  for (std::size_t i = 0; i < chart.series.size(); ++i) {
    const auto& s = chart.series[i];
    names.push_back(s.name + " (" + std::to_string(s.points.size()) + " points)");
    // Markers name the series without colour; thin them out on long series.
    const std::size_t every = std::max<std::size_t>(1, s.points.size() / 25);
    draw_series(c, a, s, i, 2, every, i % every, 4);
  }
  c.skipped(skipped, "point");
  std::string summary = "Line chart. " + range_sentence("Horizontal", chart.x, a.xt) + " " +
                        range_sentence("Vertical", chart.y, a.yt) + " " +
                        std::to_string(chart.series.size()) + " series: " + list(names) + ".";
  for (const auto& r : chart.y_references)
    if (finite(r.value)) summary += " Reference line " + r.label + " at " + spoken(chart.y, r.value) + ".";
  return c.finish(summary);
}

std::string small_multiples(const LineChart& chart, std::size_t columns) {
  Frame frame = chart.frame;
  const std::size_t n = std::max<std::size_t>(chart.series.size(), 1);
  columns = std::clamp<std::size_t>(columns, 1, n);
  const std::size_t rows = (n + columns - 1) / columns;
  Extent ex, ey;
  std::size_t skipped = 0;
  for (const auto& s : chart.series) skipped += extend(ex, ey, s.points);
  for (const auto& r : chart.y_references) ey.add(r.value);
  std::vector<Key> keys;
  for (const auto& r : chart.y_references) keys.push_back(reference_key(r.label));
  const double panel_h = 150;
  const double gap_x = 14, gap_y = 34;
  Canvas probe(frame);
  const double top = probe.legend(keys, 12) + 8;
  frame.height = top + static_cast<double>(rows) * (panel_h + gap_y) + 40;
  Canvas c(frame);
  c.legend(keys, 12);
  const double left = 72, right = frame.width - 16;
  const double panel_w =
      (right - left - gap_x * static_cast<double>(columns - 1)) / static_cast<double>(columns);
  const Ticks xt = axis_ticks(chart.x, ex.lo, ex.hi);
  const Ticks yt = axis_ticks(chart.y, ey.lo, ey.hi);
  std::vector<std::string> names;
  for (std::size_t i = 0; i < chart.series.size(); ++i) {
    const auto& s = chart.series[i];
    const std::size_t row = i / columns, col = i % columns;
    Area a;
    a.left = left + static_cast<double>(col) * (panel_w + gap_x);
    a.right = a.left + panel_w;
    a.top = top + static_cast<double>(row) * (panel_h + gap_y) + 18;
    a.bottom = a.top + panel_h - 18;
    a.xt = xt;
    a.yt = yt;
    c.add(text(a.left, a.top - 6, shorten(s.name, static_cast<std::size_t>(panel_w / 7)), "start",
               "font-weight=\"bold\""));
    for (double v : yt.values) {
      c.add(line(a.left, a.sy(v), a.right, a.sy(v), grid));
      if (col == 0) c.add(text(a.left - 6, a.sy(v) + 4, tick_text(chart.y, yt, v), "end"));
    }
    for (double v : xt.values) {
      c.add(line(a.sx(v), a.top, a.sx(v), a.bottom, grid));
      c.add(text(a.sx(v), a.bottom + 14, tick_text(chart.x, xt, v), "middle", "font-size=\"10\""));
    }
    c.add(line(a.left, a.bottom, a.right, a.bottom, ink));
    c.add(line(a.left, a.top, a.left, a.bottom, ink));
    for (const auto& r : chart.y_references)
      if (finite(r.value))
        c.add(line(a.left, a.sy(r.value), a.right, a.sy(r.value), reference_ink, 1.5, "5 3"));
    draw_series(c, a, s, i, 1.8, std::max<std::size_t>(1, s.points.size() / 12), 0, 3);
    // The lowest point of the panel, which is what a reader compares.
    const Point* low = nullptr;
    for (const auto& p : s.points)
      if (finite(p.x) && finite(p.y) && (!low || p.y < low->y)) low = &p;
    names.push_back(s.name + " (" + std::to_string(s.points.size()) + " points" +
                    (low ? ", lowest " + spoken(chart.y, low->y) + " at " + spoken(chart.x, low->x) : "") +
                    ")");
  }
  const double plots_bottom = top + static_cast<double>(rows) * (panel_h + gap_y);
  c.add(text((left + right) / 2, plots_bottom + 14, axis_title(chart.x), "middle", "font-weight=\"bold\""));
  const double cy = (top + plots_bottom) / 2;
  c.add(text(16, cy, axis_title(chart.y), "middle",
             "font-weight=\"bold\" transform=\"rotate(-90 16 " + num(cy) + ")\""));
  c.skipped(skipped, "point");
  std::string summary = "Small multiples: " + std::to_string(chart.series.size()) +
                        " panels, one per series, on shared axes. " +
                        range_sentence("Horizontal", chart.x, xt) + " " +
                        range_sentence("Vertical", chart.y, yt) + " Panels: " + list(names) + ".";
  for (const auto& r : chart.y_references)
    if (finite(r.value))
      summary += " Reference line " + r.label + " at " + spoken(chart.y, r.value) + " in every panel.";
  return c.finish(summary);
}

std::string bar_chart(const BarChart& chart) {
  Canvas c(chart.frame);
  Extent ex, ey;
  ey.add(0);
  std::size_t skipped = 0;
  const double half = (finite(chart.bar_width) && chart.bar_width > 0 ? chart.bar_width : 1) / 2;
  for (const auto& p : chart.bars) {
    if (!finite(p.x) || !finite(p.y)) {
      ++skipped;
      continue;
    }
    ex.add(p.x - half);
    ex.add(p.x + half);
    ey.add(p.y);
  }
  if (chart.overlay) skipped += extend(ex, ey, chart.overlay->points);
  for (const auto& m : chart.x_marks) ex.add(m.value);
  std::vector<Key> keys;
  keys.push_back(box_key(chart.bar_name, "#56B4E9", 0));
  if (chart.overlay) keys.push_back(marker_key(chart.overlay->name, Shape::diamond, "#000000", 4.5));
  for (const auto& m : chart.x_marks)
    keys.push_back(
        {m.label, [](double x, double y) { return line(x, y, x + 24, y, "#D55E00", 2.5, "6 3"); }});
  Area a = xy_area(c, keys);
  a.xt = axis_ticks(chart.x, ex.lo, ex.hi);
  if (!ex.empty()) {
    // A histogram's axis spans its bars, not the next nice number beyond them.
    if (!chart.x.min) a.xt.lo = ex.lo;
    if (!chart.x.max) a.xt.hi = ex.hi;
    std::erase_if(a.xt.values, [&](double v) { return v < a.xt.lo || v > a.xt.hi; });
  }
  a.yt = axis_ticks(chart.y, ey.lo, ey.hi);
  c.axes(a, chart.x, chart.y);
  const double px_half = std::max(0.5, half * 0.85 * (a.right - a.left) / (a.xt.hi - a.xt.lo));
  for (const auto& p : chart.bars) {
    if (!finite(p.x) || !finite(p.y)) continue;
    const double top = a.sy(std::max(p.y, a.yt.lo));
    const double base = a.sy(std::max(0.0, a.yt.lo));
    c.add(box(a.sx(p.x) - px_half, std::min(top, base), 2 * px_half, std::abs(base - top), "#56B4E9", 0));
  }
  if (chart.overlay)
    for (const auto& p : chart.overlay->points)
      if (finite(p.x) && finite(p.y)) c.add(marker(Shape::diamond, a.sx(p.x), a.sy(p.y), "#000000", 4.5));
  for (const auto& m : chart.x_marks) {
    if (!finite(m.value)) continue;
    c.add(line(a.sx(m.value), a.top, a.sx(m.value), a.bottom, "#D55E00", 2.5, "6 3"));
    c.add(text(a.sx(m.value) + 5, a.top + 12, m.label, "start", halo));
  }
  c.skipped(skipped, "bar or marker");
  std::string summary =
      "Bar chart of " + chart.bar_name + " with " + std::to_string(chart.bars.size()) + " bars" +
      (chart.overlay ? " and " + chart.overlay->name + " as markers" : std::string()) + ". " +
      range_sentence("Horizontal", chart.x, a.xt) + " " + range_sentence("Vertical", chart.y, a.yt);
  for (const auto& m : chart.x_marks)
    if (finite(m.value)) summary += " Marked: " + m.label + " at " + spoken(chart.x, m.value) + ".";
  return c.finish(summary);
}

namespace {

// Width of the label column for one-row-per-item charts, and the shortened labels.
struct Labels {
  std::vector<std::string> text;
  double width = 0;
};
Labels row_labels(const std::vector<std::string>& labels, double frame_width) {
  Labels out;
  const std::size_t max_chars =
      static_cast<std::size_t>(std::max(8.0, frame_width * 0.45 / (0.58 * font_size)));
  for (const auto& l : labels) {
    out.text.push_back(shorten(l, max_chars));
    out.width = std::max(out.width, text_width(out.text.back()));
  }
  out.width = std::max(out.width + 16, 60.0);
  return out;
}

void vertical_references(Canvas& c, const Area& a, const std::vector<Reference>& refs) {
  double dy = 0;
  for (const auto& r : refs) {
    if (!finite(r.value)) continue;
    const double x = a.sx(r.value);
    c.add(line(x, a.top - 4, x, a.bottom, reference_ink, 1.5, "5 3"));
    c.add(text(x, a.top - 8 - dy, r.label, "middle", "font-size=\"11\""));
    dy += 13;
  }
}

double references_headroom(const std::vector<Reference>& refs) {
  return 8 + 13 * static_cast<double>(std::count_if(refs.begin(), refs.end(),
                                                    [](const Reference& r) { return finite(r.value); }));
}

}  // namespace

std::string interval_chart(const IntervalChart& chart) {
  std::vector<IntervalRow> rows;
  std::size_t skipped = 0;
  std::size_t no_interval = 0;
  for (const auto& r : chart.rows) {
    if (!finite(r.estimate)) {
      ++skipped;
      continue;
    }
    rows.push_back(r);
    if (!finite(r.lower) || !finite(r.upper)) ++no_interval;
  }
  if (chart.order != Order::as_given)
    std::stable_sort(rows.begin(), rows.end(), [&](const auto& p, const auto& q) {
      return chart.order == Order::ascending ? p.estimate < q.estimate : p.estimate > q.estimate;
    });
  Frame frame = chart.frame;
  std::vector<Key> keys;
  keys.push_back(marker_key(chart.estimate_name, Shape::circle, series_colour(0)));
  keys.push_back({chart.interval_name, [](double x, double y) {
                    return line(x, y, x + 24, y, series_colour(0), 2) +
                           line(x, y - 4, x, y + 4, series_colour(0), 2) +
                           line(x + 24, y - 4, x + 24, y + 4, series_colour(0), 2);
                  }});
  const bool any_highlight = std::any_of(rows.begin(), rows.end(), [](const auto& r) { return r.highlight; });
  if (any_highlight) keys.push_back(marker_key(chart.highlight_name, Shape::diamond, series_colour(1), 5));
  for (const auto& r : chart.x_references) keys.push_back(reference_key(r.label));

  std::vector<std::string> names;
  for (const auto& r : rows) names.push_back(r.label);
  const Labels labels = row_labels(names, frame.width);
  const double row_h = 18;
  Canvas probe(frame);
  const double legend_end = probe.legend(keys, 12);
  const double top = legend_end + references_headroom(chart.x_references);
  frame.height = top + row_h * static_cast<double>(std::max<std::size_t>(rows.size(), 1)) + 56;
  Canvas c(frame);
  c.legend(keys, 12);

  Extent ex;
  for (const auto& r : rows) {
    ex.add(r.estimate);
    if (finite(r.lower) && finite(r.upper)) {
      ex.add(r.lower);
      ex.add(r.upper);
    }
  }
  for (const auto& r : chart.x_references) ex.add(r.value);
  Area a;
  a.left = 12 + labels.width;
  a.right = frame.width - 24;
  a.top = top;
  a.bottom = top + row_h * static_cast<double>(rows.size());
  a.xt = axis_ticks(chart.x, ex.lo, ex.hi);
  for (std::size_t i = 0; i < rows.size(); i += 2)
    c.add("<rect x=\"" + num(12) + "\" y=\"" + num(a.top + row_h * static_cast<double>(i)) + "\" width=\"" +
          num(a.right - 12) + "\" height=\"" + num(row_h) + "\" fill=\"#F3F3F3\"/>");
  c.axes(a, chart.x, Axis{}, true, false);
  vertical_references(c, a, chart.x_references);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const auto& r = rows[i];
    const double y = a.top + row_h * (static_cast<double>(i) + 0.5);
    const std::string_view colour = r.highlight ? series_colour(1) : series_colour(0);
    c.add(text(a.left - 8, y + 4, labels.text[i], "end"));
    if (finite(r.lower) && finite(r.upper)) {
      const double x0 = a.sx(r.lower);
      const double x1 = a.sx(r.upper);
      c.add(line(x0, y, x1, y, colour, 2));
      c.add(line(x0, y - 4, x0, y + 4, colour, 2));
      c.add(line(x1, y - 4, x1, y + 4, colour, 2));
    }
    c.add(r.highlight ? marker(Shape::diamond, a.sx(r.estimate), y, colour, 5)
                      : marker(Shape::circle, a.sx(r.estimate), y, colour));
  }
  c.skipped(skipped, "row");
  if (no_interval > 0)
    c.note(std::to_string(no_interval) + " rows have no finite interval; only their estimate is drawn.");
  std::string summary = "Interval plot with one row for each of " + std::to_string(rows.size()) + " items" +
                        (chart.order == Order::descending  ? ", largest estimate first"
                         : chart.order == Order::ascending ? ", smallest estimate first"
                                                           : "") +
                        ". " + range_sentence("Horizontal", chart.x, a.xt);
  for (const auto& r : chart.x_references)
    if (finite(r.value)) summary += " Reference line " + r.label + " at " + spoken(chart.x, r.value) + ".";
  const auto highlighted = std::count_if(rows.begin(), rows.end(), [](const auto& r) { return r.highlight; });
  if (highlighted > 0) {
    std::vector<std::string> hl;
    for (const auto& r : rows)
      if (r.highlight) hl.push_back(r.label);
    summary += " " + chart.highlight_name + ": " + list(hl) + ".";
  }
  return c.finish(summary);
}

std::string funnel_chart(const FunnelChart& chart) {
  Canvas c(chart.frame);
  Extent ex, ey;
  const std::size_t skipped = extend(ex, ey, chart.points);
  for (const auto& l : chart.limits) {
    extend(ex, ey, l.lower);
    extend(ex, ey, l.upper);
  }
  if (chart.target) ey.add(chart.target->value);
  std::vector<Key> keys;
  keys.push_back(marker_key(chart.point_name, Shape::circle, series_colour(0)));
  const bool any_outlier =
      std::any_of(chart.points.begin(), chart.points.end(), [](const auto& p) { return p.outlier; });
  if (any_outlier) keys.push_back(marker_key(chart.outlier_name, Shape::diamond, series_colour(1), 5));
  if (chart.target)
    keys.push_back({chart.target->label, [](double x, double y) { return line(x, y, x + 24, y, ink, 2); }});
  for (std::size_t i = 0; i < chart.limits.size(); ++i)
    keys.push_back(
        line_key(chart.limits[i].name, reference_ink, dashes[(i + 1) % dashes.size()], std::nullopt));
  Area a = xy_area(c, keys);
  a.xt = axis_ticks(chart.x, ex.lo, ex.hi);
  a.yt = axis_ticks(chart.y, ey.lo, ey.hi);
  c.axes(a, chart.x, chart.y);
  for (std::size_t i = 0; i < chart.limits.size(); ++i)
    for (const auto* curve : {&chart.limits[i].lower, &chart.limits[i].upper}) {
      std::vector<std::pair<double, double>> pts;
      for (const auto& p : *curve)
        if (finite(p.x) && finite(p.y)) pts.emplace_back(a.sx(p.x), a.sy(p.y));
      c.add(polyline(pts, reference_ink, 1.5, dashes[(i + 1) % dashes.size()]));
    }
  if (chart.target && finite(chart.target->value))
    c.add(line(a.left, a.sy(chart.target->value), a.right, a.sy(chart.target->value), ink, 2));
  LabelPlacer placer;
  std::vector<std::string> outliers;
  for (const auto& p : chart.points) {
    if (!finite(p.x) || !finite(p.y)) continue;
    const double x = a.sx(p.x);
    const double y = a.sy(p.y);
    if (p.outlier) {
      c.add(marker(Shape::diamond, x, y, series_colour(1), 5));
      c.add(placer.place(x + 7, y - 5, p.label, chart.frame.width - 4));
      outliers.push_back(p.label);
    } else {
      c.add(marker(Shape::circle, x, y, series_colour(0)));
    }
  }
  c.skipped(skipped, "point");
  std::string summary = "Funnel plot of " + std::to_string(chart.points.size()) + " points (" +
                        chart.point_name + "). " + range_sentence("Horizontal", chart.x, a.xt) + " " +
                        range_sentence("Vertical", chart.y, a.yt);
  if (chart.target && finite(chart.target->value))
    summary += " " + chart.target->label + " at " + spoken(chart.y, chart.target->value) + ".";
  if (!chart.limits.empty()) {
    std::vector<std::string> ln;
    for (const auto& l : chart.limits) ln.push_back(l.name);
    summary += " Control limits: " + list(ln) + ".";
  }
  summary += outliers.empty() ? " None lies " + chart.outlier_name + "."
                              : " " + chart.outlier_name + ": " + list(outliers) + ".";
  return c.finish(summary);
}

std::string stacked_bar_chart(const StackedBarChart& chart) {
  Frame frame = chart.frame;
  std::vector<Key> keys;
  for (std::size_t i = 0; i < chart.segments.size(); ++i)
    keys.push_back(
        box_key(chart.segments[i], stack_colours[i % stack_colours.size()], i / stack_colours.size()));
  std::vector<std::string> names;
  for (const auto& b : chart.bars) names.push_back(b.label);
  const Labels labels = row_labels(names, frame.width);
  const double row_h = 24;
  Canvas probe(frame);
  const double top = probe.legend(keys, 12) + 8;
  frame.height = top + row_h * static_cast<double>(std::max<std::size_t>(chart.bars.size(), 1)) + 56;
  Canvas c(frame);
  c.legend(keys, 12);

  Extent ex;
  ex.add(0);
  std::size_t skipped = 0;
  for (const auto& b : chart.bars) {
    double total = 0;
    for (double v : b.values) {
      if (!finite(v)) {
        ++skipped;
        continue;
      }
      total += std::max(0.0, v);
    }
    ex.add(total);
  }
  Area a;
  a.left = 12 + labels.width;
  a.right = frame.width - 24;
  a.top = top;
  a.bottom = top + row_h * static_cast<double>(chart.bars.size());
  a.xt = axis_ticks(chart.value, ex.lo, ex.hi);
  c.axes(a, chart.value, Axis{}, true, false);
  for (std::size_t i = 0; i < chart.bars.size(); ++i) {
    const auto& b = chart.bars[i];
    const double y = a.top + row_h * static_cast<double>(i);
    c.add(text(a.left - 8, y + row_h / 2 + 4, labels.text[i], "end"));
    double start = 0;
    for (std::size_t s = 0; s < b.values.size() && s < chart.segments.size(); ++s) {
      const double v = b.values[s];
      if (!finite(v) || v <= 0) continue;
      const double x0 = a.sx(start);
      const double x1 = a.sx(start + v);
      c.add(box(x0, y + 4, x1 - x0, row_h - 8, stack_colours[s % stack_colours.size()],
                s / stack_colours.size()));
      const std::string value = chart.value.percent ? base::format_percent(v, 0) : base::format_fixed(v, 2);
      if (x1 - x0 > text_width(value, 10) + 6 && s / stack_colours.size() == 0)
        c.add(text((x0 + x1) / 2, y + row_h / 2 + 4, value, "middle",
                   "font-size=\"10\" fill=\"" + std::string(stack_text[s % stack_text.size()]) + "\""));
      start += v;
    }
  }
  c.skipped(skipped, "segment");
  std::string summary = "Stacked bar chart with one bar for each of " + std::to_string(chart.bars.size()) +
                        " items, split into " + list(chart.segments) + ". " +
                        range_sentence("Horizontal", chart.value, a.xt);
  return c.finish(summary);
}

std::string grouped_bar_chart(const GroupedBarChart& chart) {
  Frame frame = chart.frame;
  std::vector<Key> keys;
  for (std::size_t s = 0; s < chart.series.size(); ++s)
    keys.push_back(box_key(chart.series[s], series_colour(s), s));
  Extent ey;
  ey.add(0);
  for (const auto& row : chart.values)
    for (double v : row) ey.add(v);
  const std::size_t skipped = ey.skipped;
  const double left = 72;
  const double right = frame.width - 24;
  const double group_w = (right - left) / static_cast<double>(std::max<std::size_t>(1, chart.groups.size()));
  // Group labels that do not fit under their group are written at an angle.
  double longest = 0;
  std::vector<std::string> labels;
  for (const auto& g : chart.groups) {
    labels.push_back(shorten(g, 32));
    longest = std::max(longest, text_width(labels.back()));
  }
  const bool slanted = longest > group_w - 4;
  const double label_space = slanted ? longest * std::sin(std::numbers::pi / 4) + 16 : 22;
  Canvas probe(frame);
  const double top = probe.legend(keys, 12) + 8;
  frame.height = std::max(frame.height, top + 200 + label_space + 30);
  Canvas c(frame);
  c.legend(keys, 12);
  Area a;
  a.left = left;
  a.right = right;
  a.top = top;
  a.bottom = frame.height - label_space - 30;
  a.xt = nice_ticks(0, 1);
  a.yt = axis_ticks(chart.y, ey.lo, ey.hi);
  c.axes(a, Axis{}, chart.y, false, true);
  const double bar_w = group_w * 0.8 / static_cast<double>(std::max<std::size_t>(1, chart.series.size()));
  for (std::size_t g = 0; g < chart.groups.size(); ++g) {
    const double gx = a.left + group_w * static_cast<double>(g);
    for (std::size_t s = 0; s < chart.series.size(); ++s) {
      if (s >= chart.values.size() || g >= chart.values[s].size()) continue;
      const double v = chart.values[s][g];
      if (!finite(v)) continue;
      const double top_px = a.sy(std::max(v, a.yt.lo));
      const double base = a.sy(std::max(0.0, a.yt.lo));
      c.add(box(gx + group_w * 0.1 + bar_w * static_cast<double>(s), std::min(top_px, base), bar_w,
                std::abs(base - top_px), series_colour(s), s));
    }
    const double cx = gx + group_w / 2;
    if (slanted) {
      c.add(text(cx, a.bottom + 14, labels[g], "end",
                 "transform=\"rotate(-45 " + num(cx) + " " + num(a.bottom + 14) + ")\""));
    } else {
      c.add(text(cx, a.bottom + 16, labels[g], "middle"));
    }
  }
  c.add(text((a.left + a.right) / 2, frame.height - 10, chart.group_label, "middle", "font-weight=\"bold\""));
  c.skipped(skipped, "bar");
  std::string summary = "Grouped bar chart: " + std::to_string(chart.groups.size()) + " groups (" +
                        chart.group_label + "), one bar for each of " + list(chart.series) + ". " +
                        range_sentence("Vertical", chart.y, a.yt);
  return c.finish(summary);
}

std::string scatter_chart(const ScatterChart& chart) {
  Canvas c(chart.frame);
  Extent ex, ey;
  const std::size_t skipped = extend(ex, ey, chart.points);
  if (chart.identity && !ex.empty()) {
    // One range for both axes, so the identity line is the diagonal.
    ex.add(ey.lo);
    ex.add(ey.hi);
    ey = ex;
  }
  std::vector<Key> keys;
  keys.push_back(marker_key(chart.point_name, Shape::circle, series_colour(0)));
  if (chart.identity) keys.push_back(reference_key("y = x (equal)"));
  Area a = xy_area(c, keys);
  a.xt = axis_ticks(chart.x, ex.lo, ex.hi);
  a.yt = axis_ticks(chart.y, ey.lo, ey.hi);
  c.axes(a, chart.x, chart.y);
  if (chart.identity) {
    const double lo = std::max(a.xt.lo, a.yt.lo);
    const double hi = std::min(a.xt.hi, a.yt.hi);
    if (lo < hi) c.add(line(a.sx(lo), a.sy(lo), a.sx(hi), a.sy(hi), reference_ink, 1.5, "5 3"));
  }
  LabelPlacer placer;
  for (const auto& p : chart.points) {
    if (!finite(p.x) || !finite(p.y)) continue;
    c.add(marker(Shape::circle, a.sx(p.x), a.sy(p.y), series_colour(0)));
    if (p.show_label) c.add(placer.place(a.sx(p.x) + 6, a.sy(p.y) - 5, p.label, chart.frame.width - 4));
  }
  c.skipped(skipped, "point");
  std::string summary = "Scatter plot of " + std::to_string(chart.points.size() - skipped) + " points. " +
                        range_sentence("Horizontal", chart.x, a.xt) + " " +
                        range_sentence("Vertical", chart.y, a.yt) +
                        (chart.identity ? " The dashed diagonal marks equal values." : "");
  return c.finish(summary);
}

}  // namespace inspectsim::output::svg

namespace inspectsim::output::svg {

namespace {

// ColorBrewer "Blues", five classes (Harrower and Brewer 2003), with the text colour each needs.
constexpr std::array<std::string_view, 5> heat_colours{"#EFF3FF", "#BDD7E7", "#6BAED6", "#3182BD", "#08519C"};
constexpr std::array<std::string_view, 5> heat_text{"#000000", "#000000", "#000000", "#FFFFFF", "#FFFFFF"};

std::size_t heat_class(double v) {
  return std::min<std::size_t>(4, static_cast<std::size_t>(std::max(0.0, v) * 5));
}

}  // namespace

std::string heat_map(const HeatMap& chart) {
  Frame frame = chart.frame;
  std::vector<Key> keys;
  for (std::size_t k = 0; k < heat_colours.size(); ++k)
    keys.push_back(box_key(base::format_fixed(20.0 * static_cast<double>(k), 0) + "% to " +
                               base::format_fixed(20.0 * static_cast<double>(k + 1), 0) + "%",
                           heat_colours[k], 0));
  std::size_t label_chars = 0;
  for (const auto& r : chart.rows) label_chars = std::max(label_chars, code_points(r));
  const double left = 40 + std::min(120.0, 7.5 * static_cast<double>(label_chars));
  const double right = frame.width - 16;
  // The legend follows the name of what the colour shows, on one line.
  const double legend_left = 12 + text_width(chart.value_label + ":") + 10;
  Canvas probe(frame);
  const double top = probe.legend(keys, legend_left) + 24;
  const double cols = static_cast<double>(std::max<std::size_t>(chart.columns.size(), 1));
  const double cell_w = (right - left) / cols;
  const double cell_h = 28;
  frame.height = top + cell_h * static_cast<double>(std::max<std::size_t>(chart.rows.size(), 1)) + 60;
  Canvas c(frame);
  c.legend(keys, legend_left);
  c.add(text(12, 48, chart.value_label + ":", "start", "font-weight=\"bold\""));
  c.add(text(left - 6, top - 6, chart.row_label, "end", "font-weight=\"bold\""));
  std::size_t skipped = 0;
  double lo = 2, hi = -1;
  std::string at_lo;
  for (std::size_t r = 0; r < chart.rows.size(); ++r) {
    const double y = top + cell_h * static_cast<double>(r);
    c.add(text(left - 6, y + cell_h / 2 + 4, shorten(chart.rows[r], 18), "end"));
    for (std::size_t k = 0; k < chart.columns.size(); ++k) {
      const double x = left + cell_w * static_cast<double>(k);
      const double v =
          r < chart.values.size() && k < chart.values[r].size() ? chart.values[r][k] : std::nan("");
      if (!finite(v)) {
        ++skipped;
        c.add(box(x, y, cell_w, cell_h, "#BBBBBB", 3));
        continue;
      }
      const std::size_t h = heat_class(v);
      c.add("<rect x=\"" + num(x) + "\" y=\"" + num(y) + "\" width=\"" + num(cell_w) + "\" height=\"" +
            num(cell_h) + "\" fill=\"" + std::string(heat_colours[h]) +
            "\" stroke=\"#FFFFFF\" stroke-width=\"0.5\"/>");
      if (cell_w >= 34)
        c.add(text(x + cell_w / 2, y + cell_h / 2 + 4, base::format_fixed(100 * v, 0) + "%", "middle",
                   "font-size=\"10\" fill=\"" + std::string(heat_text[h]) + "\""));
      if (v < lo) {
        lo = v;
        at_lo = chart.rows[r] + ", " + chart.columns[k];
      }
      hi = std::max(hi, v);
    }
  }
  // Column labels: about eight, evenly spread.
  const double bottom = top + cell_h * static_cast<double>(chart.rows.size());
  const std::size_t every = std::max<std::size_t>(1, (chart.columns.size() + 7) / 8);
  for (std::size_t k = 0; k < chart.columns.size(); k += every)
    c.add(text(left + cell_w * (static_cast<double>(k) + 0.5), bottom + 16, chart.columns[k], "middle",
               "font-size=\"10\""));
  c.add(text((left + right) / 2, bottom + 40, chart.column_label, "middle", "font-weight=\"bold\""));

  c.skipped(skipped, "cell");
  std::string summary = "Heat map of " + chart.value_label + ": " + std::to_string(chart.rows.size()) +
                        " rows (" + chart.row_label + ") by " + std::to_string(chart.columns.size()) +
                        " columns (" + chart.column_label + "); darker is higher.";
  if (hi >= lo)
    summary += " Values run from " + base::format_percent(lo, 1) + " (" + at_lo + ") to " +
               base::format_percent(hi, 1) + ".";
  return c.finish(summary);
}

}  // namespace inspectsim::output::svg
