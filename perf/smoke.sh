#!/usr/bin/env bash
# CI smoke of the performance suite (run by test.sh, one counted test per step): proves that the
# micro-benchmarks, the comparison and the load scenarios still run and report sane figures.
# Asserts no speed. Outputs go to artifacts/perf/smoke/ (never to perf/results/).
#
#   perf/smoke.sh                         all three steps (~1.5 min here)
#   perf/smoke.sh benchmarks|compare|load one step
#
# APPLIANCE_BIN=PATH: the appliance binary to drive (test.sh passes its native AOT publish); without it
# the comparison publishes one and the load scenarios use artifacts/publish/appliance.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
out="$root/artifacts/perf/smoke"
mkdir -p "$out"
steps=("$@")
[ ${#steps[@]} -gt 0 ] || steps=(benchmarks compare load)

for step in "${steps[@]}"; do
  echo "== perf smoke: $step"
  case "$step" in
    benchmarks)
      # Every benchmark once, briefly, in-process; fails if one throws or the request path allocates.
      dotnet build perf/Appliance.Benchmarks -c Release -o "$root/artifacts/perf/bench" -nologo -v quiet
      (cd "$out" && "$root/artifacts/perf/bench/Appliance.Benchmarks" --smoke)
      ;;
    compare)
      # 1 round × 1 s of every workload, appliance + direct + the installed HAProxy/nginx, 1,000 idle
      # connections, 3 startups per config; fails on a missing or non-positive figure or an appliance error.
      perf/compare/compare.sh --smoke
      ;;
    load)
      # Every load scenario for 2 s: fails on any verification error or unmet expectation.
      dotnet build perf/Appliance.Load -c Release -o "$root/artifacts/perf/load" -nologo -v quiet
      "$root/artifacts/perf/load/appliance-load" --smoke --out "$out" ${APPLIANCE_BIN:+--appliance "$APPLIANCE_BIN"}
      ;;
    *)
      echo "unknown step '$step' (benchmarks, compare, load)" >&2
      exit 2
      ;;
  esac
done
