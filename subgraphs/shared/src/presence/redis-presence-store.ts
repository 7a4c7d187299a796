import { whenConnected, type Redis } from '../redis/redis-client.ts';
import {
  assertPositiveInteger,
  bySessionId,
  cursorToJson,
  defaultSweepLimit,
  type PresenceEntry,
  type PresenceStore,
} from './presence-store.ts';

/**
 * How long a page's keys outlive its latest session. Sweeping normally removes sessions
 * long before; the expiry only matters when every process has died, so nothing leaks.
 */
const keyGraceMs = 60_000;

/**
 * Milliseconds on Redis's own clock, so replicas with skewed clocks agree on which
 * sessions have lapsed.
 */
const clockLua = `
local function clock()
  local time = redis.call('TIME')
  return tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
end
`;

/**
 * Every script that changes a page ends here, to keep the page's entry in the pages index
 * and the keys' expiry true to what the page now holds.
 *
 * The index is scored by the page's EARLIEST expiry, not its latest: a sweep looks for
 * pages scored at or before now, and a page where one editor stays while another's tab
 * died must be found too, or that departure would wait for the last editor to leave.
 * The keys expire a grace period past the LATEST expiry instead, so a live session is
 * never dropped; the index only ever extends its own expiry, as it serves every page.
 *
 * KEYS[1] sessions, ZSET sessionId -> expiresAt
 * KEYS[2] users,    HASH sessionId -> userId
 * KEYS[3] cursors,  HASH sessionId -> cursor JSON
 * KEYS[4] pages,    ZSET pageId -> earliest expiresAt of the page
 */
const reindexLua = `
local function reindex(pageId, now)
  local earliest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  if #earliest == 0 then
    redis.call('ZREM', KEYS[4], pageId)
    redis.call('DEL', KEYS[2], KEYS[3])
    return
  end
  redis.call('ZADD', KEYS[4], earliest[2], pageId)
  local latest = tonumber(redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')[2])
  local keep = math.max(latest - now, 0) + ${keyGraceMs}
  redis.call('PEXPIRE', KEYS[1], keep)
  redis.call('PEXPIRE', KEYS[2], keep)
  redis.call('PEXPIRE', KEYS[3], keep)
  if redis.call('PTTL', KEYS[4]) < keep then redis.call('PEXPIRE', KEYS[4], keep) end
end
`;

/**
 * ARGV pageId, sessionId, userId, cursor JSON, ttl in ms
 * returns {userId, cursor JSON, expiresAt}
 *
 * Users and cursors are kept in separate hashes so that keeping a live session's userId
 * never makes Lua parse or re-encode the client's JSON (cjson would round long numbers and
 * turn an empty array into an object).
 */
const upsertScript = `${clockLua}${reindexLua}
local sessionId, userId = ARGV[2], ARGV[3]
local now = clock()
local previous = redis.call('ZSCORE', KEYS[1], sessionId)
if previous and tonumber(previous) > now then userId = redis.call('HGET', KEYS[2], sessionId) or userId end
local expiresAt = now + tonumber(ARGV[5])
redis.call('ZADD', KEYS[1], expiresAt, sessionId)
redis.call('HSET', KEYS[2], sessionId, userId)
redis.call('HSET', KEYS[3], sessionId, ARGV[4])
reindex(ARGV[1], now)
return {userId, ARGV[4], expiresAt}
`;

/**
 * ARGV pageId, sessionId, cursor JSON, ttl in ms
 * returns {userId, cursor JSON, expiresAt}, or nil without writing when the session is
 * unknown or lapsed (a lapsed one is left for `sweep` to announce).
 */
const touchScript = `${clockLua}${reindexLua}
local sessionId = ARGV[2]
local now = clock()
local previous = redis.call('ZSCORE', KEYS[1], sessionId)
if not previous or tonumber(previous) <= now then return false end
local expiresAt = now + tonumber(ARGV[4])
redis.call('ZADD', KEYS[1], expiresAt, sessionId)
redis.call('HSET', KEYS[3], sessionId, ARGV[3])
reindex(ARGV[1], now)
return {redis.call('HGET', KEYS[2], sessionId) or '', ARGV[3], expiresAt}
`;

/**
 * KEYS[1] sessions, KEYS[2] users, KEYS[3] cursors; ARGV sessionId
 * returns {userId, cursor JSON, expiresAt} when live, else nil
 */
const getScript = `${clockLua}
local expiresAt = redis.call('ZSCORE', KEYS[1], ARGV[1])
if not expiresAt or tonumber(expiresAt) <= clock() then return false end
return {redis.call('HGET', KEYS[2], ARGV[1]) or '', redis.call('HGET', KEYS[3], ARGV[1]) or 'null', expiresAt}
`;

/**
 * KEYS[1] sessions, KEYS[2] users, KEYS[3] cursors
 * returns the live sessions, flat: sessionId, userId, cursor JSON, expiresAt, ...
 */
const listScript = `${clockLua}
local live = redis.call('ZRANGEBYSCORE', KEYS[1], '(' .. clock(), '+inf', 'WITHSCORES')
local entries = {}
for i = 1, #live, 2 do
  local sessionId = live[i]
  table.insert(entries, sessionId)
  table.insert(entries, redis.call('HGET', KEYS[2], sessionId) or '')
  table.insert(entries, redis.call('HGET', KEYS[3], sessionId) or 'null')
  table.insert(entries, live[i + 1])
end
return entries
`;

/**
 * ARGV pageId, sessionId
 * returns {sessionId, userId, cursor JSON, expiresAt} when this call removed the session,
 * lapsed or not, else nil
 */
const removeScript = `${clockLua}${reindexLua}
local sessionId = ARGV[2]
local expiresAt = redis.call('ZSCORE', KEYS[1], sessionId)
if not expiresAt then return false end
local entry = {sessionId, redis.call('HGET', KEYS[2], sessionId) or '', redis.call('HGET', KEYS[3], sessionId) or 'null', expiresAt}
redis.call('ZREM', KEYS[1], sessionId)
redis.call('HDEL', KEYS[2], sessionId)
redis.call('HDEL', KEYS[3], sessionId)
reindex(ARGV[1], clock())
return entry
`;

/**
 * KEYS[1] pages; ARGV limit
 * returns up to `limit` pages that may hold lapsed sessions, longest-lapsed first
 */
const sweepCandidatesScript = `${clockLua}
return redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', clock(), 'LIMIT', 0, tonumber(ARGV[1]))
`;

/**
 * Reads and removes a page's lapsed sessions in one step, so of any number of concurrent
 * sweepers exactly one gets each session.
 *
 * ARGV pageId, limit
 * returns the removed sessions, flat: sessionId, userId, cursor JSON, expiresAt, ...
 */
const sweepPageScript = `${clockLua}${reindexLua}
local now = clock()
local lapsed = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'WITHSCORES', 'LIMIT', 0, tonumber(ARGV[2]))
local entries = {}
for i = 1, #lapsed, 2 do
  local sessionId = lapsed[i]
  table.insert(entries, sessionId)
  table.insert(entries, redis.call('HGET', KEYS[2], sessionId) or '')
  table.insert(entries, redis.call('HGET', KEYS[3], sessionId) or 'null')
  table.insert(entries, lapsed[i + 1])
  redis.call('ZREM', KEYS[1], sessionId)
  redis.call('HDEL', KEYS[2], sessionId)
  redis.call('HDEL', KEYS[3], sessionId)
end
reindex(ARGV[1], now)
return entries
`;

type PageKeys = [sessions: string, users: string, cursors: string, pages: string];
type Reply = (string | number)[];

interface PresenceCommands {
  tnxPresenceUpsert(...keysAndArgs: [...PageKeys, string, string, string, string, number]): Promise<Reply>;
  tnxPresenceTouch(...keysAndArgs: [...PageKeys, string, string, string, number]): Promise<Reply | null>;
  tnxPresenceGet(sessions: string, users: string, cursors: string, sessionId: string): Promise<Reply | null>;
  tnxPresenceList(sessions: string, users: string, cursors: string): Promise<Reply>;
  tnxPresenceRemove(...keysAndArgs: [...PageKeys, string, string]): Promise<Reply | null>;
  tnxPresenceSweepCandidates(pages: string, limit: number): Promise<string[]>;
  tnxPresenceSweepPage(...keysAndArgs: [...PageKeys, string, number]): Promise<Reply>;
}

/**
 * Presence shared by every replica, in one Redis. Each operation is one Lua script, so it
 * is atomic and reads the Redis clock.
 *
 * Per page: `<prefix>presence:sessions:<pageId>` (ZSET of sessionIds scored by expiry),
 * `<prefix>presence:users:<pageId>` and `<prefix>presence:cursors:<pageId>` (HASHes by
 * sessionId); for the whole store, `<prefix>presence:pages` (ZSET of pageIds scored by
 * their earliest expiry) so a sweep visits only pages that can hold lapsed sessions. The
 * kind of key comes before the page id so that no page id (not even `pages`) can name
 * another page's key or the index.
 */
export class RedisPresenceStore implements PresenceStore {
  private readonly commands: PresenceCommands;

  /** `keyPrefix` has intentionally no default, so two services cannot share presence by accident. */
  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix: string,
  ) {
    redis.defineCommand('tnxPresenceUpsert', { numberOfKeys: 4, lua: upsertScript });
    redis.defineCommand('tnxPresenceTouch', { numberOfKeys: 4, lua: touchScript });
    redis.defineCommand('tnxPresenceGet', { numberOfKeys: 3, lua: getScript });
    redis.defineCommand('tnxPresenceList', { numberOfKeys: 3, lua: listScript });
    redis.defineCommand('tnxPresenceRemove', { numberOfKeys: 4, lua: removeScript });
    redis.defineCommand('tnxPresenceSweepCandidates', { numberOfKeys: 1, lua: sweepCandidatesScript });
    redis.defineCommand('tnxPresenceSweepPage', { numberOfKeys: 4, lua: sweepPageScript });
    this.commands = redis as unknown as PresenceCommands;
  }

  async upsert(entry: { sessionId: string; pageId: string; userId: string; cursor: unknown }, ttlMs: number): Promise<PresenceEntry> {
    assertPositiveInteger('ttlMs', ttlMs);
    await whenConnected(this.redis);
    const reply = await this.commands.tnxPresenceUpsert(
      ...this.keys(entry.pageId),
      entry.pageId,
      entry.sessionId,
      entry.userId,
      cursorToJson(entry.cursor),
      ttlMs,
    );
    return toEntry(entry.pageId, [entry.sessionId, ...reply]);
  }

  async touch(pageId: string, sessionId: string, cursor: unknown, ttlMs: number): Promise<PresenceEntry | null> {
    assertPositiveInteger('ttlMs', ttlMs);
    await whenConnected(this.redis);
    const reply = await this.commands.tnxPresenceTouch(...this.keys(pageId), pageId, sessionId, cursorToJson(cursor), ttlMs);
    return reply ? toEntry(pageId, [sessionId, ...reply]) : null;
  }

  async get(pageId: string, sessionId: string): Promise<PresenceEntry | null> {
    await whenConnected(this.redis);
    const [sessions, users, cursors] = this.keys(pageId);
    const reply = await this.commands.tnxPresenceGet(sessions, users, cursors, sessionId);
    return reply ? toEntry(pageId, [sessionId, ...reply]) : null;
  }

  async list(pageId: string): Promise<PresenceEntry[]> {
    await whenConnected(this.redis);
    const [sessions, users, cursors] = this.keys(pageId);
    return toEntries(pageId, await this.commands.tnxPresenceList(sessions, users, cursors)).sort(bySessionId);
  }

  async remove(pageId: string, sessionId: string): Promise<PresenceEntry | null> {
    await whenConnected(this.redis);
    const reply = await this.commands.tnxPresenceRemove(...this.keys(pageId), pageId, sessionId);
    return reply ? toEntry(pageId, reply) : null;
  }

  /**
   * Finds candidate pages first, then sweeps each in its own script: a script may only
   * touch the keys it is given, and which pages to visit is not known before the index is
   * read. Exactly-once still holds because each page's lapsed sessions are read and
   * removed in one step; a sweeper that comes second to a page just finds nothing there.
   */
  async sweep(limit = defaultSweepLimit): Promise<PresenceEntry[]> {
    assertPositiveInteger('limit', limit);
    await whenConnected(this.redis);
    const swept: PresenceEntry[] = [];
    for (const pageId of await this.commands.tnxPresenceSweepCandidates(this.pagesKey(), limit)) {
      if (swept.length >= limit) break;
      swept.push(...toEntries(pageId, await this.commands.tnxPresenceSweepPage(...this.keys(pageId), pageId, limit - swept.length)));
    }
    return swept;
  }

  async close(): Promise<void> {
    // Nothing is buffered to flush (no offline queue), and quit() would throw while Redis
    // is unreachable: a shutdown must not depend on it.
    this.redis.disconnect();
  }

  private keys(pageId: string): PageKeys {
    const base = `${this.keyPrefix}presence:`;
    return [`${base}sessions:${pageId}`, `${base}users:${pageId}`, `${base}cursors:${pageId}`, this.pagesKey()];
  }

  private pagesKey(): string {
    return `${this.keyPrefix}presence:pages`;
  }

}

/** One session from a script's reply: sessionId, userId, cursor JSON, expiresAt. */
function toEntry(pageId: string, [sessionId, userId, cursorJson, expiresAt]: Reply): PresenceEntry {
  return { sessionId: String(sessionId), pageId, userId: String(userId), cursor: JSON.parse(String(cursorJson)), expiresAt: Number(expiresAt) };
}

function toEntries(pageId: string, flat: Reply): PresenceEntry[] {
  const entries: PresenceEntry[] = [];
  for (let at = 0; at < flat.length; at += 4) entries.push(toEntry(pageId, flat.slice(at, at + 4)));
  return entries;
}
