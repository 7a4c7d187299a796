/**
 * Runs one `work` per key at a time: callers who ask for a key already in flight share
 * its outcome instead of starting their own (`shared` tells them so).
 */
export class SingleFlight<T> {
  private readonly inFlight = new Map<string, Promise<T>>();

  async run(key: string, work: () => Promise<T>): Promise<{ value: T; shared: boolean }> {
    const running = this.inFlight.get(key);
    if (running) return { value: await running, shared: true };
    const started = work().finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, started);
    return { value: await started, shared: false };
  }
}
