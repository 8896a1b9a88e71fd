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
for tool in socat:socat strace:strace promtool:prometheus chromium:chromium; do
  command -v "${tool%%:*}" >/dev/null 2>&1 || need_apt+=("${tool##*:}")
done
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

echo
echo "$passed passed, $failed failed"
exit $status
