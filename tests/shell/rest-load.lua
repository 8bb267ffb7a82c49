-- SPDX-License-Identifier: LGPL-2.1-or-later
-- wrk's script for tests/shell/rest-load.sh: a mix of reads and writes on
-- the REST API. One request in WRITE_EVERY adds a certificate template of a
-- name no other request uses; the others read one item or a filtered list.
-- Every answer's status is counted, and the name of every add answered 200
-- is kept, so the test can check the store has each exactly once.
local auth = os.getenv("LOAD_AUTH")
local write_every = tonumber(os.getenv("LOAD_WRITE_EVERY") or "4")
local run = os.getenv("LOAD_RUN") or "run"
local threads = {}
local next_thread = 1

function setup(thread)
  thread:set("thread_id", next_thread)
  next_thread = next_thread + 1
  table.insert(threads, thread)
end

function init(args)
  counter = 0
  statuses = {}
  added = {}
  headers = { ["Authorization"] = "Basic " .. auth, ["Content-Type"] = "application/json" }
end

function request()
  counter = counter + 1
  if counter % write_every == 0 then
    local body = string.format('{"name":"load-%s-%d-%d","common-name":"load %d %d"}',
                               run, thread_id, counter, thread_id, counter)
    return wrk.format("PUT", "/rest/certificate", headers, body)
  elseif counter % 2 == 0 then
    return wrk.format("GET", "/rest/certificate/ca", headers)
  end
  return wrk.format("GET", "/rest/certificate?name=srv&.proplist=name,fingerprint", headers)
end

function response(status, response_headers, body)
  statuses[status] = (statuses[status] or 0) + 1
  if status == 200 then
    local name = string.match(body, '^{"%.id":"[^"]*","name":"(load%-%w+%-%d+%-%d+)"')
    if name then
      added[#added + 1] = name
    end
  end
end

function done(summary, latency, requests)
  local out = io.open(os.getenv("LOAD_REPORT"), "w")
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("statuses")) do
      out:write(string.format("status %d %d\n", status, count))
    end
    for _, name in ipairs(thread:get("added")) do
      out:write("added " .. name .. "\n")
    end
  end
  out:write(string.format("errors %d %d %d %d %d\n", summary.errors.connect, summary.errors.read,
                          summary.errors.write, summary.errors.status, summary.errors.timeout))
  out:write(string.format("requests %d\n", summary.requests))
  out:close()
end
