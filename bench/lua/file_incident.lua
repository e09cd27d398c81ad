-- POSTs early warnings, each a new case, over keep-alive connections with a bearer token
-- (BENCH_TOKEN); aware_at is BENCH_AWARE_AT. Prints the same RESULT line as percentiles.lua.
local counter = 0
local threads = {}

function setup(thread)
  thread:set("thread_id", #threads + 1)
  threads[#threads + 1] = thread
end

function init(args)
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["Authorization"] = "Bearer " .. os.getenv("BENCH_TOKEN")
end

function request()
  counter = counter + 1
  local body = string.format(
    '{"title":"Benchmark early warning %d-%d","aware_at":"%s","suspected_malicious":"unknown",' ..
    '"may_affect_others":false,"summary":"Filed by bench/incidents.sh"}',
    thread_id, counter, os.getenv("BENCH_AWARE_AT"))
  return wrk.format(nil, nil, nil, body)
end

function done(summary, latency, requests)
  local errors = summary.errors.status + summary.errors.connect + summary.errors.read +
    summary.errors.write + summary.errors.timeout
  io.write(string.format("RESULT %.0f %.2f %.2f %.2f %d %d\n",
    summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    errors, summary.requests))
end
