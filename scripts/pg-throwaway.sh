#!/bin/bash
# Starts a throw-away PostgreSQL on 127.0.0.1 for tests (data in a temp folder, no fsync).
# PG_DURABLE=1 keeps PostgreSQL's default durability (fsync, synchronous_commit, full_page_writes on): benchmarks.
#   source <(scripts/pg-throwaway.sh start [PORT])   -> exports PORTOLAN_TEST_DATABASE_URL, PORTOLAN_PG_DATA, PORTOLAN_PG_PID
#   scripts/pg-throwaway.sh stop DATA_DIR            -> stops that server (by the PID in its postmaster.pid) and deletes it
# Runs as root (the server itself runs as user postgres) or as an ordinary user.
set -euo pipefail
cmd=${1:-start}
PGBIN=${PGBIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}
if [ -z "$PGBIN" ] || [ ! -x "$PGBIN/initdb" ]; then
  echo "pg-throwaway: no PostgreSQL server binaries (apt-get install postgresql)" >&2
  exit 3
fi
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

case "$cmd" in
start)
  PORT=${2:-$((20000 + RANDOM % 20000))}
  if [ "$(id -u)" = 0 ]; then
    id postgres >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin postgres
  fi
  DATA=$(mktemp -d /tmp/portolan-pg.XXXXXX)
  chmod 700 "$DATA"
  [ "$(id -u)" = 0 ] && chown postgres:postgres "$DATA"
  as_pg "$PGBIN/initdb" -D "$DATA" -U postgres -A trust --no-sync --no-instructions -E UTF8 --locale=C >/dev/null
  durability="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
  [ -n "${PG_DURABLE:-}" ] && durability=""
  as_pg "$PGBIN/pg_ctl" -D "$DATA" -l "$DATA/server.log" -w -t 30 start \
    -o "-h 127.0.0.1 -p $PORT -k $DATA $durability -c max_connections=300" >/dev/null
  PID=$(head -1 "$DATA/postmaster.pid")
  echo "export PORTOLAN_TEST_DATABASE_URL=postgres://postgres@127.0.0.1:$PORT/postgres?sslmode=disable"
  echo "export PORTOLAN_PG_DATA=$DATA"
  echo "export PORTOLAN_PG_PID=$PID"
  ;;
stop)
  DATA=${2:?data dir}
  if [ -f "$DATA/postmaster.pid" ]; then
    PID=$(head -1 "$DATA/postmaster.pid")
    kill -INT "$PID" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$PID" 2>/dev/null || break; sleep 0.1; done
  fi
  rm -rf "$DATA"
  ;;
*)
  echo "usage: $0 start [PORT] | stop DATA_DIR" >&2; exit 64 ;;
esac
