/**
 * The presence state machine of presence-rules.ts as one Redis script, so that each change of a
 * user's presence is atomic however many instances apply changes at once. Keep the two in step
 * (presence-stores.spec.ts runs the same scenarios against both).
 *
 * KEYS: 1 the user's socket leases (sorted set: socket key → lease end), 2 the user's state
 *       (hash: status, activeAt, seenAt, emptySince), 3 the due set (user → next look).
 * ARGV: 1 op, 2 now, 3 ttl, 4 away, 5 grace (ms), 6 user id, 7 seconds to keep the state,
 *       8.. socket keys.
 * Returns { previous status, status, seenAt or '' }.
 */
export const PRESENCE_SCRIPT = `
local sockets, stateKey, dueKey = KEYS[1], KEYS[2], KEYS[3]
local op = ARGV[1]
local now, ttl, away, grace = tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
local user, keep = ARGV[6], tonumber(ARGV[7])

local st = redis.call('HMGET', stateKey, 'status', 'activeAt', 'seenAt', 'emptySince')
local previous = st[1] or 'OFFLINE'
local activeAt = tonumber(st[2]) or 0
local seenAt = tonumber(st[3])
local emptySince = tonumber(st[4])

if op == 'connect' or op == 'heartbeat' then
  for i = 8, #ARGV do redis.call('ZADD', sockets, now + ttl, ARGV[i]) end
elseif op == 'disconnect' then
  for i = 8, #ARGV do redis.call('ZREM', sockets, ARGV[i]) end
end

local lapsed = redis.call('ZRANGEBYSCORE', sockets, '-inf', now, 'WITHSCORES')
local lastRenewal = nil
if #lapsed > 0 then
  lastRenewal = tonumber(lapsed[#lapsed]) - ttl
  redis.call('ZREMRANGEBYSCORE', sockets, '-inf', now)
end
local count = redis.call('ZCARD', sockets)
if op == 'connect' or (op == 'active' and count > 0) then activeAt = now end

local status = previous
local nextAt = nil
if count > 0 then
  emptySince = nil
  seenAt = now
  if now - activeAt >= away then
    status = 'AWAY'
  else
    status = 'ONLINE'
    nextAt = activeAt + away
  end
  local first = tonumber(redis.call('ZRANGE', sockets, 0, 0, 'WITHSCORES')[2])
  if nextAt == nil or first < nextAt then nextAt = first end
  local last = tonumber(redis.call('ZRANGE', sockets, -1, -1, 'WITHSCORES')[2])
  redis.call('PEXPIREAT', sockets, last + 1000)
elseif previous ~= 'OFFLINE' then
  if emptySince == nil then
    if op ~= 'disconnect' and lastRenewal ~= nil then emptySince = lastRenewal else emptySince = now end
  end
  if now - emptySince >= grace then
    status = 'OFFLINE'
    seenAt = emptySince
    emptySince = nil
  else
    nextAt = emptySince + grace
  end
end

redis.call('HSET', stateKey, 'status', status, 'activeAt', string.format('%.0f', activeAt))
if seenAt then redis.call('HSET', stateKey, 'seenAt', string.format('%.0f', seenAt)) end
if emptySince then
  redis.call('HSET', stateKey, 'emptySince', string.format('%.0f', emptySince))
else
  redis.call('HDEL', stateKey, 'emptySince')
end
redis.call('EXPIRE', stateKey, keep)
if nextAt then redis.call('ZADD', dueKey, string.format('%.0f', nextAt), user) else redis.call('ZREM', dueKey, user) end
return { previous, status, seenAt and string.format('%.0f', seenAt) or '' }
`;
