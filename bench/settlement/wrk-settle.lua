-- wrk script of bench/settlement: each request settles a bill for the next person of the list, with
-- a msgid of its own (`<prefix>-<n>`; thread t of T sends n = t, t + T, t + 2T…, so no request
-- repeats another). The bodies are those of bench/settlement.bench.ts: every fourth an inpatient
-- bill, every eighth a chronic (门诊慢特病) bill of a certified patient (bench/auth.ts certifies
-- everyone for M002), the rest general outpatient bills; all at the hospital of the bench account
-- (level 2).
-- Reads (wrk's -s ... -- ARGS): the file of ID numbers, one a line; the msgid prefix; T.
-- Prints one JSON line at the end: requests, seconds, p50/p99 in ms, errors.

local counter = 0

function setup(thread)
  thread:set('tid', counter)
  counter = counter + 1
end

local people = {}
local prefix = 'wrk'
local nthreads = 1
local i = 0

function init(args)
  for line in io.lines(args[1]) do
    people[#people + 1] = line
  end
  prefix = args[2] or prefix
  nthreads = tonumber(args[3]) or 1
  i = wrk.thread:get('tid')
end

function request()
  local n = i
  i = i + nthreads
  local inpatient = n % 4 == 0
  local chronic = n % 8 == 1
  local visit = inpatient and 'inpatient' or (chronic and 'chronic_outpatient' or 'general_outpatient')
  local body = string.format(
    '{"msgid":"%s-%d","certno":"%s","fixmedinsCode":"H37089900001","bill":{"date":"2022-06-15",'
      .. '"visitType":"%s","hospitalLevel":2,"diagnosis":"%s","lines":[{"amount":%d,"class":"A"},'
      .. '{"amount":300,"class":"B"},{"amount":50,"class":"C"}]}}',
    prefix,
    n,
    people[(n * 7919) % #people + 1],
    visit,
    inpatient and 'K35.8' or (chronic and 'E11.9' or 'J06.9'),
    inpatient and 8000 or (chronic and 600 or 120)
  )
  -- nil headers: wrk's own, which carry the -H options (authorization, content type).
  return wrk.format('POST', nil, nil, body)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests":%d,"seconds":%.3f,"p50":%.3f,"p99":%.3f,"errors":%d}\n',
    summary.requests,
    summary.duration / 1e6,
    latency:percentile(50) / 1000,
    latency:percentile(99) / 1000,
    e.connect + e.read + e.write + e.status + e.timeout
  ))
end
