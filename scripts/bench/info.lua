-- wrk script: GET /api/v3/info with a Bearer access token, the thread's tokens in turn.
--   wrk -t2 -c32 -d10s --latency -s scripts/bench/info.lua https://127.0.0.1:PORT/api/v3/info -- TOKENS_FILE 2
local common = dofile(debug.getinfo(1, "S").source:sub(2):match("^(.-)[^/]*$") .. "common.lua")

local requests, count, index = {}, 0, 0

setup = common.setup

function init(args)
  for _, pair in ipairs(common.thread_tokens(args, "info")) do
    count = count + 1
    requests[count] = wrk.format("GET", wrk.path, { ["Authorization"] = "Bearer " .. pair.access })
  end
end

function request()
  index = index % count + 1
  return requests[index]
end

function done(summary, latency)
  common.done(summary, latency)
end
