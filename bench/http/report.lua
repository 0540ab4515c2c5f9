-- wrk script for bench/http: counts answers other than the expected status (wrk counts a
-- 302 to the login page as a success, which would look like a fast page) and prints one
-- JSON line. Arguments after `--`: expected status, then either [method body-file content-type]
-- or `paths=FILE`: a GET of the file's next line (a path) at each request, so that no two requests
-- ask the same (the first-time search scenarios).
-- The JSON line also carries the whole latency distribution, `latency_us`: [microseconds, count]
-- for each distinct latency, so that run.py merges a scenario's slices into one distribution and
-- takes its percentiles there (percentiles of slices cannot be merged).
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  expected = tonumber(args[1] or "200")
  unexpected = 0
  paths, sent = nil, 0
  if args[2] and args[2]:sub(1, 6) == "paths=" then
    paths = {}
    for line in io.lines(args[2]:sub(7)) do table.insert(paths, line) end
  elseif args[2] then
    wrk.method = args[2]
    local file = assert(io.open(args[3], "rb"))
    wrk.body = file:read("*a")
    file:close()
    wrk.headers["Content-Type"] = args[4] or "application/json"
  end
end

function request()
  if not paths then return wrk.request() end
  sent = sent + 1
  return wrk.format(nil, paths[(sent - 1) % #paths + 1])
end

function response(status, headers, body)
  if status ~= expected then unexpected = unexpected + 1 end
end

function done(summary, latency, requests)
  local bad = 0
  for _, thread in ipairs(threads) do bad = bad + thread:get("unexpected") end
  local seconds = summary.duration / 1e6
  local errors = summary.errors
  -- latency(i): the i-th distinct latency (microseconds) and how many requests took it.
  local distribution = {}
  for i = 1, #latency do
    local value, count = latency(i)
    distribution[i] = string.format("[%d,%d]", value, count)
  end
  io.write(string.format(
    'JSON {"requests":%d,"seconds":%.3f,"rps":%.2f,"p50_ms":%.2f,"p90_ms":%.2f,"p99_ms":%.2f,"max_ms":%.2f,' ..
    '"unexpected":%d,"socket_errors":%d,"latency_us":[%s]}\n',
    summary.requests, seconds, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    bad, errors.connect + errors.read + errors.write + errors.timeout, table.concat(distribution, ",")))
end
