#!/bin/bash
# Two network namespaces for node tests, joined by a veth pair: the node's OpenVPN processes run in the server
# namespace (10.198.N.1/24), test clients in the client namespace (10.198.N.2/24). Nothing leaves them.
#   node-netns.sh up ID N     creates ptn-s-ID and ptn-c-ID
#   node-netns.sh down ID     deletes them (only these two)
set -euo pipefail
ID=$2
S=ptn-s-$ID; C=ptn-c-$ID
case "$1" in
  up)
    N=$3
    ip netns add "$S"; ip netns add "$C"
    ip link add "pvs$ID" type veth peer name "pvc$ID"
    ip link set "pvs$ID" netns "$S"; ip link set "pvc$ID" netns "$C"
    ip -n "$S" addr add "10.198.$N.1/24" dev "pvs$ID"; ip -n "$C" addr add "10.198.$N.2/24" dev "pvc$ID"
    for n in "$S" "$C"; do ip -n "$n" link set lo up; done
    ip -n "$S" link set "pvs$ID" up; ip -n "$C" link set "pvc$ID" up
    ;;
  down)
    ip netns del "$S" 2>/dev/null || true
    ip netns del "$C" 2>/dev/null || true
    ;;
esac
