import { randomUUID } from 'node:crypto';
import type { Client } from 'graphql-ws';
import { type as json1, type JSONOp } from 'ot-json1';
import type { GraphQLClient } from './client.ts';
import { webSocketClient } from './subscriptions.ts';

export const pageEventsSubscription = `subscription ($pageId: ID!, $afterVersion: Int, $sessionId: ID) {
  pageEvents(pageId: $pageId, afterVersion: $afterVersion, sessionId: $sessionId) {
    __typename
    ... on PageOperation { version baseVersion operation submissionId author { id displayName } }
    ... on PagePresenceChanged { change presence { sessionId cursor user { id displayName } } }
  }
}`;

export const submitMutation = `mutation ($pageId: ID!, $baseVersion: Int!, $operations: [JSON!]!, $submissionId: ID) {
  submitPageOperations(pageId: $pageId, baseVersion: $baseVersion, operations: $operations, submissionId: $submissionId) {
    version baseVersion operation submissionId
  }
}`;

interface Submission {
  id: string;
  operation: JSONOp;
}

/**
 * A live editor as a page-builder client would write one, following the ot-json1 rules
 * the API documents: local edits apply at once; one submission is in flight at a time
 * (its base is the last version this editor has seen); incoming operations are
 * transformed against what is in flight and pending; an operation with this editor's own
 * submissionId is its acknowledgement. It checks, as it goes, that versions arrive one
 * by one without a gap.
 */
export class LiveEditor {
  document: unknown;
  version: number;
  readonly submitted: string[] = [];
  readonly problems: string[] = [];
  readonly authorNames = new Set<string>();
  private inflight: Submission | null = null;
  private readonly pending: JSONOp[] = [];
  private socket: Client | undefined;
  private unsubscribe: (() => void) | undefined;
  private idleWaiters: (() => void)[] = [];
  private inflightSince = '';
  /** When each accepted submission's mutation answered (its event may come before or after). */
  private readonly acknowledgedBy = new Map<string, string>();

  constructor(
    private readonly graphqlUrl: string,
    private readonly client: GraphQLClient,
    private readonly token: string,
    private readonly pageId: string,
    initial: { document: unknown; version: number },
  ) {
    this.document = initial.document;
    this.version = initial.version;
  }

  /** Subscribes to the page's events from the version this editor is at. */
  async connect(): Promise<void> {
    this.socket = webSocketClient(this.graphqlUrl, { token: this.token });
    let subscribed!: () => void;
    const started = new Promise<void>((resolve) => (subscribed = resolve));
    this.unsubscribe = this.socket.subscribe(
      { query: pageEventsSubscription, variables: { pageId: this.pageId, afterVersion: this.version } },
      {
        next: (result) => {
          if (result.errors?.length) this.problems.push(`event error: ${JSON.stringify(result.errors)}`);
          const event = (result.data as Record<string, any> | null)?.pageEvents;
          if (event?.__typename === 'PageOperation') this.receive(event);
        },
        error: (error) => this.problems.push(`subscription error: ${JSON.stringify(error)}`),
        complete: () => {},
      },
    );
    // The server has the subscription once its socket is open and the stream started.
    await new Promise((resolve) => setTimeout(resolve, 300));
    subscribed();
    await started;
  }

  async disconnect(): Promise<void> {
    this.unsubscribe?.();
    await this.socket?.dispose();
  }

  /** Applies a local edit and queues it for the server. */
  edit(operation: JSONOp): void {
    // null is ot-json1's no-op (a move onto itself, say): nothing to send.
    if (operation === null) return;
    this.document = json1.apply(this.document as never, operation);
    this.pending.push(operation);
    this.flush();
  }

  /** Resolves once everything this editor did has been acknowledged. */
  idle(timeoutMs = 60_000): Promise<void> {
    if (!this.inflight && this.pending.length === 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      // A submission's transaction may wait 10 s for a connection and run 20 s (see
      // record-audit.ts) before it is refused: wait longer than both.
      const timer = setTimeout(() => reject(new Error(`editor not idle: ${this.state()}`)), timeoutMs);
      this.idleWaiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  /** Where the editor stands, for a failure's message. */
  private state(): string {
    const answered = this.inflight ? this.acknowledgedBy.get(this.inflight.id) : undefined;
    const inflight = this.inflight
      ? `submission ${this.inflight.id} in flight since ${this.inflightSince} (${answered ? `its mutation answered at ${answered}, its event never came` : 'its mutation has not answered'})`
      : 'nothing in flight';
    return `${inflight}, ${this.pending.length} pending, at version ${this.version}; problems: ${this.problems.join('; ') || 'none'}`;
  }

  private receive(event: { version: number; operation: JSONOp; submissionId: string | null; author: { displayName: string } | null }) {
    if (event.author) this.authorNames.add(event.author.displayName);
    if (event.version !== this.version + 1) {
      this.problems.push(`expected version ${this.version + 1}, received ${event.version}`);
      return;
    }
    this.version = event.version;
    if (this.inflight && event.submissionId === this.inflight.id) {
      this.inflight = null;
      this.flush();
      return;
    }
    let incoming = event.operation;
    if (this.inflight) {
      const mine = json1.transformNoConflict(this.inflight.operation, incoming, 'left');
      incoming = json1.transformNoConflict(incoming, this.inflight.operation, 'right');
      this.inflight = { ...this.inflight, operation: mine };
    }
    for (let index = 0; index < this.pending.length; index++) {
      const mine = json1.transformNoConflict(this.pending[index]!, incoming, 'left');
      incoming = json1.transformNoConflict(incoming, this.pending[index]!, 'right');
      this.pending[index] = mine;
    }
    this.document = json1.apply(this.document as never, incoming);
  }

  private flush(): void {
    if (this.inflight) return;
    // A pending edit that another editor's edit made moot (it became a no-op) is dropped.
    while (this.pending[0] === null) this.pending.shift();
    const operation = this.pending.shift();
    if (operation === undefined) {
      for (const waiter of this.idleWaiters.splice(0)) waiter();
      return;
    }
    const submission = { id: randomUUID(), operation };
    this.inflight = submission;
    this.inflightSince = new Date().toISOString();
    this.submitted.push(submission.id);
    this.client
      .request(submitMutation, {
        pageId: this.pageId,
        baseVersion: this.version,
        operations: [operation],
        submissionId: submission.id,
      })
      .then((response) => {
        if (response.errors?.length) this.problems.push(`submission refused: ${JSON.stringify(response.errors)}`);
        else this.acknowledgedBy.set(submission.id, new Date().toISOString());
      })
      .catch((error: unknown) => this.problems.push(`submission failed: ${String(error)}`));
  }
}
