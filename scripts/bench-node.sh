#!/bin/bash
# Node daemon under load: a release `portolan serve` and `portolan node run`, 100 real OpenVPN 2.6 clients against
# one node in network namespaces (the acceptance test aHundredClientsOnOneNode, run RUNS times), and the daemon's
# memory: VmRSS, and its private (unshared) part. Writes its section of BENCHMARKS.md.
#   bash scripts/bench-node.sh [RUNS]      (root, openvpn, ip, ping)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/benchmarks-section.sh
runs=${1:-3}
[ "$(id -u)" = 0 ] || { echo "bench-node.sh: needs root (network namespaces)" >&2; exit 1; }
swift build -c release --product portolan
swift build --build-tests
export PORTOLAN_NODE_BIN="$(swift build -c release --show-bin-path)/portolan"
export PORTOLAN_BIN="$(swift build --show-bin-path)/portolan"
lines=()
for run in $(seq 1 "$runs"); do
  out=$(swift test --skip-build --filter 'NodeDaemonTests/aHundredClientsOnOneNode' 2>&1) || { echo "$out" | tail -30; exit 1; }
  line=$(echo "$out" | grep -o 'node-test: 100 clients.*' | head -1)
  echo "run $run: $line"
  lines+=("$line")
done
section=$(mktemp)
{
  echo "<!-- bench-node:begin -->"
  echo "## Node daemon: 100 OpenVPN clients on one node (release build)"
  echo
  echo "\`bash scripts/bench-node.sh\` on $(date -u +%Y-%m-%d), $(nproc) cores, $(openvpn --version | head -1 | cut -d' ' -f1-2):"
  echo "controller and node daemon on this machine, the node's OpenVPN in one network namespace, 100 clients (each its own"
  echo "certificate from \`/api/v3/connect\`) in another; every client pings through its tunnel. Memory is the daemon's"
  echo "(not OpenVPN's): VmRSS counts shared code pages (Swift runtime, Foundation, ICU, the binary); private is its own."
  echo
  echo "| run | all 100 connected in | pinged | daemon VmRSS | daemon private |"
  echo "|---|---|---|---|---|"
  n=0
  for line in "${lines[@]}"; do
    n=$((n + 1))
    up=$(echo "$line" | sed -E 's/.*up in ([0-9.]+) seconds.*/\1/' | cut -c1-4)
    pinged=$(echo "$line" | sed -E 's/.* ([0-9]+\/100) pinged.*/\1/')
    rss=$(echo "$line" | sed -E 's/.*VmRSS ([0-9]+) KiB.*/\1/')
    private=$(echo "$line" | sed -E 's/.*private ([0-9]+) KiB.*/\1/')
    echo "| $n | ${up} s | $pinged | $((rss / 1024)) MB | $((private / 1024)) MB |"
  done
  echo
  echo "Goal: all within 15 s, the daemon under 50 MB."
  echo "<!-- bench-node:end -->"
} >"$section"
replace_section BENCHMARKS.md bench-node "$section"
rm -f "$section"
echo "bench-node.sh: BENCHMARKS.md updated"
