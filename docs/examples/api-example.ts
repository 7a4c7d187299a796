import type { ErrorCode } from '@token-nexus/shared';

/**
 * An example operation of the API reference. The reference shows it as it is, and
 * test/api-docs/examples.test.ts runs it against a real graph (with the ids of data it seeds
 * in place of the ones shown), so an example that stops working fails a test.
 */
export interface ApiExample {
  /** The root field it shows: `Query.me`, `Mutation.signUp`, `Subscription.pageEvents`. */
  field: string;
  /** What it does, as a sentence. */
  title: string;
  /** Who sends it: nobody signed in, or a user with their access token. */
  caller: 'anonymous' | 'user';
  /** The operation, named. */
  operation: string;
  variables: Record<string, unknown>;
  /**
   * When the graph answers this example with an error because it needs something outside
   * the graph (a running chain, an AI provider), the code it answers and why; the test
   * expects exactly that code.
   */
  answers?: { code: ErrorCode; because: string };
}
