#!/bin/bash
# Makes (once) .venv-eduvpn in the repository root: a Python venv with the real eduVPN client library
# (eduvpn-common 5.0.2 from PyPI, a compiled Go library for Linux x86_64), requests, and the OpenID provider
# oidc-provider-mock (for the OIDC login tests), for
# Tests/HostTests/EduVPNClientTests.swift. Prints the venv's python as the last line of stdout (pip's output goes
# to stderr). Exits non-zero with a message when python3 cannot make a venv or PyPI cannot be reached.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=.venv-eduvpn
PY="$PWD/$VENV/bin/python"
VERSION=5.0.2

# The venv is ready when both packages import and the Go library loads.
ready() {
  [ -x "$PY" ] && "$PY" - "$VERSION" >/dev/null 2>&1 <<'EOF'
import sys
from importlib.metadata import version
import requests  # noqa: F401
import oidc_provider_mock  # noqa: F401
from eduvpn_common.loader import load_lib
sys.exit(0 if version("eduvpn-common") == sys.argv[1] and load_lib() else 1)
EOF
}

if ready; then
  echo "$PY"
  exit 0
fi
if ! command -v python3 >/dev/null 2>&1; then
  echo "eduvpn-venv.sh: python3 is not installed (apt-get install python3 python3-venv)" >&2
  exit 1
fi
if [ ! -x "$VENV/bin/pip" ]; then
  rm -rf "$VENV"  # a half-made venv (e.g. without ensurepip) is made again
  if ! python3 -m venv "$VENV" >&2; then
    rm -rf "$VENV"
    echo "eduvpn-venv.sh: 'python3 -m venv' failed (on Debian/Ubuntu: apt-get install python3-venv)" >&2
    exit 1
  fi
fi
if ! "$VENV/bin/pip" install --disable-pip-version-check --quiet --timeout 20 --retries 2 \
  "eduvpn-common==$VERSION" requests "oidc-provider-mock==0.3.4" >&2; then
  echo "eduvpn-venv.sh: pip could not install eduvpn-common==$VERSION and requests (is PyPI reachable? the wheel" \
    "exists for Linux x86_64 only)" >&2
  exit 1
fi
if ! ready; then
  echo "eduvpn-venv.sh: eduvpn-common $VERSION is installed in $VENV but does not load" >&2
  exit 1
fi
echo "$PY"
