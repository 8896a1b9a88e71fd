#!/usr/bin/env bash
# Runs every test on a fresh machine: installs what the tests need, builds (warnings are errors),
# publishes the native AOT binary (any AOT/trim warning fails the run), runs the unit tests and the
# integration tests against the published binary, and ends with one line "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")"
root=$(pwd)
artifacts="$root/artifacts"
mkdir -p "$artifacts"

step() { printf '\n== %s\n' "$*"; }

step "Installing test dependencies"
need_apt=()
# nginx (backends and a peer), wrk, haproxy: the performance smoke (perf/smoke.sh); dpkg-dev, rpm,
# lintian, systemd: the package tests (packaging/test-packages.sh); chromium: the stats page test.
for tool in socat:socat strace:strace promtool:prometheus curl:curl ss:iproute2 nginx:nginx wrk:wrk haproxy:haproxy \
    dpkg-shlibdeps:dpkg-dev rpmbuild:rpm lintian:lintian systemd-analyze:systemd chromium:chromium; do
  command -v "${tool%%:*}" >/dev/null 2>&1 || need_apt+=("${tool##*:}")
done
[ -f /usr/lib/nginx/modules/ngx_stream_module.so ] || need_apt+=(libnginx-mod-stream)
if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
  else
    echo "missing ${need_apt[*]} and not root: install them first" >&2
  fi
fi

step "Build (Release, warnings as errors)"
dotnet build Appliance.sln -c Release -nologo -v quiet 2>&1 | tail -n 3 || { echo "0 passed, 1 failed"; exit 1; }

step "Native AOT publish (zero warnings required)"
publish_log="$artifacts/publish.log"
dotnet publish src/Appliance -c Release -r linux-x64 -o "$artifacts/publish" -nologo >"$publish_log" 2>&1
publish_rc=$?
aot_warnings=$(grep -cE 'warning (IL|AOT)[0-9]+' "$publish_log" || true)
if [ $publish_rc -ne 0 ] || [ "$aot_warnings" != 0 ]; then
  cat "$publish_log"
  echo "AOT publish failed or warned ($aot_warnings warnings)"
  echo "0 passed, 1 failed"
  exit 1
fi
echo "AOT publish: 0 warnings, binary $(stat -c %s "$artifacts/publish/appliance") bytes"
export APPLIANCE_BIN="$artifacts/publish/appliance"

passed=0
failed=0
status=0
run_tests() {
  local project=$1
  step "Tests: $project"
  local log="$artifacts/$(basename "$project").log"
  dotnet test "$project" -c Release --no-build -nologo --logger "console;verbosity=normal" 2>&1 | tee "$log" | grep -E '^\s*(Failed|Passed|Skipped) |^(Passed|Failed)!|error' | grep -v '^\s*Passed ' || true
  # The console logger ends with "Total tests: N", "Passed: N", "Failed: N" (Failed only when > 0).
  if ! grep -qE '^Total tests: [0-9]+' "$log"; then
    echo "no test summary from $project"
    failed=$((failed + 1)); status=1; return
  fi
  local f p
  p=$(grep -E '^ +Passed: +[0-9]+$' "$log" | tail -n 1 | grep -oE '[0-9]+' || echo 0)
  f=$(grep -E '^ +Failed: +[0-9]+$' "$log" | tail -n 1 | grep -oE '[0-9]+' || echo 0)
  p=${p:-0}; f=${f:-0}
  passed=$((passed + p)); failed=$((failed + f))
  [ "$f" = 0 ] || status=1
}

for project in tests/*/; do
  project=${project%/}
  grep -q '<IsTestProject>true</IsTestProject>' "$project"/*.csproj 2>/dev/null || continue
  run_tests "$project"
done

# The .deb and .rpm around the binary published above: build, contents, lintian, unit, installs
# into throwaway roots (packaging/test-packages.sh prints "N passed, N failed" too).
step "Tests: packaging"
packages_log="$artifacts/packages.log"
packaging/test-packages.sh "$APPLIANCE_BIN" 2>&1 | tee "$packages_log"
if summary=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$packages_log" | tail -n 1) && [ -n "$summary" ]; then
  p=${summary%% passed*}; f=${summary#*, }; f=${f%% failed}
  passed=$((passed + p)); failed=$((failed + f))
  [ "$f" = 0 ] || status=1
else
  echo "no summary from packaging/test-packages.sh"
  failed=$((failed + 1)); status=1
fi

# Performance smoke: each step is one test (it asserts no speed, only that the tool runs and reports sane figures).
run_perf_smoke() {
  local name=$1
  step "Perf smoke: $name"
  local log="$artifacts/perf-smoke-$name.log"
  if timeout -s INT 300 perf/smoke.sh "$name" >"$log" 2>&1; then
    tail -n 2 "$log"
    echo "Passed perf smoke $name"
    passed=$((passed + 1))
  else
    tail -n 40 "$log"
    echo "Failed perf smoke $name (log: $log)"
    failed=$((failed + 1)); status=1
  fi
}
for name in benchmarks compare load; do
  run_perf_smoke "$name"
done

echo
echo "$passed passed, $failed failed"
exit $status
