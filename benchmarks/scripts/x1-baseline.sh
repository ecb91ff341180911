#!/usr/bin/env bash
# Builds X1's baseline: the simulator at commit 2fe7250, when explore's throughput was first measured
# (~2,700 seeds/min for kafka.failover-leader-crash, ~2,000 for zk.leader-crash), into target/x1-baseline/sim.jar.
#   benchmarks/scripts/x1-baseline.sh && ./sim bench X1
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
commit=${X1_BASELINE_COMMIT:-2fe7250}
src=target/x1-baseline/src
rm -rf "$src" && mkdir -p "$src"
git archive "$commit" | tar -x -C "$src"
(cd "$src" && mvn -q -B -DskipTests -Dmaven.test.skip=true -pl cli -am package)
cp "$src/cli/target/sim.jar" target/x1-baseline/sim.jar
echo "X1 baseline ($commit): target/x1-baseline/sim.jar"
