#!/usr/bin/env bash
# The MPI front end (sim/cli/mpi.cpp, base/team.hpp), run with Open MPI's mpirun on this machine:
#   - simulate on every shipped scenario, plan scenario and compare give byte-identical JSON for 1, 2
#     and 3 ranks x 1 and 2 threads, the same as one process without mpirun;
#   - a run killed with SIGKILL at a random moment resumes from its checkpoint to the same output;
#   - SIGTERM from a scheduler stops every rank and keeps the checkpoint;
#   - a rank with a bad or different input stops every rank with one message, exit 2, no output;
#   - a build that every rank runs alone is refused.
# Every mpirun is bounded by a timeout, so a hang fails the test instead of stalling CI.
#   usage: tests/mpi/mpi-test.sh BINARY SOURCE_DIR
set -euo pipefail
bin=$(realpath "$1")  # absolute: the ranks of a -wdir run start elsewhere
src=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }

# --oversubscribe: 3 ranks on 2 cores; --allow-run-as-root where CI runs as root; --quiet: no
# banners of Open MPI's own. No shared-memory single copy (it needs ptrace, which containers forbid).
export OMPI_MCA_btl_vader_single_copy_mechanism=none
mpi=(mpirun --oversubscribe --quiet)
[ "$(id -u)" -eq 0 ] && mpi+=(--allow-run-as-root)
run_mpi() {  # run_mpi RANKS ARGS... : the binary on RANKS ranks, within 120 s
  local k=$1
  shift
  timeout 120 "${mpi[@]}" -n "$k" "$bin" "$@"
}

# ---- The same JSON for any ranks and threads ---------------------------------------------------
# Printed on standard output, which rank 0 alone writes to.
same_everywhere() {  # same_everywhere NAME ARGS...: ARGS --format json, alone and on 1-3 ranks
  local name=$1
  shift
  "$bin" "$@" --format json --threads 1 >"$work/$name.alone.json"
  for k in 1 2 3; do
    for t in 1 2; do
      local out="$work/$name.$k.$t.json"
      if ! run_mpi "$k" "$@" --format json --threads "$t" >"$out" 2>"$work/err"; then
        fail "$name on $k ranks x $t threads: exit $? ($(head -c 300 "$work/err"))"
      elif ! cmp -s "$work/$name.alone.json" "$out"; then
        fail "$name on $k ranks x $t threads differs from one process"
      fi
    done
  done
}
for scenario in "$src"/scenarios/*.toml; do
  name=$(basename "$scenario" .toml)
  same_everywhere "simulate-$name" simulate "$scenario" --replicates 30000 --quiet
done
same_everywhere plan-scenario plan scenario "$src/scenarios/plan-grade-sawtooth.toml" --cell "Force F/all records" \
  --target "p_correct_grade>=0.95" --replicates 5000
same_everywhere compare compare "$src/scenarios/data/hmicfrs-cancelled-crimes.csv" --draws 20000 --quiet
# The report too, and the table on standard output: rank 0 alone writes them, once.
compare_args=(compare "$src/scenarios/data/hmicfrs-cancelled-crimes.csv" --quiet --threads 1)
"$bin" "${compare_args[@]}" --report "$work/alone.html" >"$work/alone.txt"
run_mpi 2 "${compare_args[@]}" --report "$work/two.html" >"$work/two.txt" || fail "compare --report on 2 ranks: exit $?"
cmp -s "$work/alone.html" "$work/two.html" || fail "compare's report on 2 ranks differs from one process"
cmp -s "$work/alone.txt" "$work/two.txt" || fail "compare's table on 2 ranks is not printed once, as one process prints it"

# ---- Killed and resumed ------------------------------------------------------------------------
scenario="$src/scenarios/national-league.toml"
args=(simulate "$scenario" --replicates 36000000 --format json --quiet --threads 1)
"$bin" "${args[@]}" --output "$work/whole.json"
killed=0
for attempt in 1 2 3 4; do
  rm -f "$work/resumed.json" "$work/run.checkpoint"
  # Killed (every rank, as a node failure would) 0 to 2.4 s after its first checkpoint, so that the
  # moment falls inside the run (about 3 s of draws on 2 ranks) whatever mpirun's start-up takes,
  # then resumed until it ends.
  (timeout 120 "${mpi[@]}" -n 2 "$bin" "${args[@]}" --checkpoint "$work/run.checkpoint" --checkpoint-interval 0 \
    --output "$work/resumed.json" 2>/dev/null; true) &
  launcher=$!
  for _ in $(seq 600); do
    [ -e "$work/run.checkpoint" ] && break
    sleep 0.1
  done
  sleep "$(awk -v s="$RANDOM" 'BEGIN { printf "%.2f", (s % 240) / 100 }')"
  pkill -KILL -f -- "--checkpoint $work/run.checkpoint" || true
  wait "$launcher" 2>/dev/null || true
  [ -e "$work/resumed.json" ] || [ -e "$work/run.checkpoint" ] || fail "attempt $attempt: killed, but no checkpoint left"
  [ -e "$work/resumed.json" ] || killed=$((killed + 1))
  for resume in 1 2 3; do
    [ -e "$work/resumed.json" ] && break
    run_mpi 2 "${args[@]}" --checkpoint "$work/run.checkpoint" --checkpoint-interval 0 \
      --output "$work/resumed.json" 2>"$work/err" || true
  done
  if ! cmp -s "$work/whole.json" "$work/resumed.json"; then
    fail "attempt $attempt: killed and resumed on 2 ranks, the output differs ($(head -c 300 "$work/err"))"
  fi
  [ -e "$work/run.checkpoint" ] && fail "attempt $attempt: the checkpoint is left behind"
done

[ "$killed" -gt 0 ] || fail "every run ended before it was killed: the test did not test resuming"

# plan scenario on 2 ranks, killed and resumed: its checkpoint holds the candidates simulated.
plan_args=(plan scenario "$src/scenarios/plan-grade-sawtooth.toml" --cell "Force F/all records" --target "power>=0.8"
  --replicates 3000000 --format json --threads 1)
"$bin" "${plan_args[@]}" >"$work/plan-whole.json"
for attempt in 1 2; do
  rm -f "$work/plan.checkpoint" "$work/plan-resumed.json"
  (timeout 120 "${mpi[@]}" -n 2 "$bin" "${plan_args[@]}" --checkpoint "$work/plan.checkpoint" \
    --checkpoint-interval 0 >"$work/plan-resumed.json" 2>/dev/null; true) &
  launcher=$!
  sleep "$(awk -v s="$RANDOM" 'BEGIN { printf "%.2f", 0.5 + (s % 60) / 100 }')"
  pkill -KILL -f -- "--checkpoint $work/plan.checkpoint" || true
  wait "$launcher" 2>/dev/null || true
  run_mpi 2 "${plan_args[@]}" --checkpoint "$work/plan.checkpoint" --checkpoint-interval 0 \
    >"$work/plan-resumed.json" 2>"$work/err" || fail "plan scenario resumed on 2 ranks: exit $?"
  cmp -s "$work/plan-whole.json" "$work/plan-resumed.json" ||
    fail "plan scenario attempt $attempt: killed and resumed on 2 ranks, the output differs ($(head -c 300 "$work/err"))"
  [ -e "$work/plan.checkpoint" ] && fail "plan scenario attempt $attempt: the checkpoint is left behind"
done

# A scheduler's SIGTERM (mpirun passes it to every rank): exit 143, the checkpoint kept, nothing written.
rm -f "$work/run.checkpoint" "$work/resumed.json"
timeout 120 "${mpi[@]}" -n 2 "$bin" simulate "$scenario" --replicates 100000000 --format json --quiet --threads 1 \
  --checkpoint "$work/run.checkpoint" --output "$work/resumed.json" 2>"$work/err" &
launcher=$!
# SIGTERM only once both ranks run (mpirun's start-up takes seconds where hwloc has no /sys, as in
# a fresh chroot), and after they have computed for a moment: a SIGTERM during start-up has no
# progress to keep.
for _ in $(seq 600); do
  launched=$(pgrep -P "$launcher" -x mpirun || pgrep -P "$launcher" || true)
  [ -n "$launched" ] && [ "$(pgrep -P "$launched" -x inspectsim | wc -l)" -ge 2 ] && break
  sleep 0.1
done
sleep 1.5
kill -TERM "$launcher"
set +e
wait "$launcher"
code=$?
set -e
[ "$code" -ne 0 ] || fail "SIGTERM: mpirun exited 0"
[ -e "$work/run.checkpoint" ] || fail "SIGTERM: no checkpoint kept ($(head -c 300 "$work/err"))"
[ -e "$work/resumed.json" ] && fail "SIGTERM: an output was written"

# ---- A failing rank ----------------------------------------------------------------------------
expect_refusal() {  # expect_refusal WHAT PATTERN COMMAND...: exit 2, PATTERN once on stderr, no output
  local what=$1 pattern=$2
  shift 2
  rm -f "$work/out.json"
  set +e
  timeout 120 "$@" >"$work/stdout" 2>"$work/err"
  local code=$?
  set -e
  [ "$code" -eq 2 ] || fail "$what: exit $code, not 2 ($(head -c 300 "$work/err"))"
  [ "$(grep -c -- "$pattern" "$work/err")" -eq 1 ] || fail "$what: '$pattern' not once on stderr: $(head -c 500 "$work/err")"
  [ -e "$work/out.json" ] && fail "$what: an output was written"
  [ -s "$work/stdout" ] && fail "$what: something was printed on standard output"
  return 0
}
# The same command in another working directory per rank (mpirun -wdir), as nodes with their own
# copies of the files would have: a. the scenario, b. none, c. another scenario of the same name.
mkdir -p "$work/a" "$work/b" "$work/c"
cp "$src/scenarios/two-forces.toml" "$work/a/s.toml"
cp "$src/scenarios/hampshire-2018.toml" "$work/c/s.toml"
run=(simulate s.toml --quiet --output "$work/out.json")
expect_refusal "rank 1 cannot read the file" "rank 1: .*s.toml" \
  "${mpi[@]}" -n 1 -wdir "$work/a" "$bin" "${run[@]}" : -n 1 -wdir "$work/b" "$bin" "${run[@]}"
expect_refusal "rank 0 cannot read the file" "s.toml" \
  "${mpi[@]}" -n 1 -wdir "$work/b" "$bin" "${run[@]}" : -n 2 -wdir "$work/a" "$bin" "${run[@]}"
expect_refusal "rank 2 has another file" "rank 2 was started with other arguments or another input file" \
  "${mpi[@]}" -n 2 -wdir "$work/a" "$bin" "${run[@]}" : -n 1 -wdir "$work/c" "$bin" "${run[@]}"
printf 'title = "bad"\n[[cell]]\nforce = "A"\n' >"$work/bad.toml"
expect_refusal "every rank has a bad file" "cell\[1\].category: missing" \
  "${mpi[@]}" -n 3 "$bin" simulate "$work/bad.toml" --output "$work/out.json"
expect_refusal "a bad option on every rank" "--replicates" \
  "${mpi[@]}" -n 2 "$bin" simulate "$work/a/s.toml" --replicates 0 --output "$work/out.json"

if [ "$failures" -ne 0 ]; then
  echo "mpi-test: $failures failures" >&2
  exit 1
fi
echo "mpi-test: every check passed"
