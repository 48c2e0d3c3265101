-- wrk script: POST /api/v3/connect (OpenVPN: a certificate is issued for every request) with a Bearer access token,
-- the thread's tokens in turn.
--   wrk -t2 -c32 -d10s --latency -s scripts/bench/connect.lua https://127.0.0.1:PORT/api/v3/connect \
--       -- TOKENS_FILE 2 [PROFILE_ID]
local common = dofile(debug.getinfo(1, "S").source:sub(2):match("^(.-)[^/]*$") .. "common.lua")

setup = common.setup

function init(args)
  local body = "profile_id=" .. common.urlencode(args[3] or "default") .. "&prefer_tcp=no"
  request = common.rotate(common.bearer_requests(args, "connect", "POST", {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Accept"] = "application/x-openvpn-profile",
  }, body))
end

function done(summary, latency)
  common.done(summary, latency)
end
