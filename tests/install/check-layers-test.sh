#!/usr/bin/env bash
# scripts/check-layers must fail on an include against the rule and name the file, the line and
# the header: a copy of the library's folders with one bad include added to stats/.
#   usage: check-layers-test.sh SOURCE_DIR
set -euo pipefail
source=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/scripts"
cp -r "$source/include" "$source/sim" "$work/"
cp "$source/scripts/check-layers" "$work/scripts/"
"$work/scripts/check-layers" "$work" >/dev/null || { echo "check-layers-test: the tree as it is fails" >&2; exit 1; }
printf '#include "inspectsim/simulate/simulate.hpp"\n' >> "$work/sim/stats/interval.cpp"
line=$(wc -l < "$work/sim/stats/interval.cpp")
if out=$("$work/scripts/check-layers" "$work" 2>/dev/null); then
  echo "check-layers-test: stats including simulate was not refused" >&2
  exit 1
fi
want="sim/stats/interval.cpp:$line: stats includes \"inspectsim/simulate/simulate.hpp\" (allowed: base stats)"
if [ "$out" != "$want" ]; then
  printf 'check-layers-test: expected\n%s\ngot\n%s\n' "$want" "$out" >&2
  exit 1
fi
echo "check-layers-test: the wrong include was refused, naming its file and line"
