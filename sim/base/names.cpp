#include "inspectsim/base/names.hpp"

#include <algorithm>
#include <vector>

namespace inspectsim::base {

// Edit distance: no library the project uses offers one (Boost.Algorithm has none, toml++ and CLI11
// keep theirs internal), so this is the textbook dynamic programme. Optimal string alignment
// distance: Levenshtein (1966) plus the transposition of neighbours (Damerau 1964).
namespace {
// The distance, or any value above `limit` once it is certain to exceed it: the distance is at
// least the difference in lengths, and never below the least entry of the last two rows. Three rows of
// the table at a time, reused between calls, so a scan of 10,000 candidates allocates nothing.
std::size_t osa_distance(std::string_view s, std::string_view t, std::size_t limit,
                         std::vector<std::size_t>& rows) {
  const std::size_t m = s.size();
  const std::size_t n = t.size();
  if ((m > n ? m - n : n - m) > limit) return limit + 1;
  rows.assign(3 * (n + 1), 0);
  std::size_t* before = rows.data();  // row i - 2
  std::size_t* prev = before + (n + 1);
  std::size_t* cur = prev + (n + 1);
  for (std::size_t j = 0; j <= n; ++j) prev[j] = j;
  std::size_t prev_min = 0;  // every later entry is >= min(this row's least, the last row's + 1)
  for (std::size_t i = 1; i <= m; ++i) {
    cur[0] = i;
    std::size_t row_min = cur[0];
    for (std::size_t j = 1; j <= n; ++j) {
      const std::size_t cost = s[i - 1] == t[j - 1] ? 0 : 1;
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost});
      if (i > 1 && j > 1 && s[i - 1] == t[j - 2] && s[i - 2] == t[j - 1])
        cur[j] = std::min(cur[j], before[j - 2] + 1);
      row_min = std::min(row_min, cur[j]);
    }
    if (std::min(row_min, prev_min + 1) > limit) return limit + 1;
    prev_min = row_min;
    std::swap(before, prev);
    std::swap(prev, cur);
  }
  return prev[n];
}
}  // namespace

std::string closest_name(std::string_view name, std::span<const std::string_view> candidates) {
  const std::size_t allowed = name.size() <= 4 ? 1 : name.size() <= 8 ? 2 : 3;
  std::string best;
  std::size_t best_distance = allowed + 1;
  std::vector<std::size_t> rows;
  for (const auto& c : candidates) {
    const std::size_t dist = osa_distance(name, c, best_distance - 1, rows);
    if (dist < best_distance) {
      best_distance = dist;
      best = c;
    }
  }
  return best;
}

std::string closest_name(std::string_view name, const std::vector<std::string>& candidates) {
  const std::vector<std::string_view> views(candidates.begin(), candidates.end());
  return closest_name(name, views);
}

std::string allowed_list(std::span<const std::string_view> names, std::string_view last) {
  std::string out;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += i + 1 == names.size() ? last : std::string_view(", ");
    const bool quote = names[i].find_first_of(", ") != std::string_view::npos;
    if (quote) out += '\'';
    out += names[i];
    if (quote) out += '\'';
  }
  return out;
}

std::string did_you_mean(std::string_view name, std::span<const std::string_view> candidates) {
  const std::string guess = closest_name(name, candidates);
  return guess.empty() ? std::string() : "; did you mean '" + guess + "'?";
}

}  // namespace inspectsim::base
