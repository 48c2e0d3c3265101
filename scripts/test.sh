#!/bin/bash
# Runs every test. Uses the PostgreSQL at $PORTOLAN_TEST_DATABASE_URL when set; otherwise starts a throw-away one
# (scripts/pg-throwaway.sh) for the run and stops it afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."
started_pg=""
if [ -z "${PORTOLAN_TEST_DATABASE_URL:-}" ]; then
  if pg_env=$(scripts/pg-throwaway.sh start); then
    eval "$pg_env"
    started_pg="$PORTOLAN_PG_DATA"
    echo "test.sh: started a throw-away PostgreSQL (PID $PORTOLAN_PG_PID)"
  else
    echo "test.sh: no PostgreSQL available; PostgreSQL tests will be skipped" >&2
  fi
fi
cleanup() { if [ -n "$started_pg" ]; then scripts/pg-throwaway.sh stop "$started_pg"; fi; }
trap cleanup EXIT
swift build --build-tests
export PORTOLAN_BIN="$(swift build --show-bin-path)/portolan"
swift test --skip-build "$@"
