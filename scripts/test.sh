#!/bin/bash
# Runs every test. Uses the PostgreSQL at $PORTOLAN_TEST_DATABASE_URL when set; otherwise starts a throw-away one
# (scripts/pg-throwaway.sh) for the run and stops it afterwards; likewise FreeRADIUS (scripts/radius-throwaway.sh,
# $PORTOLAN_TEST_RADIUS) and slapd (scripts/ldap-throwaway.sh, $PORTOLAN_TEST_LDAP). Sets up the eduVPN client library
# (scripts/eduvpn-venv.sh) and exports PORTOLAN_EDUVPN_PYTHON.
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
started_radius=""
if [ -z "${PORTOLAN_TEST_RADIUS:-}" ]; then
  if radius_env=$(scripts/radius-throwaway.sh start); then
    eval "$radius_env"
    started_radius="$PORTOLAN_RADIUS_DIR"
    echo "test.sh: started a throw-away FreeRADIUS at $PORTOLAN_TEST_RADIUS"
  else
    echo "test.sh: no FreeRADIUS available; RADIUS tests will be skipped" >&2
  fi
fi
started_ldap=""
if [ -z "${PORTOLAN_TEST_LDAP:-}" ]; then
  if ldap_env=$(scripts/ldap-throwaway.sh start); then
    eval "$ldap_env"
    started_ldap="$PORTOLAN_LDAP_DIR"
    echo "test.sh: started a throw-away slapd at $PORTOLAN_TEST_LDAP (LDAPS $PORTOLAN_TEST_LDAPS)"
  else
    echo "test.sh: no slapd available; LDAP tests will be skipped" >&2
  fi
fi
cleanup() {
  if [ -n "$started_pg" ]; then scripts/pg-throwaway.sh stop "$started_pg"; fi
  if [ -n "$started_radius" ]; then scripts/radius-throwaway.sh stop "$started_radius"; fi
  if [ -n "$started_ldap" ]; then scripts/ldap-throwaway.sh stop "$started_ldap"; fi
  if [ -n "${started_oidc:-}" ]; then scripts/oidc-throwaway.sh stop "$started_oidc"; fi
}
trap cleanup EXIT
# The real eduVPN client library (Tests/HostTests/EduVPNClientTests.swift) in .venv-eduvpn; needs PyPI once.
if [ -z "${PORTOLAN_EDUVPN_PYTHON:-}" ]; then
  if eduvpn_python=$(scripts/eduvpn-venv.sh); then
    export PORTOLAN_EDUVPN_PYTHON="${eduvpn_python##*$'\n'}"
  elif [ -n "${CI:-}" ]; then
    echo "test.sh: CI needs the eduVPN client library (scripts/eduvpn-venv.sh failed)" >&2
    exit 1
  else
    echo "test.sh: no eduVPN client library; the eduVPN client tests will be skipped" >&2
  fi
fi
started_oidc=""
if [ -z "${PORTOLAN_TEST_OIDC:-}" ] && [ -n "${PORTOLAN_EDUVPN_PYTHON:-}" ]; then
  if oidc_env=$(scripts/oidc-throwaway.sh start); then
    eval "$oidc_env"
    started_oidc="$PORTOLAN_OIDC_PID"
    echo "test.sh: started a throw-away OpenID provider at $PORTOLAN_TEST_OIDC"
  elif [ -n "${CI:-}" ]; then
    echo "test.sh: CI needs oidc-provider-mock (scripts/oidc-throwaway.sh failed)" >&2
    exit 1
  fi
fi
swift build --build-tests
export PORTOLAN_BIN="$(swift build --show-bin-path)/portolan"
swift test --skip-build "$@"
