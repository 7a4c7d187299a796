import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import type { GraphQLClient, GraphQLResponse } from './client.ts';

/** An audit entry as stored, with the columns tests look at. */
export interface StoredAuditEntry {
  organization_id: string | null;
  action: string;
  actor_type: string;
  actor_id: string | null;
  target_type: string | null;
  target_id: string | null;
  severity: string;
  request_id: string;
  changes: Record<string, any> | null;
}

/**
 * Sends one operation with its own request id, and returns the response with what the
 * audit trail recorded for that request (and only that request).
 */
export async function traced(
  db: pg.Client,
  client: GraphQLClient,
  query: string,
  variables?: Record<string, unknown>,
): Promise<{ response: GraphQLResponse; entries: StoredAuditEntry[] }> {
  const requestId = `traced-${randomUUID()}`;
  const response = await client.request(query, variables, { 'x-request-id': requestId });
  const rows = await db.query<StoredAuditEntry>(
    'SELECT * FROM audit.entries WHERE request_id = $1 ORDER BY sequence',
    [requestId],
  );
  return { response, entries: rows.rows };
}
