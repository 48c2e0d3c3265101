#!/bin/bash
# Runs every test. Each service the tests talk to is used from its environment variable when set; otherwise a
# throw-away one is started for the run and stopped afterwards: PostgreSQL (scripts/pg-throwaway.sh,
# $PORTOLAN_TEST_DATABASE_URL), FreeRADIUS (scripts/radius-throwaway.sh, $PORTOLAN_TEST_RADIUS), slapd
# (scripts/ldap-throwaway.sh, $PORTOLAN_TEST_LDAP) and oidc-provider-mock (scripts/oidc-throwaway.sh,
# $PORTOLAN_TEST_OIDC). Sets up the eduVPN client library (scripts/eduvpn-venv.sh) and exports
# PORTOLAN_EDUVPN_PYTHON. Under CI a missing piece fails the run; elsewhere the tests that need it skip, saying why.
set -euo pipefail
cd "$(dirname "$0")/.."

stops=()
cleanup() { for stop in "${stops[@]}"; do $stop || true; done; }
trap cleanup EXIT

# start_service NAME SCRIPT URL_VAR HANDLE_VAR: unless $URL_VAR is set, runs `SCRIPT start` (which prints export
# lines) and remembers `SCRIPT stop $HANDLE_VAR` for the exit.
start_service() {
  local name=$1 script=$2 url_var=$3 handle_var=$4 env
  [ -z "${!url_var:-}" ] || return 0
  if env=$("$script" start); then
    eval "$env"
    stops+=("$script stop ${!handle_var}")
    echo "test.sh: started a throw-away $name at ${!url_var}"
  elif [ -n "${CI:-}" ]; then
    echo "test.sh: CI needs $name ($script failed)" >&2
    exit 1
  else
    echo "test.sh: no $name available; the tests that need it will be skipped" >&2
  fi
}

start_service PostgreSQL scripts/pg-throwaway.sh PORTOLAN_TEST_DATABASE_URL PORTOLAN_PG_DATA
start_service FreeRADIUS scripts/radius-throwaway.sh PORTOLAN_TEST_RADIUS PORTOLAN_RADIUS_DIR
start_service slapd scripts/ldap-throwaway.sh PORTOLAN_TEST_LDAP PORTOLAN_LDAP_DIR

# The real eduVPN client library (Tests/HostTests/EduVPNClientTests.swift) in .venv-eduvpn; needs PyPI once. The same
# venv holds oidc-provider-mock.
if [ -z "${PORTOLAN_EDUVPN_PYTHON:-}" ]; then
  if eduvpn_python=$(scripts/eduvpn-venv.sh); then
    export PORTOLAN_EDUVPN_PYTHON="${eduvpn_python##*$'\n'}"
  elif [ -n "${CI:-}" ]; then
    echo "test.sh: CI needs the eduVPN client library (scripts/eduvpn-venv.sh failed)" >&2
    exit 1
  else
    echo "test.sh: no eduVPN client library; the eduVPN client and OIDC tests will be skipped" >&2
  fi
fi
if [ -n "${PORTOLAN_EDUVPN_PYTHON:-}" ]; then
  start_service "OpenID provider" scripts/oidc-throwaway.sh PORTOLAN_TEST_OIDC PORTOLAN_OIDC_PID
fi

swift build --build-tests
export PORTOLAN_BIN="$(swift build --show-bin-path)/portolan"
# The node daemon runs as it ships (release): its memory bound is a property of the product, not of a debug build.
if [ -z "${PORTOLAN_NODE_BIN:-}" ]; then
  swift build -c release --product portolan
  export PORTOLAN_NODE_BIN="$(swift build -c release --show-bin-path)/portolan"
fi
swift test --skip-build "$@"
