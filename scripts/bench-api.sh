#!/bin/bash
# HTTP API benchmark: builds portolan in release mode, serves it on loopback (TLS, self-signed) on SQLite and on a
# throw-away PostgreSQL, mints OAuth tokens, runs wrk 3 times per endpoint and writes the medians into its own
# section of BENCHMARKS.md (between <!-- bench-api:begin --> and <!-- bench-api:end -->; the rest is kept).
#   bash scripts/bench-api.sh [SECONDS_PER_RUN]          (default 10)
# Endpoints: GET /api/v3/info, POST /api/v3/connect (OpenVPN: a certificate is issued per request) and the refresh
# grant (POST /oauth/token grant_type=refresh_token). Needs wrk, openssl, python3 with requests and, for PostgreSQL,
# the server binaries (scripts/pg-throwaway.sh).
# Environment (all optional):
#   BENCH_STORES="sqlite postgres"  BENCH_RUNS=3  BENCH_THREADS=2  BENCH_CONNECTIONS=32  BENCH_WARMUP=2 (seconds)
#   BENCH_API_TOKENS=64 (authorizations for info/connect)  BENCH_REFRESH_TOKENS=4×connections (per refresh run)
#   BENCH_LOG_LEVEL=warning  BENCH_MINT_JOBS=4  BENCH_USERS=32 (info/connect tokens are spread over these users)
#   BENCH_PORTOLAN_BIN=path  use this (release) binary instead of building
#   BENCH_KEEP=1  keep the work folder (configs, logs, tokens, wrk output); it is always kept on failure
set -euo pipefail
cd "$(dirname "$0")/.."

fail() { echo "bench-api: $*" >&2; exit 1; }
say() { echo "bench-api: $*"; }

duration=${1:-10}
stores=${BENCH_STORES:-sqlite postgres}
runs=${BENCH_RUNS:-3}
threads=${BENCH_THREADS:-2}
connections=${BENCH_CONNECTIONS:-32}
warmup=${BENCH_WARMUP:-2}
api_tokens=${BENCH_API_TOKENS:-64}
refresh_tokens=${BENCH_REFRESH_TOKENS:-$((4 * connections))}
log_level=${BENCH_LOG_LEVEL:-warning}
mint_jobs=${BENCH_MINT_JOBS:-4}
users=${BENCH_USERS:-32}
timeout=5s
client_id=org.eduvpn.app.linux

for pair in "SECONDS_PER_RUN=$duration" "BENCH_RUNS=$runs" "BENCH_THREADS=$threads" \
            "BENCH_CONNECTIONS=$connections" "BENCH_API_TOKENS=$api_tokens" \
            "BENCH_REFRESH_TOKENS=$refresh_tokens" "BENCH_MINT_JOBS=$mint_jobs" "BENCH_USERS=$users"; do
  [[ ${pair#*=} =~ ^[1-9][0-9]*$ ]] || fail "${pair%%=*} must be a positive whole number, not '${pair#*=}'"
done
[[ $warmup =~ ^[0-9]+$ ]] || fail "BENCH_WARMUP must be a whole number of seconds"
((connections >= threads)) || fail "BENCH_CONNECTIONS ($connections) must be at least BENCH_THREADS ($threads)"
((api_tokens >= threads)) || fail "BENCH_API_TOKENS ($api_tokens) must be at least BENCH_THREADS ($threads)"
# Refresh tokens rotate (one in, one out), but a token in flight when wrk stops is lost: each thread needs more
# tokens than connections.
((refresh_tokens >= 2 * connections)) ||
  fail "BENCH_REFRESH_TOKENS ($refresh_tokens) must be at least twice BENCH_CONNECTIONS ($connections)"
for store in $stores; do
  case $store in sqlite|postgres) ;; *) fail "BENCH_STORES: unknown store '$store' (sqlite, postgres)" ;; esac
done

# --- Tools -------------------------------------------------------------------------------------------------------
if ! command -v wrk >/dev/null 2>&1; then
  echo "install wrk (apt-get install wrk)" >&2
  exit 2
fi
command -v openssl >/dev/null 2>&1 || fail "openssl is missing (apt-get install openssl)"
python=""
if [ -f scripts/eduvpn-venv.sh ]; then
  python=$(bash scripts/eduvpn-venv.sh | tail -n 1) || python=""
fi
if [ -z "$python" ] || ! "$python" -c 'import requests' 2>/dev/null; then
  if python3 -c 'import requests' 2>/dev/null; then
    [ -z "$python" ] && [ -f scripts/eduvpn-venv.sh ] && say "scripts/eduvpn-venv.sh gave no Python; using python3"
    python=python3
  else
    fail "no Python with the 'requests' module (scripts/eduvpn-venv.sh, or: pip install requests)"
  fi
fi
pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
psql_bin=$( { [ -n "$pgbin" ] && [ -x "$pgbin/psql" ] && echo "$pgbin/psql"; } || command -v psql || true)
if [[ " $stores " == *" postgres "* ]] && { [ -z "$pgbin" ] || [ ! -x "$pgbin/initdb" ]; }; then
  fail "no PostgreSQL server binaries for the PostgreSQL run (apt-get install postgresql, or BENCH_STORES=sqlite)"
fi

# --- Build ------------------------------------------------------------------------------------------------------
if [ -n "${BENCH_PORTOLAN_BIN:-}" ]; then
  bin=$BENCH_PORTOLAN_BIN
  say "using $bin (BENCH_PORTOLAN_BIN; not building)"
else
  swift build -c release --product portolan || fail "swift build -c release --product portolan failed"
  bin="$(swift build -c release --show-bin-path)/portolan"
fi
[ -x "$bin" ] || fail "no executable at $bin"

# --- Work folder, server and PostgreSQL lifetime -----------------------------------------------------------------
work=$(mktemp -d /tmp/portolan-bench-api.XXXXXX)
results="$work/results.tsv"
: > "$results"
server_pid=""
server_log=""
pg_data=""

alive() {  # PID is running (a child that exited stays a zombie until waited for)
  local state
  state=$(ps -o stat= -p "$1" 2>/dev/null) || return 1
  [[ $state != Z* ]]
}

stop_server() {
  [ -n "$server_pid" ] || return 0
  if alive "$server_pid"; then
    kill -TERM "$server_pid" 2>/dev/null || true
    for _ in $(seq 1 50); do alive "$server_pid" || break; sleep 0.1; done
    if alive "$server_pid"; then
      echo "bench-api: the server (PID $server_pid) did not stop within 5 s of SIGTERM; sending SIGKILL" >&2
      kill -KILL "$server_pid" 2>/dev/null || true
    fi
  fi
  wait "$server_pid" 2>/dev/null || true
  server_pid=""
}

stop_pg() {
  [ -n "$pg_data" ] || return 0
  scripts/pg-throwaway.sh stop "$pg_data" || echo "bench-api: could not stop the PostgreSQL in $pg_data" >&2
  pg_data=""
}

cleanup() {
  local status=$?
  trap - EXIT INT TERM
  stop_server
  stop_pg
  if [ "$status" -eq 0 ] && [ -z "${BENCH_KEEP:-}" ]; then
    rm -rf "$work"
  else
    echo "bench-api: configs, logs, tokens and wrk output kept in $work" >&2
  fi
  exit "$status"
}
trap cleanup EXIT
trap 'echo "bench-api: interrupted" >&2; exit 130' INT
trap 'echo "bench-api: terminated" >&2; exit 143' TERM

server_tail() {
  if [ -n "$server_log" ] && [ -f "$server_log" ]; then
    echo "--- last lines of the server log ($server_log):" >&2
    tail -n 30 "$server_log" >&2
  fi
}

free_port() {
  "$python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# start_server CONFIG DATA_DIR: starts `portolan serve` in the background, sets server_pid and base (the URL).
start_server() {
  local config=$1 data=$2 line scheme port
  server_log="$data.serve.log"
  "$bin" serve --config "$config" --data-dir "$data" >"$server_log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 1200); do  # 120 s
    line=$(sed -n -E 's#.*Serving at (https?)://[^ ]*:([0-9]+)/.*#\1 \2#p' "$server_log" | head -n 1)
    if [ -n "$line" ]; then
      read -r scheme port <<<"$line"
      base="$scheme://127.0.0.1:$port"
      say "server PID $server_pid at $base/"
      return 0
    fi
    if ! alive "$server_pid"; then
      server_tail
      wait "$server_pid" 2>/dev/null || true
      server_pid=""
      fail "portolan serve exited before printing 'Serving at …'"
    fi
    sleep 0.1
  done
  server_tail
  fail "portolan serve printed no 'Serving at …' line within 120 s"
}

# run_wrk STORE KEY RUN SCRIPT URL TOKENS [SCRIPT_ARGS…]: one wrk run; appends a line to the results.
run_wrk() {
  local store=$1 key=$2 run=$3 script=$4 url=$5 tokens=$6 out line
  shift 6
  out="$work/wrk-$store-$key-$run.txt"
  say "$store $key, run $run of $runs: wrk -t$threads -c$connections -d${duration}s $url"
  if ! wrk -t"$threads" -c"$connections" -d"${duration}s" --timeout "$timeout" --latency -s "$script" "$url" \
       -- "$tokens" "$threads" "$@" >"$out" 2>&1; then
    cat "$out" >&2
    server_tail
    fail "$store $key run $run FAILED (wrk output above and in $out)"
  fi
  cat "$out"
  alive "$server_pid" || { server_tail; fail "the server died during $store $key run $run"; }
  line=$(grep -m1 '^BENCH-RESULT ' "$out") || fail "no BENCH-RESULT line in $out"
  field() { sed -n -E "s/.* $1=([0-9.]+).*/\1/p" <<<"$line"; }
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$store" "$key" "$run" "$(field rps)" "$(field p50_us)" \
    "$(field p99_us)" "$(field requests)" "$(field non2xx)" "$(field socket_errors)" >>"$results"
}

# bench_store STORE: one server on that store, tokens, warm-up, then every endpoint $runs times.
bench_store() {
  local store=$1 dir="$work/$1" config data password tokens total
  mkdir -p "$dir"
  config="$dir/portolan.yaml"
  data="$dir/data"
  mkdir -p "$data"
  unset PORTOLAN_DATABASE_URL PORTOLAN_MASTER_KEY
  {
    echo "# Written by scripts/bench-api.sh ($store)"
    echo "server:"
    echo "  listen: 127.0.0.1:0"
    echo "log:"
    echo "  level: $log_level"
  } >"$config"
  if [ "$store" = postgres ]; then
    local pg_port pg_env admin_url pg_url
    pg_port=$(free_port)
    pg_env=$(PG_DURABLE=1 scripts/pg-throwaway.sh start "$pg_port") || fail "could not start PostgreSQL (scripts/pg-throwaway.sh)"
    eval "$pg_env"
    pg_data=$PORTOLAN_PG_DATA
    admin_url=$PORTOLAN_TEST_DATABASE_URL
    unset PORTOLAN_TEST_DATABASE_URL PORTOLAN_PG_DATA PORTOLAN_PG_PID
    pg_url="postgres://postgres@127.0.0.1:$pg_port/postgres?sslmode=disable"
    if [ -n "$psql_bin" ]; then
      "$psql_bin" -q -v ON_ERROR_STOP=1 "$admin_url" -c 'CREATE DATABASE portolan_bench' ||
        fail "could not create the database portolan_bench"
      pg_url="postgres://postgres@127.0.0.1:$pg_port/portolan_bench?sslmode=disable"
    fi  # without psql: the cluster was just created, so its database postgres is empty too
    PORTOLAN_MASTER_KEY=$(openssl rand -base64 32)
    export PORTOLAN_MASTER_KEY
    {
      echo "database:"
      echo "  url: $pg_url"
      echo "secrets:"
      echo "  master_key: { env: PORTOLAN_MASTER_KEY }"
    } >>"$config"
    say "PostgreSQL at $pg_url (data $pg_data)"
  fi

  password=$(openssl rand -hex 16)
  printf '%s\n' "$password" | "$bin" user add bench --password-stdin --config "$config" --data-dir "$data" ||
    fail "portolan user add bench failed ($store)"

  for user in $(seq 1 "$users"); do
    printf '%s\n' "$password" | "$bin" user add "bench-$user" --password-stdin --config "$config" --data-dir "$data" \
      >/dev/null || fail "portolan user add bench-$user failed ($store)"
  done

  start_server "$config" "$data"

  # info and connect: $api_tokens authorizations spread over $users users (people with a laptop and a phone);
  # connect-evict: $api_tokens authorizations of the one user `bench` (every connect pushes out the oldest of the
  # user's 3 configurations); refresh: fresh authorizations of `bench` per run.
  tokens="$dir/tokens.txt"
  total=$((api_tokens + runs * refresh_tokens))
  say "minting $total token pairs for bench ($api_tokens for connect-evict, $runs × $refresh_tokens for refresh)" \
      "and $api_tokens over $users users (info, connect)"
  printf '%s\n' "$password" | "$python" scripts/bench/mint_tokens.py "$base" bench - "$total" "$tokens" \
      --client-id "$client_id" --jobs "$mint_jobs" || { server_tail; fail "minting tokens failed ($store)"; }
  head -n "$api_tokens" "$tokens" >"$dir/evict-tokens.txt"
  for run in $(seq 1 "$runs"); do
    sed -n "$((api_tokens + (run - 1) * refresh_tokens + 1)),$((api_tokens + run * refresh_tokens))p" "$tokens" \
      >"$dir/refresh-tokens-$run.txt"
  done
  : >"$dir/api-tokens.txt"
  local per_user=$(((api_tokens + users - 1) / users))
  for user in $(seq 1 "$users"); do
    printf '%s\n' "$password" | "$python" scripts/bench/mint_tokens.py "$base" "bench-$user" - "$per_user" \
        "$dir/user-tokens.txt" --client-id "$client_id" --jobs 1 >/dev/null || { server_tail; fail "minting for bench-$user failed ($store)"; }
    cat "$dir/user-tokens.txt" >>"$dir/api-tokens.txt"
  done
  # Interleave users, so that each wrk thread's slice holds many users.
  awk -v per="$per_user" '{ line[NR] = $0 } END { for (i = 1; i <= per; i++) for (j = i; j <= NR; j += per) print line[j] }' \
    "$dir/api-tokens.txt" | head -n "$api_tokens" >"$dir/api-tokens.mixed" && mv "$dir/api-tokens.mixed" "$dir/api-tokens.txt"

  if ((warmup > 0)); then
    say "$store warm-up: GET /api/v3/info for ${warmup}s (not recorded)"
    wrk -t"$threads" -c"$connections" -d"${warmup}s" --timeout "$timeout" -s scripts/bench/info.lua \
      "$base/api/v3/info" -- "$dir/api-tokens.txt" "$threads" >"$work/wrk-$store-warmup.txt" 2>&1 ||
      { cat "$work/wrk-$store-warmup.txt" >&2; server_tail; fail "$store warm-up failed"; }
  fi
  for run in $(seq 1 "$runs"); do
    run_wrk "$store" info "$run" scripts/bench/info.lua "$base/api/v3/info" "$dir/api-tokens.txt"
  done
  for run in $(seq 1 "$runs"); do
    run_wrk "$store" connect "$run" scripts/bench/connect.lua "$base/api/v3/connect" "$dir/api-tokens.txt" default
  done
  for run in $(seq 1 "$runs"); do
    run_wrk "$store" connect-evict "$run" scripts/bench/connect.lua "$base/api/v3/connect" "$dir/evict-tokens.txt" default
  done
  for run in $(seq 1 "$runs"); do
    run_wrk "$store" refresh "$run" scripts/bench/refresh.lua "$base/oauth/token" "$dir/refresh-tokens-$run.txt" \
      "$client_id"
  done

  stop_server
  stop_pg
  unset PORTOLAN_MASTER_KEY
}

scheme_used=""
for store in $stores; do
  say "=== $store"
  bench_store "$store"
  scheme_used=${base%%://*}
done

# --- BENCHMARKS.md ------------------------------------------------------------------------------------------------
cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//' || true)
swift_version=$(swift --version 2>/dev/null | grep -o 'version [0-9.]*' | head -1 | cut -d' ' -f2 || true)
wrk_version=$(wrk -v 2>&1 | head -n 1 | awk '{print $2}' || true)
pg_version=""
if [[ " $stores " == *" postgres "* ]]; then
  pg_version=$("$pgbin/postgres" --version 2>/dev/null | sed -n -E 's/.*\(PostgreSQL\) ([0-9.]+).*/\1/p' || true)
fi
store_list=""
for store in $stores; do
  case $store in
    sqlite) store_list+="${store_list:+; }SQLite (in a temporary data folder)" ;;
    postgres) store_list+="${store_list:+; }PostgreSQL ${pg_version} on loopback (scripts/pg-throwaway.sh with PG_DURABLE=1: a fresh cluster with the default fsync=on, synchronous_commit=on)" ;;
  esac
done
tls_text="TLS with the self-signed certificate the server generates (wrk does not verify it)"
[ "$scheme_used" = https ] || tls_text="plain HTTP (the server printed an http:// URL)"

section="$work/section.md"
{
  echo "<!-- bench-api:begin -->"
  echo "## HTTP API (release build, wrk on loopback)"
  echo
  echo "Measured $(date -u +%Y-%m-%d) on $(nproc) cores (${cpu:-unknown CPU}), Linux $(uname -r), Swift ${swift_version:-unknown}."
  echo "wrk ${wrk_version:-unknown} on loopback: \`wrk -t$threads -c$connections -d${duration}s --timeout $timeout --latency\`," \
       "$runs runs per row; req/s, p50 and p99 are the medians of the $runs runs."
  echo "**wrk and the server share the same $(nproc) cores** (nothing pinned), so wrk's own CPU time is taken from the"
  echo "server. Server: \`portolan serve\` on 127.0.0.1, $tls_text, keep-alive connections, log level $log_level."
  echo "Stores: $store_list."
  echo "Tokens: authorizations for $client_id, minted through the login, consent and PKCE code flow by"
  echo "\`scripts/bench/mint_tokens.py\`; each wrk thread uses its own slice of them in turn. info and connect: $api_tokens"
  echo "authorizations of $users users. connect, one user: $api_tokens authorizations of a single user, so that every"
  echo "connect also evicts that user's oldest configuration (\`api.max_active_configurations: 3\`)."
  echo
  echo "- \`GET /api/v3/info\`: Bearer access token."
  echo "- \`POST /api/v3/connect\`: \`profile_id=default&prefer_tcp=no\`, \`Accept: application/x-openvpn-profile\`;"
  echo "  every answer is an OpenVPN configuration with a newly issued client certificate and key."
  echo "- refresh: \`POST /oauth/token grant_type=refresh_token\`. Refresh tokens are single-use and rotate, so each"
  echo "  request sends the refresh token an earlier answer returned (\`scripts/bench/refresh.lua\` keeps a queue per"
  echo "  thread); every run starts from $refresh_tokens fresh authorizations."
  echo
  echo "Goals on 2 cores: /info ≥ 15,000 req/s, /connect ≥ 2,000 req/s, refresh ≥ 5,000 req/s."
  echo "The PHP reference (vpn-user-portal) does about 880, 40 and 110 req/s."
  echo "non-2xx: answers ≥ 400 over all $runs runs (a run fails when they and socket errors exceed 1%)."
  echo
  echo "| store | endpoint | req/s (median of $runs) | p50 | p99 | non-2xx | goal | PHP reference |"
  echo "|---|---|---|---|---|---|---|---|"
  awk -F'\t' -v runs="$runs" '
    function median(list,   n, a, i, j, t) {
      n = split(list, a, " ")
      for (i = 2; i <= n; i++) { t = a[i] + 0; for (j = i - 1; j >= 1 && a[j] + 0 > t; j--) a[j + 1] = a[j]; a[j + 1] = t }
      return (n % 2) ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
    }
    function thousands(x,   s, out) {
      s = sprintf("%d", x + 0.5); out = ""
      while (length(s) > 3) { out = "," substr(s, length(s) - 2) out; s = substr(s, 1, length(s) - 3) }
      return s out
    }
    function ms(us) { return sprintf("%.2f ms", us / 1000) }
    {
      k = $1 SUBSEP $2
      if (!(k in rps)) { order[++count] = k }
      rps[k] = rps[k] " " $4; p50[k] = p50[k] " " $5; p99[k] = p99[k] " " $6
      requests[k] += $7; non2xx[k] += $8; socket[k] += $9
    }
    END {
      store["sqlite"] = "SQLite"; store["postgres"] = "PostgreSQL"
      name["info"] = "`GET /api/v3/info`"; name["connect"] = "`POST /api/v3/connect`"
      name["refresh"] = "`POST /oauth/token` (refresh)"
      name["connect-evict"] = "`POST /api/v3/connect`, one user (evicts)"
      goal["info"] = 15000; goal["connect"] = 2000; goal["refresh"] = 5000; goal["connect-evict"] = 2000
      php["info"] = "~880"; php["connect"] = "~40"; php["refresh"] = "~110"; php["connect-evict"] = "~40"
      for (i = 1; i <= count; i++) {
        split(order[i], key, SUBSEP); s = key[1]; e = key[2]; k = order[i]
        m = median(rps[k])
        bad = non2xx[k] ? sprintf("%d (%.2f%%)", non2xx[k], 100 * non2xx[k] / requests[k]) : "0"
        if (socket[k]) bad = bad sprintf(" + %d socket errors", socket[k])
        printf "| %s | %s | %s | %s | %s | %s | ≥ %s (%s) | %s |\n", store[s], name[e], thousands(m),
          ms(median(p50[k])), ms(median(p99[k])), bad, thousands(goal[e]), (m >= goal[e] ? "met" : "missed"), php[e]
        runs_line = runs_line sprintf("%s%s %s:", runs_line == "" ? "" : "; ", store[s], e)
        n = split(rps[k], values, " ")
        for (j = 1; j <= n; j++) runs_line = runs_line (j == 1 ? " " : " / ") thousands(values[j])
      }
      print ""
      print "Every run (req/s): " runs_line "."
    }' "$results"
  echo "<!-- bench-api:end -->"
} >"$section"

source scripts/lib/benchmarks-section.sh
replace_section BENCHMARKS.md bench-api "$section"
say "wrote the bench-api section of BENCHMARKS.md:"
cat "$section"
