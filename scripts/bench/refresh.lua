-- wrk script: POST /oauth/token grant_type=refresh_token. Refresh tokens are single-use and rotate, so each thread
-- keeps a FIFO queue of its own refresh tokens (a disjoint slice of the file): request() takes the oldest,
-- response() puts the new one from the answer at the back. A token whose answer never comes (in flight when wrk
-- stops, a socket error) or is not a 200 is lost, so give each thread a few times more tokens than connections.
-- When the queue is empty anyway, the request is sent with a dummy token (the server answers 400, counted as
-- non-2xx, so more than 1% of them fail the run).
--   wrk -t2 -c32 -d10s --latency -s scripts/bench/refresh.lua https://127.0.0.1:PORT/oauth/token \
--       -- TOKENS_FILE 2 [CLIENT_ID]
local common = dofile(debug.getinfo(1, "S").source:sub(2):match("^(.-)[^/]*$") .. "common.lua")

local queue, head, tail = {}, 1, 0
local headers = { ["Content-Type"] = "application/x-www-form-urlencoded", ["Accept"] = "application/json" }
local client_id
-- Globals, read by done() through thread:get().
ran_dry, not_ok, no_token, start_tokens = 0, 0, 0, 0

local function push(token)
  tail = tail + 1
  queue[tail] = token
end

setup = common.setup

function init(args)
  client_id = common.urlencode(args[3] or "org.eduvpn.app.linux")
  for _, pair in ipairs(common.thread_tokens(args, "refresh")) do push(pair.refresh) end
  start_tokens = tail
end

function request()
  local token
  if head <= tail then
    token = queue[head]
    queue[head] = nil
    head = head + 1
  else
    ran_dry = ran_dry + 1
    token = "bench-refresh-queue-ran-dry"
  end
  return wrk.format("POST", wrk.path, headers,
    "grant_type=refresh_token&refresh_token=" .. common.urlencode(token) .. "&client_id=" .. client_id)
end

function response(status, _, body)
  if status ~= 200 then
    not_ok = not_ok + 1
    return
  end
  local token = body:match('"refresh_token"%s*:%s*"([^"]+)"')
  if token then
    push((token:gsub("\\/", "/")))   -- JSON may escape "/" as "\/"
  else
    no_token = no_token + 1
  end
end

function done(summary, latency)
  common.done(summary, latency, function()
    local dry, bad, missing, start = 0, 0, 0, 0
    for _, thread in ipairs(common.threads) do
      dry = dry + thread:get("ran_dry")
      bad = bad + thread:get("not_ok")
      missing = missing + thread:get("no_token")
      start = start + thread:get("start_tokens")
    end
    local line = string.format("REFRESH tokens=%d non200=%d without_refresh_token=%d queue_ran_dry=%d",
      start, bad, missing, dry)
    if missing > 0 then
      return line, string.format("%d answers 200 without a refresh_token this script could read", missing)
    end
    if dry > 0 then
      line = line .. "\nWARNING: the refresh token queue ran dry; those requests used a dummy token (non-2xx)"
    end
    return line, nil
  end)
end
