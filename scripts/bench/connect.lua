-- wrk script: POST /api/v3/connect (OpenVPN: a certificate is issued for every request) with a Bearer access token,
-- the thread's tokens in turn.
--   wrk -t2 -c32 -d10s --latency -s scripts/bench/connect.lua https://127.0.0.1:PORT/api/v3/connect \
--       -- TOKENS_FILE 2 [PROFILE_ID]
local common = dofile(debug.getinfo(1, "S").source:sub(2):match("^(.-)[^/]*$") .. "common.lua")

local requests, count, index = {}, 0, 0

setup = common.setup

function init(args)
  local body = "profile_id=" .. common.urlencode(args[3] or "default") .. "&prefer_tcp=no"
  for _, pair in ipairs(common.thread_tokens(args, "connect")) do
    count = count + 1
    requests[count] = wrk.format("POST", wrk.path, {
      ["Authorization"] = "Bearer " .. pair.access,
      ["Content-Type"] = "application/x-www-form-urlencoded",
      ["Accept"] = "application/x-openvpn-profile",
    }, body)
  end
end

function request()
  index = index % count + 1
  return requests[index]
end

function done(summary, latency)
  common.done(summary, latency)
end
