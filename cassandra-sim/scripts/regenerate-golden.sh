#!/usr/bin/env bash
# Regenerates scripts/golden/*.jsonl from a real Cassandra 5.0 node (cassandra-all, test scope), started
# in a child JVM of its own on 127.0.0.1 by RealCassandraAgreementTest; every script runs on that one node.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
mvn -q -pl cassandra-sim -am test -Dtest='RealCassandraAgreementTest' -Dsurefire.failIfNoSpecifiedTests=false \
  -Dcassandra.golden.write=true
git status --short cassandra-sim/scripts/golden
