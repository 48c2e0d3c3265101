#!/bin/bash
# A throw-away FreeRADIUS 3.2 on 127.0.0.1 for tests: a minimal self-contained configuration in a temp folder, users
#   alice / alice-password   (reply Class = "staff", Class = "vpn")
#   bob   / bob-password     (no reply attributes)
# shared secret "portolan-test-secret".
#   scripts/radius-throwaway.sh start [PORT]   prints `export PORTOLAN_TEST_RADIUS=…` lines to eval
#   scripts/radius-throwaway.sh stop DIR
set -euo pipefail
cmd=${1:-}
case "$cmd" in
start)
  command -v freeradius >/dev/null || { echo "radius-throwaway: freeradius is not installed (apt-get install freeradius)" >&2; exit 1; }
  PORT=${2:-$((30000 + RANDOM % 20000))}
  R=$(mktemp -d /tmp/portolan-radius.XXXXXX)
  mkdir -p "$R/raddb" "$R/run" "$R/log"
  cat > "$R/raddb/radiusd.conf" <<CONF
prefix = /usr
exec_prefix = /usr
sysconfdir = /etc
localstatedir = /var
sbindir = /usr/sbin
logdir = $R/log
raddbdir = $R/raddb
radacctdir = \${logdir}/radacct
name = freeradius
confdir = \${raddbdir}
modconfdir = \${confdir}/mods-config
run_dir = $R/run
db_dir = \${raddbdir}
libdir = /usr/lib/freeradius
dictdir = /usr/share/freeradius
pidfile = \${run_dir}/\${name}.pid
max_request_time = 30
cleanup_delay = 5
max_requests = 16384
hostname_lookups = no
log {
  destination = files
  file = \${logdir}/radius.log
  auth = yes
}
security {
  allow_core_dumps = no
  max_attributes = 200
  reject_delay = 0
  status_server = yes
}
thread pool {
  start_servers = 2
  max_servers = 8
  min_spare_servers = 1
  max_spare_servers = 4
}
client localhost {
  ipaddr = 127.0.0.1
  secret = portolan-test-secret
  require_message_authenticator = yes
}
modules {
  pap {
    normalise = yes
  }
  files {
    filename = \${confdir}/users
  }
}
server default {
  listen {
    type = auth
    ipaddr = 127.0.0.1
    port = $PORT
  }
  authorize {
    files
    pap
  }
  authenticate {
    Auth-Type PAP {
      pap
    }
  }
}
CONF
  cat > "$R/raddb/users" <<'USERS'
alice   Cleartext-Password := "alice-password"
        Class := "staff",
        Class += "vpn"
bob     Cleartext-Password := "bob-password"
USERS
  freeradius -C -d "$R/raddb" >"$R/log/check.log" 2>&1 || { cat "$R/log/check.log" >&2; rm -rf "$R"; exit 1; }
  freeradius -d "$R/raddb"
  for _ in $(seq 1 100); do [ -s "$R/run/freeradius.pid" ] && break; sleep 0.05; done
  [ -s "$R/run/freeradius.pid" ] || { echo "radius-throwaway: freeradius did not start" >&2; cat "$R/log/radius.log" >&2 || true; exit 1; }
  echo "export PORTOLAN_TEST_RADIUS=127.0.0.1:$PORT"
  echo "export PORTOLAN_RADIUS_DIR=$R"
  ;;
stop)
  R=${2:?radius-throwaway.sh stop DIR}
  [ -f "$R/run/freeradius.pid" ] && kill "$(cat "$R/run/freeradius.pid")" 2>/dev/null || true
  rm -rf "$R"
  ;;
*)
  echo "usage: radius-throwaway.sh start [PORT] | stop DIR" >&2
  exit 64
  ;;
esac
