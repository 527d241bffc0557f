-- wrk script for scripts/bench (README "Benchmarks"); configured through the environment by
-- scripts/bench.ts, which starts `wrk -t1 -s scripts/bench.lua` in its own process.
--
--   BENCH_REQUESTS  file with one request per line: METHOD \t PATH \t COOKIE \t BODY
--   BENCH_ONCE=1    send each line exactly once (one member, one booking), then stop;
--                   otherwise cycle through the lines until the duration ends
--   BENCH_TALLY=1   count responses by status and collect the booking id of each success
--                   (Location: ...#booking-<id>); costs a little client CPU per response
--   BENCH_ORIGIN    Origin header of POSTs (the server refuses foreign origins)
--   BENCH_OUT       where done() writes the result as JSON
--
-- With -t1 the counters below are exact: one Lua state sends every request.

local ffi = require('ffi')
ffi.cdef [[
  int kill(int pid, int sig);
  int getpid(void);
]]

local once = os.getenv('BENCH_ONCE') == '1'
local tally = os.getenv('BENCH_TALLY') == '1'
local origin = os.getenv('BENCH_ORIGIN') or ''

local lines = {}
for line in io.lines(os.getenv('BENCH_REQUESTS')) do
  local method, path, cookie, body = line:match('^([^\t]*)\t([^\t]*)\t([^\t]*)\t(.*)$')
  if method then lines[#lines + 1] = { method, path, cookie, body } end
end

local prepared = {}
local sent = 0     -- requests handed to wrk
local reserved = 0 -- requests promised by delay() (once mode)
local answered = 0

-- Read back by done() through thread:get (tables are copied between Lua states).
statuses = {}
acks = {}
successes_without_id = 0

function init(args)
  for i, l in ipairs(lines) do
    local headers = {}
    if l[3] ~= '' then headers['Cookie'] = l[3] end
    if l[1] == 'POST' then
      headers['Origin'] = origin
      headers['Content-Type'] = 'application/x-www-form-urlencoded'
    end
    prepared[i] = wrk.format(l[1], l[2], headers, l[4] ~= '' and l[4] or nil)
  end
end

-- After a socket error wrk reconnects and asks for a request without calling delay() first; in
-- once mode that can leave no line for a later connection, which then sends this instead
-- (answered 200 without a booking id; done() takes these out of the counts).
idle = 0
local idleRequest = nil

-- wrk calls request() once before the run to check the request parses (script_verify_request);
-- that call must not use up a member's line.
local verified = false

function request()
  if not verified then
    verified = true
    return prepared[1]
  end
  sent = sent + 1
  if not once then return prepared[((sent - 1) % #prepared) + 1] end
  if sent <= #prepared then return prepared[sent] end
  idle = idle + 1
  idleRequest = idleRequest or wrk.format('GET', '/healthz')
  return idleRequest
end

if once then
  -- Called before every request: once every line is promised, park the connection (the run
  -- stops when the last answer arrives, long before this delay ends).
  function delay()
    if reserved >= #prepared then return 3600000 end
    reserved = reserved + 1
    return 0
  end
end

local function finished()
  -- Stop this thread, then wake wrk's main thread out of its sleep(duration) so that the
  -- elapsed time (and requests/s) covers the work only. kill() of the process goes to the
  -- main thread on Linux; wrk handles SIGINT by ending the run normally.
  wrk.thread:stop()
  ffi.C.kill(ffi.C.getpid(), 2)
end

if once or tally then
  function response(status, headers, body)
    answered = answered + 1
    if tally then
      statuses[status] = (statuses[status] or 0) + 1
      if status >= 200 and status < 400 then
        local location = headers['Location'] or headers['location'] or ''
        local id = location:match('#booking%-(%d+)')
        if id then acks[#acks + 1] = tonumber(id) else successes_without_id = successes_without_id + 1 end
      end
    end
    if once and answered >= #prepared then finished() end
  end
end

local threads = {}

function setup(thread)
  threads[#threads + 1] = thread
end

function done(summary, latency, requests)
  local merged, ids, unidentified, idles = {}, {}, 0, 0
  for _, t in ipairs(threads) do
    idles = idles + (t:get('idle') or 0)
    for status, n in pairs(t:get('statuses') or {}) do merged[status] = (merged[status] or 0) + n end
    for _, id in ipairs(t:get('acks') or {}) do ids[#ids + 1] = id end
    unidentified = unidentified + (t:get('successes_without_id') or 0)
  end
  local parts = {}
  for status, n in pairs(merged) do parts[#parts + 1] = string.format('"%d":%d', status, n) end
  local idParts = {}
  for i, id in ipairs(ids) do idParts[i] = string.format('%d', id) end
  local e = summary.errors
  local out = assert(io.open(os.getenv('BENCH_OUT'), 'w'))
  out:write(string.format(
    '{"requests":%d,"durationUs":%d,"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d,' ..
    '"p50Us":%d,"p99Us":%d,"maxUs":%d,"statuses":{%s},"acks":[%s],"successesWithoutId":%d,"idle":%d}\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(99), latency.max,
    table.concat(parts, ','), table.concat(idParts, ','), unidentified, idles))
  out:close()
end
