#!/bin/bash
# Runs Debian's HAProxy behind the appliance CLI contract, so the integration suite can be pointed at a
# reference proxy:  APPLIANCE_BIN=tests/Appliance.IntegrationTests/Reference/haproxy-as-appliance.sh dotnet test tests/Appliance.IntegrationTests
# Against HAProxy 2.6 every proxy test passes except the two that pin appliance-only contract: SplicedBytes in
# `show info`, and the `check` error format. A test that fails here but should pass is a test bug.
# The Http/ suite against HAProxy 2.6 fails 22 cases by design, each an appliance contract stricter than 2.6:
# the seed file without `mode http` (run as HTTP with a warning; 2.6 runs it as TCP), 431 for a too-large head
# (2.6 answers 400), and request rules 2.6 tolerates: Content-Length with Transfer-Encoding, obs-fold, bare LF,
# NUL/ESC/DEL in a value, DEL in the target, missing Host, loose chunk extensions and bare LF in chunk lines.
#
# `run`: HAProxy does not announce readiness, so this prints "Appliance ready" once HAProxy itself (not some
# other process) listens on every `bind 127.0.0.1:PORT` of the file. SIGTERM/SIGINT are forwarded; exit 0.
set -u
command=$1
shift
file=$2
case $command in
  check)
    exec haproxy -c -f "$file"
    ;;
  run)
    haproxy -db -f "$file" &
    pid=$!
    trap 'kill -TERM $pid; wait $pid; exit 0' TERM INT
    for port in $(grep -oP '^\s*bind\s+127\.0\.0\.1:\K\d+' "$file"); do
      until ss -ltnpH "sport = :$port" | grep -q "pid=$pid,"; do
        kill -0 $pid 2>/dev/null || { wait $pid; exit $?; }
        sleep 0.02
      done
    done
    echo "Appliance ready" >&2
    wait $pid
    ;;
  *)
    echo "usage: $0 run|check -f FILE" >&2
    exit 2
    ;;
esac
