-- Prints one line wrk's --latency table lacks: p50, p95 and p99 in milliseconds, requests/s, and
-- how many answers were not 2xx. Optional: `ids` (a file of ids, one a line) turns every `{id}` in
-- the path into a random one of them.
local ids = {}
local template = nil

function init(args)
  local file = os.getenv("BENCH_IDS")
  if file then
    for line in io.lines(file) do ids[#ids + 1] = line end
  end
  template = wrk.path
end

function request()
  if #ids > 0 then
    local path = template:gsub("{id}", ids[math.random(#ids)])
    return wrk.format(nil, path)
  end
  return wrk.format()
end

function done(summary, latency, requests)
  local errors = summary.errors.status + summary.errors.connect + summary.errors.read +
    summary.errors.write + summary.errors.timeout
  io.write(string.format("RESULT %.0f %.2f %.2f %.2f %d %d\n",
    summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    errors, summary.requests))
end
