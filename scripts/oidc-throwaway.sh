#!/bin/bash
# A throw-away OpenID Connect provider for tests: oidc-provider-mock (PyPI, in .venv-eduvpn) on 127.0.0.1, any client
# id and secret accepted, users chosen on its authorization form (POST sub=NAME).
#   scripts/oidc-throwaway.sh start [PORT]   prints `export PORTOLAN_TEST_OIDC=…` lines to eval
#   scripts/oidc-throwaway.sh stop PID
set -euo pipefail
cd "$(dirname "$0")/.."
cmd=${1:-}
case "$cmd" in
start)
  python=$(scripts/eduvpn-venv.sh | tail -n 1) || { echo "oidc-throwaway: no Python with oidc-provider-mock" >&2; exit 1; }
  PORT=${2:-$((30000 + RANDOM % 20000))}
  log=$(mktemp /tmp/portolan-oidc.XXXXXX.log)
  setsid "$python" -m oidc_provider_mock --host 127.0.0.1 --port "$PORT" >"$log" 2>&1 < /dev/null &
  pid=$!
  for _ in $(seq 1 100); do
    curl -fsS "http://127.0.0.1:$PORT/.well-known/openid-configuration" >/dev/null 2>&1 && break
    kill -0 "$pid" 2>/dev/null || { cat "$log" >&2; exit 1; }
    sleep 0.1
  done
  curl -fsS "http://127.0.0.1:$PORT/.well-known/openid-configuration" >/dev/null || { echo "oidc-throwaway: did not start" >&2; exit 1; }
  echo "export PORTOLAN_TEST_OIDC=http://127.0.0.1:$PORT"
  echo "export PORTOLAN_OIDC_PID=$pid"
  ;;
stop)
  pid=${2:?oidc-throwaway.sh stop PID}
  kill "$pid" 2>/dev/null || true
  # uvicorn waits for open keep-alive connections on SIGTERM: give it 5 s, then SIGKILL.
  for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || exit 0; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
  ;;
*)
  echo "usage: oidc-throwaway.sh start [PORT] | stop PID" >&2
  exit 64
  ;;
esac
