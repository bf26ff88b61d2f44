// The Lua scripts of the Redis stores. Redis runs a script to its end before any other command, so
// each script is one atomic step however many processes call it at once: this is where every race of
// the stores is settled, never in a read-then-write from Node. Every key a script touches is passed in
// KEYS. Inside a script Redis replies in RESP2 shapes (a missing value is false).
import { LuaScript } from './LuaScript.ts';

/**
 * Appends one record to the journal if the head is still the one Node chained the record from and, for a
 * record of a verification, that verification's last record is still the one Node chained it to.
 * KEYS: head, records stream, and the verification's index when the record has a verification.
 * ARGV: the head Node saw ('' for an empty journal), the record's seq, its hash, its JSON, and for a
 * record of a verification the number of its records Node saw and the seq of the last ('' for none).
 * Returns {1, '', ''} when appended, or, when another writer moved either, {0, head, verification} with
 * the head as it is now and the verification's as '<count> <seq> <hash>' ('' for none), read from its
 * last record (Lua has no SHA-256, so Node hashes; Redis only tells what it holds).
 */
export const appendRecord = new LuaScript(
	'appendRecord',
	`
local head = redis.call('GET', KEYS[1]) or ''
local moved = head ~= ARGV[1]
if KEYS[3] and not moved then
	local count = redis.call('LLEN', KEYS[3])
	moved = count ~= tonumber(ARGV[5]) or (count > 0 and redis.call('LINDEX', KEYS[3], -1) ~= ARGV[6])
end
if moved then
	local verification = ''
	if KEYS[3] then
		local count = redis.call('LLEN', KEYS[3])
		if count > 0 then
			local last = redis.call('LINDEX', KEYS[3], -1)
			local entry = redis.call('XRANGE', KEYS[2], last, last)[1]
			if not entry then
				return redis.error_reply('journal: the verification index names record ' .. last .. ', which is missing')
			end
			verification = count .. ' ' .. last .. ' ' .. cjson.decode(entry[2][2]).hash
		end
	end
	return {0, head, verification}
end
local headSeq = tonumber(string.match(head, '^(%d+) ') or '0')
if tonumber(ARGV[2]) ~= headSeq + 1 then
	return redis.error_reply('journal: seq ' .. ARGV[2] .. ' does not follow the head ' .. headSeq)
end
redis.call('XADD', KEYS[2], ARGV[2] .. '-0', 'record', ARGV[4])
if KEYS[3] then
	redis.call('RPUSH', KEYS[3], ARGV[2])
end
redis.call('SET', KEYS[1], ARGV[2] .. ' ' .. ARGV[3])
return {1, '', ''}
`,
);

/**
 * The records of one verification as one consistent snapshot.
 * KEYS: the verification's index, records stream. Returns {seq, JSON or false, seq, JSON or false, ...}.
 */
export const readVerificationRecords = new LuaScript(
	'readVerificationRecords',
	`
local seqs = redis.call('LRANGE', KEYS[1], 0, -1)
local result = {}
for index, seq in ipairs(seqs) do
	local entry = redis.call('XRANGE', KEYS[2], seq, seq)[1]
	result[2 * index - 1] = seq
	result[2 * index] = entry and entry[2][2] or false
end
return result
`,
);

/**
 * Sorted-set side effects shared by createRecord, updateRecord and applySetEffects. From KEYS[firstKey]
 * on: the set of each member to add, then the set of each member to remove. From ARGV[firstArg]: the
 * number of members to add, then score and member of each, then each member to remove. Adds go first,
 * as in memory.
 */
const APPLY_EFFECTS = `
local function applyEffects(firstKey, firstArg)
	local key = firstKey
	local arg = firstArg + 1
	for _ = 1, tonumber(ARGV[firstArg]) do
		redis.call('ZADD', KEYS[key], ARGV[arg], ARGV[arg + 1])
		key = key + 1
		arg = arg + 2
	end
	while KEYS[key] do
		redis.call('ZREM', KEYS[key], ARGV[arg])
		key = key + 1
		arg = arg + 1
	end
end
`;

/**
 * Creates a record at version 1 with its side effects, unless the key exists.
 * KEYS: record, then the sets of the effects. ARGV: value JSON, then the effects. Returns 1 or 0.
 */
export const createRecord = new LuaScript(
	'createRecord',
	`${APPLY_EFFECTS}
if redis.call('EXISTS', KEYS[1]) == 1 then
	return 0
end
redis.call('HSET', KEYS[1], 'version', '1', 'value', ARGV[1])
applyEffects(2, 2)
return 1
`,
);

/**
 * Replaces a record still at the expected version, bumping it, with its side effects.
 * KEYS: record, then the sets of the effects. ARGV: value JSON, expected version, then the effects.
 * Returns 1, or 0 when the record is gone or at another version.
 */
export const updateRecord = new LuaScript(
	'updateRecord',
	`${APPLY_EFFECTS}
local version = redis.call('HGET', KEYS[1], 'version')
if version ~= ARGV[2] then
	return 0
end
redis.call('HSET', KEYS[1], 'version', tostring(tonumber(version) + 1), 'value', ARGV[1])
applyEffects(2, 3)
return 1
`,
);

/**
 * Sorted-set changes with no record write, in one step. KEYS: the sets of the effects. ARGV: the effects.
 */
export const applySetEffects = new LuaScript(
	'applySetEffects',
	`${APPLY_EFFECTS}
applyEffects(1, 1)
return 1
`,
);

/**
 * Members of a sorted set from a lowest score, after a cursor, up to a limit, in one snapshot.
 * KEYS: the set. ARGV: lowest score ('-inf' or a number), limit (-1 for none), and optionally the
 * cursor's score and member. Returns {member, score, member, score, ...}.
 *
 * Members tied on score are ordered by their bytes (as Redis orders them), so the ones at or before the
 * cursor form a prefix of the scan that starts at the cursor's score; it is skipped page by page.
 * Members are compared byte by byte rather than with Lua's < because that follows the C locale's
 * collation, which need not be byte order.
 */
export const rangeMembers = new LuaScript(
	'rangeMembers',
	`
local lower = ARGV[1]
local limit = tonumber(ARGV[2])
if limit == 0 then
	return {}
end
local cursorScore = ARGV[3] and tonumber(ARGV[3])
local cursorMember = ARGV[4]
if cursorScore == nil or cursorScore < tonumber(lower) then
	return redis.call('ZRANGE', KEYS[1], lower, '+inf', 'BYSCORE', 'LIMIT', 0, limit, 'WITHSCORES')
end

local function atOrBeforeCursor(member)
	if member == cursorMember then
		return true
	end
	for index = 1, math.min(#member, #cursorMember) do
		local a, b = string.byte(member, index), string.byte(cursorMember, index)
		if a ~= b then
			return a < b
		end
	end
	return #member < #cursorMember
end

local result = {}
local skipping = true
local offset = 0
local page = 128
while true do
	local batch = redis.call('ZRANGE', KEYS[1], ARGV[3], '+inf', 'BYSCORE', 'LIMIT', offset, page, 'WITHSCORES')
	for index = 1, #batch, 2 do
		if skipping and (tonumber(batch[index + 1]) ~= cursorScore or not atOrBeforeCursor(batch[index])) then
			skipping = false
		end
		if not skipping then
			result[#result + 1] = batch[index]
			result[#result + 1] = batch[index + 1]
			if limit > 0 and #result >= 2 * limit then
				return result
			end
		end
	end
	if #batch < 2 * page then
		return result
	end
	offset = offset + page
end
`,
);
