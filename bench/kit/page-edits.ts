import { randomUUID } from 'node:crypto';
import { replaceOp } from 'ot-json1';
import type { SeededUser } from './seed.ts';

const submitMutation = `mutation ($pageId: ID!, $baseVersion: Int!, $operations: [JSON!]!, $submissionId: ID) {
  submitPageOperations(pageId: $pageId, baseVersion: $baseVersion, operations: $operations, submissionId: $submissionId) {
    version
  }
}`;

/** How one edit went. `sentAt` is `performance.now()` just before the request left. */
export type EditOutcome =
  | { accepted: true; submissionId: string; sentAt: number; version: number; roundTripMs: number }
  | { accepted: false; submissionId: string; sentAt: number; error: string };

/**
 * Sends live edits to a page with submitPageOperations, over plain HTTP as an editor's
 * browser does, taking turns among `editors`: the `i`th edit is made by editor
 * `i mod editors.length` and retitles that editor's own Hero node (see `seedLivePage`),
 * so concurrent edits never write the same value and none is transformed into a no-op.
 * Each title carries the edit's number and the wall-clock time it was sent.
 */
export class PageEditPublisher {
  /** Edits sent so far. */
  sent = 0;
  /** Each editor's edits so far (submitPageOperations is limited per user). */
  readonly sentBy: number[];

  constructor(
    private readonly pageId: string,
    private readonly editors: readonly SeededUser[],
    /** The latest version an answer has shown: the base of the next edit. */
    public version: number,
  ) {
    this.sentBy = editors.map(() => 0);
  }

  /**
   * Sends the next edit without waiting for any other, so edits may overlap: each is made
   * against the latest version known when it leaves, and the server transforms it against
   * whatever it accepted meanwhile. `onSend` hears the submissionId and send time before
   * the request leaves, since its event can reach a subscriber before the answer arrives.
   */
  async publish(onSend?: (submissionId: string, sentAt: number) => void): Promise<EditOutcome> {
    const number = this.sent++;
    const editor = number % this.editors.length;
    this.sentBy[editor]!++;
    const submissionId = randomUUID();
    const title = `Edit ${number + 1}, sent at ${new Date().toISOString()}`;
    const operation = replaceOp(['children', editor, 'props', 'title'], true, title);
    const variables = { pageId: this.pageId, baseVersion: this.version, operations: [operation], submissionId };
    const sentAt = performance.now();
    onSend?.(submissionId, sentAt);
    try {
      const { submitPageOperations } = await this.editors[editor]!.client.data<{
        submitPageOperations: { version: number };
      }>(submitMutation, variables);
      const { version } = submitPageOperations;
      this.version = Math.max(this.version, version);
      return { accepted: true, submissionId, sentAt, version, roundTripMs: performance.now() - sentAt };
    } catch (error) {
      return { accepted: false, submissionId, sentAt, error: (error as Error).message };
    }
  }
}
