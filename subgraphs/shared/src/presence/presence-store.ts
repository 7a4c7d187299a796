/** One editor's presence on a page, as every other editor of that page sees it. */
export interface PresenceEntry {
  /** One editor's session (a browser tab). */
  sessionId: string;
  pageId: string;
  userId: string;
  /** JSON the client sends (cursor/selection); null when none. */
  cursor: unknown;
  /** When this entry lapses unless refreshed, as epoch ms (server clock: Redis TIME for Redis). */
  expiresAt: number;
}

/**
 * Who is editing which page right now. Sessions are kept alive by refreshing them before
 * `expiresAt`; a session that is not refreshed lapses: reads stop returning it at once, and
 * `sweep` removes it later and hands it to exactly one caller, who announces the departure.
 * An editor that leaves cleanly is removed with `remove`, which likewise returns it once.
 */
export interface PresenceStore {
  /**
   * Adds or refreshes a session (refresh keeps its userId; cursor replaced). Returns the entry.
   * The userId of a live session is never replaced, so a session id cannot be taken over by
   * another user; callers compare the returned userId with their own to notice an attempt.
   * A lapsed session that was not swept yet is replaced as if it were new.
   */
  upsert(entry: { sessionId: string; pageId: string; userId: string; cursor: unknown }, ttlMs: number): Promise<PresenceEntry>;
  /** Refreshes an existing live session's TTL and cursor; null when it does not exist or has lapsed (then nothing is written). */
  touch(pageId: string, sessionId: string, cursor: unknown, ttlMs: number): Promise<PresenceEntry | null>;
  /** The session, if live. */
  get(pageId: string, sessionId: string): Promise<PresenceEntry | null>;
  /** Live sessions of a page (lapsed ones are never returned), ordered by sessionId. */
  list(pageId: string): Promise<PresenceEntry[]>;
  /**
   * Removes a session; returns it if THIS call removed it (null if already gone), so exactly one caller announces the departure.
   * A lapsed session that was not swept yet is returned too: removing it takes it away from
   * `sweep`, so this call is the one that must announce it.
   */
  remove(pageId: string, sessionId: string): Promise<PresenceEntry | null>;
  /** Removes every lapsed session of every page and returns them. Atomic: when several processes sweep the same store concurrently, each lapsed session is returned by exactly one of them. At most `limit` (default 500) per call. */
  sweep(limit?: number): Promise<PresenceEntry[]>;
  close(): Promise<void>;
}

/** How many lapsed sessions one `sweep` call removes unless told otherwise. */
export const defaultSweepLimit = 500;

/**
 * TTLs and limits become Redis scores and counts; a fraction or a non-positive value would
 * make an entry that lapses before it is written, or a sweep that removes nothing.
 */
export function assertPositiveInteger(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value <= 0) throw new RangeError(`${name} must be a positive integer, got ${value}`);
}

/**
 * Cursors are stored as JSON text in both stores, so a caller gets back what a client
 * would: a copy, never the object it handed in, with `undefined` read as "no cursor".
 */
export function cursorToJson(cursor: unknown): string {
  return JSON.stringify(cursor ?? null) ?? 'null';
}

/** Plain code-unit order, the same in both stores (Lua's sort would follow the server locale). */
export function bySessionId(a: PresenceEntry, b: PresenceEntry): number {
  return a.sessionId < b.sessionId ? -1 : a.sessionId > b.sessionId ? 1 : 0;
}

interface StoredSession {
  userId: string;
  cursorJson: string;
  expiresAt: number;
}

/**
 * One process's presence, on its own clock (`Date.now()`), for the embedded single-process
 * mode. Every method finishes its work before its first `await`, so concurrent calls
 * cannot interleave and `sweep` hands each lapsed session out once, as the Redis store does.
 */
export class MemoryPresenceStore implements PresenceStore {
  private readonly pages = new Map<string, Map<string, StoredSession>>();

  async upsert(entry: { sessionId: string; pageId: string; userId: string; cursor: unknown }, ttlMs: number): Promise<PresenceEntry> {
    assertPositiveInteger('ttlMs', ttlMs);
    const now = Date.now();
    const sessions = this.pages.get(entry.pageId) ?? new Map<string, StoredSession>();
    this.pages.set(entry.pageId, sessions);
    const existing = sessions.get(entry.sessionId);
    const userId = existing && existing.expiresAt > now ? existing.userId : entry.userId;
    const stored = { userId, cursorJson: cursorToJson(entry.cursor), expiresAt: now + ttlMs };
    sessions.set(entry.sessionId, stored);
    return toEntry(entry.pageId, entry.sessionId, stored);
  }

  async touch(pageId: string, sessionId: string, cursor: unknown, ttlMs: number): Promise<PresenceEntry | null> {
    assertPositiveInteger('ttlMs', ttlMs);
    const now = Date.now();
    const stored = this.pages.get(pageId)?.get(sessionId);
    if (!stored || stored.expiresAt <= now) return null;
    stored.cursorJson = cursorToJson(cursor);
    stored.expiresAt = now + ttlMs;
    return toEntry(pageId, sessionId, stored);
  }

  async get(pageId: string, sessionId: string): Promise<PresenceEntry | null> {
    const stored = this.pages.get(pageId)?.get(sessionId);
    return stored && stored.expiresAt > Date.now() ? toEntry(pageId, sessionId, stored) : null;
  }

  async list(pageId: string): Promise<PresenceEntry[]> {
    const now = Date.now();
    const live: PresenceEntry[] = [];
    for (const [sessionId, stored] of this.pages.get(pageId) ?? []) if (stored.expiresAt > now) live.push(toEntry(pageId, sessionId, stored));
    return live.sort(bySessionId);
  }

  async remove(pageId: string, sessionId: string): Promise<PresenceEntry | null> {
    const sessions = this.pages.get(pageId);
    const stored = sessions?.get(sessionId);
    if (!sessions || !stored) return null;
    this.forget(pageId, sessions, sessionId);
    return toEntry(pageId, sessionId, stored);
  }

  async sweep(limit = defaultSweepLimit): Promise<PresenceEntry[]> {
    assertPositiveInteger('limit', limit);
    const now = Date.now();
    const lapsed: PresenceEntry[] = [];
    for (const [pageId, sessions] of this.pages)
      for (const [sessionId, stored] of sessions) if (stored.expiresAt <= now) lapsed.push(toEntry(pageId, sessionId, stored));
    // Longest-lapsed first, so a backlog larger than `limit` drains oldest first.
    const swept = lapsed.sort((a, b) => a.expiresAt - b.expiresAt).slice(0, limit);
    for (const entry of swept) this.forget(entry.pageId, this.pages.get(entry.pageId)!, entry.sessionId);
    return swept;
  }

  async close(): Promise<void> {
    this.pages.clear();
  }

  private forget(pageId: string, sessions: Map<string, StoredSession>, sessionId: string): void {
    sessions.delete(sessionId);
    if (sessions.size === 0) this.pages.delete(pageId);
  }
}

function toEntry(pageId: string, sessionId: string, stored: StoredSession): PresenceEntry {
  return { sessionId, pageId, userId: stored.userId, cursor: JSON.parse(stored.cursorJson), expiresAt: stored.expiresAt };
}
