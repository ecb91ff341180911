#!/usr/bin/env bash
# Records `sim run` traces of every es.* scenario, seeds 1-3, with and without --swarm, with one jar.
#   es-sim/scripts/trace-identity.sh JAR OUTDIR        then: diff -r OLD_OUTDIR NEW_OUTDIR
# Used to show that a refactoring changes no trace (compare a jar built before and one built after).
set -euo pipefail
jar="$1"; out="$2"
mkdir -p "$out"
for s in $(java -jar "$jar" list | awk '/^es\./ {print $1}'); do
  for seed in 1 2 3; do
    java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -jar "$jar" run "$s" --seed "$seed" >"$out/$s.$seed.txt" 2>&1 || true
    java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -jar "$jar" run "$s" --seed "$seed" --swarm >"$out/$s.$seed.swarm.txt" 2>&1 || true
  done
done
