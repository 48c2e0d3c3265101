-- wrk script: GET /api/v3/info with a Bearer access token, the thread's tokens in turn.
--   wrk -t2 -c32 -d10s --latency -s scripts/bench/info.lua https://127.0.0.1:PORT/api/v3/info -- TOKENS_FILE 2
local common = dofile(debug.getinfo(1, "S").source:sub(2):match("^(.-)[^/]*$") .. "common.lua")

setup = common.setup

function init(args)
  request = common.rotate(common.bearer_requests(args, "info", "GET"))
end

function done(summary, latency)
  common.done(summary, latency)
end
