#!/bin/bash
# Certificate issuance benchmark: builds portolan-bench in release mode, runs it on one core and writes its own
# section of BENCHMARKS.md (between <!-- bench-certs:begin --> and <!-- bench-certs:end -->; the rest is kept).
#   bash scripts/bench-certs.sh [SECONDS_PER_ROW]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-3}
swift build -c release --product portolan-bench
bin="$(swift build -c release --show-bin-path)/portolan-bench"
table=$(taskset -c 0 "$bin" "$seconds")
section=$(mktemp /tmp/bench-certs.XXXXXX)
trap 'rm -f "$section"' EXIT
{
  echo "<!-- bench-certs:begin -->"
  echo "## Certificate issuance (release build, one thread pinned to one core)"
  echo
  echo "Measured $(date -u +%Y-%m-%d) on $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'))," \
       "Swift $(swift --version 2>/dev/null | grep -o 'version [0-9.]*' | head -1 | cut -d' ' -f2), ${seconds} s per row."
  echo "A client certificate is what \`/connect\` issues: a fresh key pair, a certificate signed by the CA"
  echo "(CN = 32 random bytes in base64, OU = profile, KU/EKU for OpenVPN), and both as PEM."
  echo "Goal: at least 5,000 client certificates per second on one core; the PHP reference spawns vpn-ca for each"
  echo "(about 11 ms wall and 8 ms CPU, so about 100 per second)."
  echo
  echo "$table"
  echo "<!-- bench-certs:end -->"
} > "$section"

source scripts/lib/benchmarks-section.sh
replace_section BENCHMARKS.md bench-certs "$section"
cat "$section"
