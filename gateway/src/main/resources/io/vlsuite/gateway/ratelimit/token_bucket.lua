-- Token bucket for one tenant, atomically: refill by elapsed time, then take one token if there is one.
-- KEYS[1]: the bucket (a hash: tokens, ts in ms)
-- ARGV[1]: refill rate (tokens per second), ARGV[2]: capacity (burst)
-- Returns {allowed (1/0), tokens left as a string (fractions survive the reply)}.
-- Redis' clock is used so that gateway instances with skewed clocks share one bucket correctly.
local rate = tonumber(ARGV[1])
local capacity = tonumber(ARGV[2])
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)

local state = redis.call('HMGET', KEYS[1], 'tokens', 'ts')
local tokens = tonumber(state[1])
local ts = tonumber(state[2])
if tokens == nil or ts == nil then
  tokens = capacity
  ts = now
end

tokens = math.min(capacity, tokens + math.max(0, now - ts) * rate / 1000)
local allowed = 0
if tokens >= 1 then
  tokens = tokens - 1
  allowed = 1
end

redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'ts', tostring(now))
-- An idle bucket is full again after capacity/rate seconds; keep it a little longer, then let it expire.
redis.call('PEXPIRE', KEYS[1], math.ceil(capacity / rate * 1000) + 1000)
return {allowed, tostring(tokens)}
