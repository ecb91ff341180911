#!/usr/bin/env bash
# Regenerates postgres-sim/schedules/**/*.expected from a real PostgreSQL 15.
# Uses $SIM_PG_URL (jdbc:postgresql://host:port/db?user=...) if set; otherwise starts a throwaway
# cluster as the postgres user on port ${PGPORT:-55433} with data in /tmp/pgsim-oracle
# (deadlock_timeout=100ms, the setting the simulator's schedule runner uses).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
jar=$(ls ~/.m2/repository/org/postgresql/postgresql/42.7.8/postgresql-42.7.8.jar)
if [ -z "${SIM_PG_URL:-}" ]; then
  PGPORT=${PGPORT:-55433}
  DATA=/tmp/pgsim-oracle
  BIN=/usr/lib/postgresql/15/bin
  if ! su postgres -c "$BIN/pg_isready -h 127.0.0.1 -p $PGPORT" >/dev/null 2>&1; then
    if [ ! -f "$DATA/PG_VERSION" ]; then
      mkdir -p "$DATA" && chown postgres "$DATA"
      su postgres -c "$BIN/initdb -A trust -U postgres -D $DATA" >/dev/null
    fi
    su postgres -c "$BIN/pg_ctl -D $DATA -l $DATA/log -o '-p $PGPORT -c listen_addresses=127.0.0.1 -c deadlock_timeout=100ms' -w start" >/dev/null
  fi
  SIM_PG_URL="jdbc:postgresql://127.0.0.1:$PGPORT/postgres?user=postgres"
fi
for f in "$here"/schedules/*/*.sched ${1:+"$@"}; do
  case "$f" in *.sched) ;; *) continue ;; esac
  out="${f%.sched}.expected"
  echo "$(basename "$f") -> $(basename "$out")"
  java -cp "$jar" "$here/src/test/java/sim/postgres/oracle/PgOracle.java" "$SIM_PG_URL" "$f" "$out"
done
