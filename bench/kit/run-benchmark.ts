/** A benchmark's progress, on stderr, so that stdout holds only its figures. */
export function progress(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}

/** Ctrl-C: the run was stopped on purpose, so no stack trace. */
export class Interrupted extends Error {
  constructor() {
    super('interrupted');
  }
}

/**
 * Runs a benchmark's `main`: a run stopped with Ctrl-C (`wasInterrupted`) says so and
 * exits 130; any other failure prints its error and exits 1.
 */
export function runBenchmark(
  main: () => Promise<void>,
  wasInterrupted: (error: unknown) => boolean = (error) => error instanceof Interrupted,
): void {
  main().catch((error: unknown) => {
    if (wasInterrupted(error)) {
      progress('interrupted');
      process.exitCode = 130;
    } else {
      console.error(error);
      process.exitCode = 1;
    }
  });
}
