import type { IncomingMessage, ServerResponse } from 'node:http';
import type { PrismaClient } from '@token-nexus/prisma';
import { readBody, sendJson, verifyStandardWebhook, type KeyVault, type Logger } from '@token-nexus/shared';
import type { EngineSettings } from '../engine/engine-settings.ts';
import type { RunNotifier } from '../engine/run-updates.ts';
import { startRun } from '../engine/start-run.ts';
import type { StoredTrigger } from '../models.ts';
import { openInboundSecret } from './inbound-secret.ts';

const hookPath = /^\/hooks\/workflows\/([0-9a-fA-F-]{36})$/;

/** The same bound as the gateway's: inbound messages are events, not uploads. */
const bodyLimitBytes = 256 * 1024;

export interface InboundDependencies {
  prisma: PrismaClient;
  keys: KeyVault;
  settings: EngineSettings;
  notify: RunNotifier;
  logger: Logger;
}

/**
 * `POST /hooks/workflows/<id>` (through the gateway): a Standard Webhooks message for an
 * INBOUND workflow. Checked against the workflow's secret (signature, and a timestamp
 * within five minutes), then one run starts with `trigger.message` = `{ id, timestamp,
 * body }`. The sender's retry of a message (same `webhook-id`) starts nothing new and is
 * answered like the first. Answers: 202 `{ runId }`; 400 for a body that is not a JSON
 * object; 401 for a bad signature; 404 for no such INBOUND workflow; 409 when disabled.
 */
export async function handleInboundRoute(request: IncomingMessage, response: ServerResponse, deps: InboundDependencies): Promise<boolean> {
  const match = hookPath.exec(new URL(request.url ?? '/', 'http://localhost').pathname);
  if (!match) return false;
  if (request.method !== 'POST') {
    sendJson(response, 405, { error: 'use POST' });
    return true;
  }
  const body = await readBody(request, bodyLimitBytes);
  const answer = await receive(deps, match[1]!.toLowerCase(), request, body);
  sendJson(response, answer.status, answer.body);
  return true;
}

async function receive(deps: InboundDependencies, workflowId: string, request: IncomingMessage, body: Buffer) {
  const workflow = await deps.prisma.workflow.findFirst({ where: { id: workflowId, deletedAt: null } });
  const trigger = workflow?.trigger as unknown as StoredTrigger | undefined;
  if (!workflow || trigger?.type !== 'INBOUND' || !workflow.inboundSecret) {
    return { status: 404, body: { error: 'No workflow receives messages here.' } };
  }
  const header = (name: string) => (typeof request.headers[name] === 'string' ? (request.headers[name] as string) : null);
  const verification = verifyStandardWebhook({
    id: header('webhook-id'),
    timestamp: header('webhook-timestamp'),
    signatureHeader: header('webhook-signature'),
    body,
    secret: openInboundSecret(deps.keys, workflow.id, workflow.inboundSecret),
  });
  if (!verification.ok) {
    deps.logger.warn({ workflowId, reason: verification.reason }, 'refused an inbound workflow message');
    return { status: 401, body: { error: verification.reason } };
  }
  if (!workflow.enabled) return { status: 409, body: { error: 'The workflow is disabled.' } };
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    return { status: 400, body: { error: 'The body must be a JSON object.' } };
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    return { status: 400, body: { error: 'The body must be a JSON object.' } };
  }
  const id = header('webhook-id')!;
  const started = await deps.prisma.$transaction((tx) =>
    startRun(
      tx,
      workflow,
      { type: 'INBOUND', payload: { message: { id, timestamp: Number(header('webhook-timestamp')), body: parsed } }, dedupeKey: `inbound:${id}` },
      deps.settings,
    ),
  );
  deps.notify(started.changed);
  return { status: 202, body: { runId: started.id, duplicate: !started.created } };
}
