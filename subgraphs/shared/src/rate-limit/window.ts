const units = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** Parses a rate-limit window such as `30s`, `1m`, `1h` or `1d` into milliseconds. */
export function parseWindow(window: string): number {
  const match = /^(\d{1,6})(s|m|h|d)$/.exec(window);
  if (!match || Number(match[1]) === 0) {
    throw new Error(`@rateLimit window "${window}" must be a positive number followed by s, m, h or d`);
  }
  return Number(match[1]) * units[match[2] as keyof typeof units];
}
