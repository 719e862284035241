// The one Lua script a Redis check runs: read every window of a policy, decide, and count the
// request in all of them or in none, atomically and in one round trip. It mirrors `fits` in
// algorithms.ts exactly (same integer arithmetic); a test runs the seed example through both.
//
// KEYS[i]  one hash per limit, `<prefix>{<subject>}:<policy>:<window>`. The `{subject}` hash tag
//          puts every key of one check in one Redis Cluster slot. Fields are window starts (ms)
//          and values counts; at most the current and the previous window are kept, and the
//          key expires when neither can be read again.
// ARGV[1]  'fixed' or 'sliding'
// ARGV[2]  '' to read the clock from Redis TIME (always, in production: instances with skewed
//          clocks then agree), or a time in ms (tests replaying the seed's example)
// ARGV[3]  '1' to count an allowed request, '0' to only read (a peek)
// ARGV[2+2i], ARGV[3+2i]  window length (ms) and quota of KEYS[i]
//
// Returns {allowed (1|0), now (ms), current_1, previous_1, current_2, previous_2, ...}: the
// counts before this request, from which the caller computes the headers with `decide`.
export const RATE_LIMIT_SCRIPT = `
local sliding = ARGV[1] == 'sliding'
local count = ARGV[3] == '1'
local now
if ARGV[2] ~= '' then
  now = tonumber(ARGV[2])
else
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local function field(ms) return string.format('%.0f', ms) end
local reply = {0, now}
local starts = {}
local allowed = 1
for i = 1, #KEYS do
  local w = tonumber(ARGV[2 + 2 * i])
  local quota = tonumber(ARGV[3 + 2 * i])
  local start = now - (now % w)
  local got = redis.call('HMGET', KEYS[i], field(start), field(start - w))
  local current = tonumber(got[1]) or 0
  local previous = 0
  if sliding then
    previous = tonumber(got[2]) or 0
    if previous * (w - (now - start)) > (quota - 1 - current) * w then allowed = 0 end
  elseif current + 1 > quota then
    allowed = 0
  end
  starts[i] = start
  reply[1 + 2 * i] = current
  reply[2 + 2 * i] = previous
end
if allowed == 1 and count then
  for i = 1, #KEYS do
    local w = tonumber(ARGV[2 + 2 * i])
    local lifetime = w
    if sliding then lifetime = 2 * w end
    redis.call('HINCRBY', KEYS[i], field(starts[i]), 1)
    redis.call('HDEL', KEYS[i], field(starts[i] - lifetime))
    redis.call('PEXPIRE', KEYS[i], starts[i] + lifetime - now)
  end
end
reply[1] = allowed
return reply
`;
