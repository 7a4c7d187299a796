/**
 * Who is editing which page, for live collaborative editing. Only the stores and their
 * types are public; the helpers they share stay inside this folder.
 */
export { MemoryPresenceStore, type PresenceEntry, type PresenceStore } from './presence-store.ts';
export { RedisPresenceStore } from './redis-presence-store.ts';
