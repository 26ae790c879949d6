#!/usr/bin/env bash
# Installs the build into a fresh prefix, builds tests/install/consumer against it with
# find_package(inspectsim) and runs it: the library is usable from outside the tree.
#   usage: consumer-test.sh BUILD_DIR SOURCE_DIR [SANITIZERS]
# SANITIZERS (e.g. address,undefined) is the build's INSPECTSIM_SANITIZE: an instrumented library
# needs an instrumented consumer, so the consumer is compiled and linked with the same option.
set -euo pipefail
build=$1 source=$2 sanitize=${3:-}
flags=()
if [ -n "$sanitize" ]; then
  flags=(-DCMAKE_CXX_FLAGS="-fsanitize=$sanitize" -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=$sanitize")
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cmake --install "$build" --prefix "$work/prefix" >/dev/null
cmake -S "$source/tests/install/consumer" -B "$work/build" -DCMAKE_PREFIX_PATH="$work/prefix" \
      -DCMAKE_BUILD_TYPE=Release "${flags[@]}" >/dev/null
cmake --build "$work/build" >/dev/null
for f in bin/inspectsim include/inspectsim/inspectsim.hpp share/inspectsim/scenarios/hampshire-2018.toml; do
  [ -e "$work/prefix/$f" ] || { echo "consumer-test: $f was not installed" >&2; exit 1; }
done
out=$("$work/build/consumer")
expected="9 of 17 (52.9%): the true rate is plausibly anywhere from 31.0% to 73.8% (95% Wilson interval).
refused: confidence is 1.5, but must be strictly between 0 and 1 (field confidence)"
if [ "$out" != "$expected" ]; then
  printf 'consumer-test: the consumer printed\n%s\nbut should print\n%s\n' "$out" "$expected" >&2
  exit 1
fi
echo "consumer-test: installed, found with find_package, built and ran"
