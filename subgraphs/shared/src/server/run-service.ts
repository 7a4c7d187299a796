import { ConfigError } from '../config/load-env.ts';

/**
 * Runs a service as the process's whole job (a `main.ts`): starts it, closes it on
 * SIGTERM or SIGINT (draining in-flight requests, then releasing the database), and on
 * bad configuration prints which variable is wrong and exits with 1 instead of a stack.
 */
export async function runService<T extends { close(): Promise<void> }>(
  start: () => Promise<T>,
  onStarted: (service: T) => void = () => {},
): Promise<void> {
  let service: T;
  try {
    service = await start();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  onStarted(service);
  const stop = () => {
    service.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}
