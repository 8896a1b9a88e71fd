#!/usr/bin/env bash
# Side-by-side comparison: the appliance, HAProxy 2.6, nginx and YARP in front of the same two
# backends, plus the direct path, interleaved; writes perf/results/compare{,-quick}.{json,md,svg}.
#
#   perf/compare/compare.sh            full run: 3 rounds × 10 s per workload and target (~15 min)
#   perf/compare/compare.sh --quick    1 round × 2 s (< 2 min), results in perf/results/compare-quick.*
#   perf/compare/compare.sh --smoke    CI check (< 1 min): 1 round × 1 s, appliance + direct + installed
#                                      HAProxy/nginx, 1,000 idle connections; results in artifacts/perf/smoke/
#   any other option goes to the runner (perf/compare/CompareRunner/Options.cs), e.g. --rounds 5 --rate 4000;
#   --proxy-cpu-quota 50 caps every proxy to half a CPU (cgroup quota, root) so the proxy bounds the run
#
# APPLIANCE_BIN=PATH uses that appliance binary instead of publishing one (test.sh passes its publish).
# CPU placement (2 cores): every proxy on CPU 1, alone; wrk, the latency client and the backends on CPU 0.
# Override with PROXY_CPU / LOAD_CPU. See perf/README.md for why and what each number means.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
proxy_cpu=${PROXY_CPU:-1}
load_cpu=${LOAD_CPU:-0}
build="$root/artifacts/perf"
smoke=false
for a in "$@"; do [ "$a" = --smoke ] && smoke=true; done

# Tools from Debian: install the missing ones when root. The backends are nginx and the load is wrk,
# so those two are needed even by the smoke; the smoke skips a peer proxy that is not installed.
need=()
command -v nginx >/dev/null 2>&1 || need+=(nginx)
command -v wrk >/dev/null 2>&1 || need+=(wrk)
command -v taskset >/dev/null 2>&1 || need+=(util-linux)
if ! $smoke; then
  command -v haproxy >/dev/null 2>&1 || need+=(haproxy)
  [ -f /usr/lib/nginx/modules/ngx_stream_module.so ] || need+=(libnginx-mod-stream)
fi
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "installing ${need[*]}"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
  else
    echo "missing ${need[*]}: install them (apt-get install -y ${need[*]})" >&2
    exit 1
  fi
fi
# The backends and the nginx proxy are separate nginx instances of ours; the packaged service must not
# hold ports or CPU meanwhile, but it is not ours to stop: just say so.
if pgrep -x nginx >/dev/null 2>&1 || pgrep -x haproxy >/dev/null 2>&1; then
  echo "note: an nginx or haproxy not started by this script is running and may disturb the figures" >&2
fi

if [ -n "${APPLIANCE_BIN:-}" ]; then
  appliance=$(realpath "$APPLIANCE_BIN")
  echo "== build (Release): runner$($smoke || echo ', YARP proxy'); appliance: $appliance"
else
  appliance="$build/appliance/appliance"
  echo "== build (Release): appliance (native AOT), runner$($smoke || echo ', YARP proxy')"
  dotnet publish src/Appliance -c Release -r linux-x64 -o "$build/appliance" -nologo -v quiet
fi
$smoke || dotnet build perf/YarpProxy -c Release -o "$build/yarp" -nologo -v quiet
dotnet build perf/compare/CompareRunner -c Release -o "$build/runner" -nologo -v quiet

out="$root/perf/results"
$smoke && out="$build/smoke"
echo "== run"
exec taskset -c "$load_cpu" "$build/runner/compare-runner" \
  --appliance "$appliance" --yarp "$build/yarp/YarpProxy" \
  --proxy-cpu "$proxy_cpu" --load-cpu "$load_cpu" --out "$out" "$@"
