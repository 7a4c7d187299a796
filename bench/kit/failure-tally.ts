/** How many failed responses had one reason. */
export interface FailureCount {
  reason: string;
  count: number;
}

/** Reasons are cut to this length: enough to tell them apart, short enough for a report. */
const reasonLength = 160;

/**
 * Counts failed responses by reason (status, error code, path and message of the first
 * GraphQL error), so that a run can say what went wrong rather than only how often.
 */
export class FailureTally {
  readonly #counts = new Map<string, number>();

  /** Counts one failed response. */
  add(status: number, body: string): void {
    this.count(reasonOf(status, body));
  }

  /** Counts `times` failed responses for `reason`. */
  count(reason: string, times = 1): void {
    this.#counts.set(reason, (this.#counts.get(reason) ?? 0) + times);
  }

  /** Every reason, the most frequent first. */
  counts(): FailureCount[] {
    return [...this.#counts].map(([reason, count]) => ({ reason, count })).sort((a, b) => b.count - a.count);
  }
}

interface ErrorBody {
  errors?: { message?: string; path?: (string | number)[]; extensions?: { code?: string } }[];
}

function reasonOf(status: number, body: string): string {
  let first: NonNullable<ErrorBody['errors']>[number] | undefined;
  try {
    first = (JSON.parse(body) as ErrorBody).errors?.[0];
  } catch {
    // Not JSON (a proxy's error page, a cut-off body): the start of the body says more.
  }
  const reason = first
    ? `${status} ${first.extensions?.code ?? 'no code'} at ${first.path?.join('.') ?? '(operation)'}: ${first.message ?? ''}`
    : `${status}: ${body.replace(/\s+/g, ' ')}`;
  return reason.length > reasonLength ? `${reason.slice(0, reasonLength - 1)}…` : reason;
}

/** The failures of several runs together, the most frequent reason first. */
export function addFailureCounts(runs: readonly (readonly FailureCount[])[]): FailureCount[] {
  const tally = new FailureTally();
  for (const { reason, count } of runs.flat()) tally.count(reason, count);
  return tally.counts();
}
