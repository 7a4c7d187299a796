/**
 * The database's clock as seen from this process. Every instance compares run times and
 * leases against the database's `now()` so that instances whose clocks disagree still
 * agree on when a job is due and when a lease ran out; the times a worker writes through
 * Prisma's model API are computed from the same clock.
 */
export class DatabaseClock {
  #offsetMs = 0;

  /**
   * Learns the offset from a `now()` read by a statement sent at `sentAt` and answered at
   * `receivedAt` (local times, ms). The statement ran somewhere in between: the midpoint
   * is off by at most half the round trip.
   */
  observe(databaseNow: Date, sentAt: number, receivedAt: number): void {
    this.#offsetMs = databaseNow.getTime() - (sentAt + receivedAt) / 2;
  }

  /** The database's current time, `ms` from now. */
  in(ms: number): Date {
    return new Date(Date.now() + this.#offsetMs + ms);
  }
}
