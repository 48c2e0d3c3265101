#!/bin/bash
# Real OpenVPN 2.6 tunnels between two network namespaces made here, from Portolan-rendered configurations.
#   openvpn-tunnel.sh WORKDIR
# WORKDIR holds servers/*.conf (their management sockets point into WORKDIR/run), clients/*.ovpn, and
# pings: lines "CLIENT_FILE_NAME IPV4 IPV6" (addresses to ping through that client's tunnel).
# The server namespace has 10.199.0.1/24 on a veth, the client namespace 10.199.0.2/24; nothing leaves them.
# Prints "TUNNEL OK <client> <address>" per successful ping; exits non-zero with the logs on failure.
# Runs as root. Ends only the processes it started (by PID) and deletes only its namespaces.
set -euo pipefail
W=$(cd "$1" && pwd)
ID=$$
NS_S=ptl-s-$ID; NS_C=ptl-c-$ID; VS=pvs$ID; VC=pvc$ID
mkdir -p "$W/run"
chmod 755 "$W" "$W/run"

cleanup() {
  pids=$(cat "$W"/run/*.pid 2>/dev/null || true)
  for pid in $pids; do kill "$pid" 2>/dev/null || true; done
  for _ in $(seq 1 40); do
    alive=""; for pid in $pids; do kill -0 "$pid" 2>/dev/null && alive="$alive $pid"; done
    [ -z "$alive" ] && break; sleep 0.1
  done
  for pid in $alive; do kill -9 "$pid" 2>/dev/null || true; done
  ip netns del "$NS_S" 2>/dev/null || true
  ip netns del "$NS_C" 2>/dev/null || true
}
trap cleanup EXIT

fail() {
  echo "FAIL: $*"
  for f in "$W"/run/*.log; do echo "----- $f"; tail -n 25 "$f"; done
  exit 1
}
wait_log() {  # FILE PATTERN SECONDS
  for _ in $(seq 1 $(( $3 * 20 ))); do grep -q "$2" "$1" 2>/dev/null && return 0; sleep 0.05; done
  return 1
}

ip netns add "$NS_S"; ip netns add "$NS_C"
ip link add "$VS" type veth peer name "$VC"
ip link set "$VS" netns "$NS_S"; ip link set "$VC" netns "$NS_C"
ip -n "$NS_S" addr add 10.199.0.1/24 dev "$VS"; ip -n "$NS_C" addr add 10.199.0.2/24 dev "$VC"
for n in "$NS_S" "$NS_C"; do ip -n "$n" link set lo up; done
ip -n "$NS_S" link set "$VS" up; ip -n "$NS_C" link set "$VC" up

start_all() {  # KIND (server|client) NAMESPACE FILES... : start each as a daemon, then wait for each to be up
  local kind=$1 ns=$2 conf name; shift 2
  for conf in "$@"; do
    name=$(basename "${conf%.*}")
    ip netns exec "$ns" openvpn --config "$conf" --daemon "ptl-$name" --log "$W/run/$kind-$name.log" \
      --writepid "$W/run/$kind-$name.pid" </dev/null >/dev/null 2>&1
  done
  for conf in "$@"; do
    name=$(basename "${conf%.*}")
    wait_log "$W/run/$kind-$name.log" "Initialization Sequence Completed" 30 || fail "$kind $name did not come up"
    [ "$kind" = client ] && grep "Control Channel:" "$W/run/$kind-$name.log" | head -1 | sed "s/^/$name: /"
  done
  return 0
}
start_all server "$NS_S" "$W"/servers/*.conf
start_all client "$NS_C" "$W"/clients/*.ovpn

while read -r client v4 v6; do
  [ -n "$client" ] || continue
  ip netns exec "$NS_C" ping -c 2 -W 3 "$v4" >/dev/null || fail "ping $v4 through $client"
  echo "TUNNEL OK $client $v4"
  ip netns exec "$NS_C" ping -6 -c 2 -W 3 "$v6" >/dev/null || fail "ping $v6 through $client"
  echo "TUNNEL OK $client $v6"
done < "$W/pings"
