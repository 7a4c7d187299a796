import { ConfigError } from '../config/load-env.ts';
import { StartupError } from './startup-error.ts';

/**
 * Runs a service as the process's whole job (a `main.ts`): starts it, closes it on
 * SIGTERM or SIGINT (draining in-flight requests, then releasing the database), and on
 * bad configuration or a start-up problem a person can fix (StartupError) prints what
 * to do and exits with 1 instead of a stack.
 */
export async function runService<T extends { close(): Promise<void> }>(
  start: () => Promise<T>,
  onStarted: (service: T) => void = () => {},
): Promise<void> {
  let service: T;
  try {
    service = await start();
  } catch (error) {
    if (error instanceof ConfigError || error instanceof StartupError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  onStarted(service);
  const stop = (signal: NodeJS.Signals) => {
    const stopping = performance.now();
    console.log(`Stopping on ${signal}: ending subscriptions, answering requests in flight, finishing running jobs…`);
    service.close().then(
      () => {
        console.log(`Stopped in ${((performance.now() - stopping) / 1000).toFixed(1)} s.`);
        process.exit(0);
      },
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}
