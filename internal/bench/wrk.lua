-- Exotel Passthru GETs as bench's exotelCall makes them: nine in ten a new
-- call from a new number, the tenth a repeat of an earlier call id. The Go
-- side fills in the path and the tag (run and process, so that no two runs
-- on one database share a call id or a number).
local path = "@PATH@"
local tag = "@TAG@"
local i = 0
local stamp, stampAt = "", -1

-- India time, once a second.
local function now()
  local t = os.time()
  if t ~= stampAt then
    stampAt = t
    stamp = os.date("!%Y-%m-%d%%20%H:%M:%S", t + 19800)
  end
  return stamp
end

request = function()
  i = i + 1
  local id = i
  if i % 10 == 0 and i > 10 then
    id = i - 7
  end
  local ts = now()
  return wrk.format("GET", string.format(
    "%s?CallFrom=09%s%07d&CallSid=bench%s-%023d&CallTo=18000000000&CallType=call-attempt&Created=%s&CurrentTime=%s&DialCallDuration=0&Direction=incoming&StartTime=%s&digits=%%221%%22",
    path, tag, id, tag, id, ts, ts, ts))
end

-- One line for the Go side: requests, answers >= 400, socket errors and
-- latency percentiles in microseconds.
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("JODO-WRK requests=%d duration_us=%d status_errors=%d socket_errors=%d p50_us=%d p99_us=%d\n",
    summary.requests, summary.duration, e.status, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(99)))
end
