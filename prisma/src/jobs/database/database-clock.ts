/**
 * The database's clock as seen from this process. Every instance compares run times and
 * leases against the database's `now()` so that instances whose clocks disagree still
 * agree on when a job is due and when a lease ran out; the times a worker writes through
 * Prisma's model API (lease ends, retry times) are computed from the same clock.
 */
export class DatabaseClock {
  #offsetMs = 0;

  /**
   * Learns the offset from a `now()` read by a statement sent at local time `sentAt` (ms).
   * The statement ran between sending and answering, so the database's clock is at most
   * `databaseNow - sentAt` ahead of ours. We take that bound rather than the midpoint: the
   * first statement of a process (connecting, planning) can take far longer to answer than
   * to run, and underestimating the database's time would shorten every lease written with
   * it, so that a live worker's job could be taken over. Overestimating only lengthens a
   * lease, or a retry's wait, by up to one round trip.
   */
  observe(databaseNow: Date, sentAt: number): void {
    this.#offsetMs = databaseNow.getTime() - sentAt;
  }

  /** The database's time `ms` from now (not earlier than it, see {@link observe}). */
  in(ms: number): Date {
    return new Date(Date.now() + this.#offsetMs + ms);
  }
}
