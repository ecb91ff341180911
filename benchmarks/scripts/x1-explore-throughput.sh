#!/usr/bin/env bash
# X1: explore throughput per family, seeds per minute on one core, JVM start included.
#   benchmarks/scripts/x1-explore-throughput.sh [seeds] [baseline.jar]
# Runs `sim explore S --seeds N` pinned to one core (taskset) for one scenario per module, with the JVM
# options ./sim uses for explore. With a baseline jar (a sim.jar built from an older commit, run with the
# default JVM options as the old launcher did), each scenario runs on both, alternating, and the ratio is
# printed. Wall-clock seconds are what a user waits; user CPU seconds are printed too, since they move less
# on a shared machine.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
seeds=${1:-1000}
baseline=${2:-}
jar=${X1_JAR:-cli/target/sim.jar}
[ -f "$jar" ] || { echo "build first: mvn -pl cli -am package -DskipTests" >&2; exit 2; }
opts="-XX:TieredStopAtLevel=1 -XX:+UseSerialGC"
core=${X1_CORE:-0}
scenarios=${X1_SCENARIOS:-"kafka.failover-leader-crash zk.leader-crash pg.crash-redo redis.failure-recovery es.crash-recovery-request"}

run() { # jar opts scenario -> "wall user"
  local out
  out=$(mktemp)
  /usr/bin/time -o "$out" -f "%e %U" taskset -c "$core" java $2 -jar "$1" explore "$3" --seeds "$seeds" >/dev/null 2>&1 || true
  tail -1 "$out"
  rm -f "$out"
}

echo "x1: $seeds seeds per scenario on core $core; load before: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-32s %14s %10s' scenario seeds/min user-s
[ -n "$baseline" ] && printf ' %14s %10s %8s' base-seeds/min base-user ratio
echo
for s in $scenarios; do
  read -r wall user <<<"$(run "$jar" "$opts" "$s")"
  printf '%-32s %14.0f %10.1f' "$s" "$(echo "$seeds * 60 / $wall" | bc -l)" "$user"
  if [ -n "$baseline" ]; then
    if java -jar "$baseline" list 2>/dev/null | grep -q "^$s "; then
      read -r bwall buser <<<"$(run "$baseline" "" "$s")"
      printf ' %14.0f %10.1f %7.2fx' "$(echo "$seeds * 60 / $bwall" | bc -l)" "$buser" "$(echo "$bwall / $wall" | bc -l)"
    else
      printf ' %14s' "(not in baseline)"
    fi
  fi
  echo
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
