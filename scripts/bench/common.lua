-- Shared by info.lua, connect.lua and refresh.lua (scripts/bench-api.sh), loaded with dofile.
-- Script arguments (after wrk's "--"): TOKENS_FILE THREADS [EXTRA]
--   TOKENS_FILE: one "ACCESS_TOKEN REFRESH_TOKEN" line per authorization (scripts/bench/mint_tokens.py)
--   THREADS:     wrk's -t, so that each thread takes its own disjoint slice of the file
-- done() prints one machine-readable line
--   BENCH-RESULT requests=N duration_us=N rps=N p50_us=N p99_us=N non2xx=N socket_errors=N
-- and exits 1 (after wrk's own summary) when non-2xx answers plus socket errors exceed 1% of the requests.
local common = {}

common.threads = {}          -- main state: every thread, for done()
local next_id = 0

-- setup(thread), main state: numbers the threads 0, 1, … (the global `id` in each thread's state).
function common.setup(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
  table.insert(common.threads, thread)
end

-- init(args), thread state: this thread's slice of the tokens file, as {access=…, refresh=…} pairs.
function common.thread_tokens(args, what)
  local path, threads = args[1], tonumber(args[2])
  if not path or not threads or threads < 1 then
    error(what .. ": usage: wrk … -s " .. what .. ".lua URL -- TOKENS_FILE THREADS")
  end
  local me = id or 0
  if me >= threads then
    error(what .. ": thread " .. me .. " but THREADS is " .. threads .. " (pass wrk's -t value)")
  end
  local file = io.open(path, "r")
  if not file then error(what .. ": cannot read tokens file " .. path) end
  local mine, line_number = {}, 0
  for line in file:lines() do
    local access, refresh = line:match("^(%S+)%s+(%S+)%s*$")
    if access then
      if line_number % threads == me then mine[#mine + 1] = { access = access, refresh = refresh } end
      line_number = line_number + 1
    end
  end
  file:close()
  if #mine == 0 then
    error(what .. ": thread " .. me .. " got no tokens from " .. path .. " (" .. line_number .. " lines)")
  end
  return mine
end

-- bearer_requests(args, what, method, headers, body): one prepared request per access token of this thread, with
-- `Authorization: Bearer` plus `headers`.
function common.bearer_requests(args, what, method, headers, body)
  local requests = {}
  for _, pair in ipairs(common.thread_tokens(args, what)) do
    local all = { ["Authorization"] = "Bearer " .. pair.access }
    for name, value in pairs(headers or {}) do all[name] = value end
    requests[#requests + 1] = wrk.format(method, wrk.path, all, body)
  end
  return requests
end

-- rotate(list): a function that returns the items of `list` in turn.
function common.rotate(list)
  local index = 0
  return function()
    index = index % #list + 1
    return list[index]
  end
end

function common.urlencode(text)
  return (text:gsub("[^%w%-%._~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

-- done(summary, latency, requests), main state. `extra` (optional) returns a text line to print and a failure
-- message or nil.
function common.done(summary, latency, extra)
  local e = summary.errors
  local socket_errors = e.connect + e.read + e.write + e.timeout
  local seconds = summary.duration / 1e6
  local rps = seconds > 0 and summary.requests / seconds or 0
  io.write(string.format(
    "BENCH-RESULT requests=%d duration_us=%d rps=%.1f p50_us=%d p99_us=%d non2xx=%d socket_errors=%d\n",
    summary.requests, summary.duration, rps, latency:percentile(50), latency:percentile(99), e.status,
    socket_errors))
  local problems = {}
  if extra then
    local line, problem = extra()
    if line then io.write(line .. "\n") end
    if problem then problems[#problems + 1] = problem end
  end
  local bad = e.status + socket_errors
  if summary.requests == 0 then
    problems[#problems + 1] = "no request completed"
  elseif bad > 0.01 * summary.requests then
    problems[#problems + 1] = string.format(
      "%d of %d requests failed (%.2f%%: %d non-2xx, %d connect, %d read, %d write, %d timeout); more than 1%%",
      bad, summary.requests, 100 * bad / summary.requests, e.status, e.connect, e.read, e.write, e.timeout)
  end
  if #problems > 0 then
    io.stdout:flush()
    io.stderr:write("BENCH FAILED: " .. table.concat(problems, "; ") .. "\n")
    os.exit(1)
  end
end

return common
