#!/usr/bin/env bash
# R2: redis-benchmark -q -P 16 -t set,get -n 200000 against ./sim redis-server and against a real
# redis-server 7.0, in one run, and the ratio (goal: ours >= 0.8x real).
# Both run without persistence (--save "" --appendonly no). Each server gets one unmeasured warm-up run
# first (the JVM needs its JIT; Redis gets the same treatment), then the measured run.
# Usage: redis-sim/scripts/r2-benchmark.sh [requests]   (from anywhere; needs redis-server, redis-benchmark, java, mvn)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
n="${1:-200000}"
for tool in redis-server redis-benchmark redis-cli java python3; do
  command -v "$tool" >/dev/null || { echo "r2: $tool not found (apt-get install redis-server openjdk-17-jdk)" >&2; exit 2; }
done
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
real_port=$(free_port); ours_port=$(free_port)
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

"$root/sim" list >/dev/null 2>&1 || true   # builds cli/target/sim.jar if needed
redis-server --port "$real_port" --bind 127.0.0.1 --save "" --appendonly no --dir "$work" --logfile "$work/real.log" &
pids+=($!)
mkdir -p "$work/ours"
SIM_JAVA_OPTS="${SIM_JAVA_OPTS:--XX:+UseSerialGC -Xms512m}" "$root/sim" redis-server --port "$ours_port" --dir "$work/ours" --save "" --appendonly no >"$work/ours.log" 2>&1 &
pids+=($!)
for port in "$real_port" "$ours_port"; do
  for _ in $(seq 300); do [ "$(redis-cli -p "$port" ping 2>/dev/null)" = PONG ] && break; sleep 0.1; done
done

bench() { timeout 300 redis-benchmark -p "$1" -q -P 16 -t set,get -n "$n" 2>/dev/null | tr '\r' '\n' | grep -E '^(SET|GET): [0-9.]+ requests per second' ; }
rps() { echo "$1" | grep "^$2:" | awk '{print $2}'; }

bench "$real_port" >/dev/null; bench "$ours_port" >/dev/null   # warm-up, not measured
real=$(bench "$real_port"); ours=$(bench "$ours_port")

echo "R2: redis-benchmark -q -P 16 -t set,get -n $n (one measured run each, after one warm-up run)"
printf "%-5s %18s %18s %8s\n" test "real redis rps" "redis-sim rps" ratio
status=0
for t in SET GET; do
  r=$(rps "$real" "$t"); o=$(rps "$ours" "$t")
  ratio=$(awk -v o="$o" -v r="$r" 'BEGIN { printf "%.2f", o / r }')
  printf "%-5s %18s %18s %7sx\n" "$t" "$r" "$o" "$ratio"
  awk -v x="$ratio" 'BEGIN { exit !(x < 0.8) }' && status=1
done
[ "$status" = 0 ] && echo "goal >= 0.8x: met" || echo "goal >= 0.8x: NOT met on this run"
