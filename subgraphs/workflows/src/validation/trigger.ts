import { BadUserInputError, webhookEventTypeNames } from '@token-nexus/shared';
import { CronExpressionParser } from 'cron-parser';
import type { StoredTrigger, TriggerType } from '../models.ts';

/** The trigger as the API receives it. */
export interface TriggerInput {
  type: TriggerType;
  eventType?: string | null;
  filter?: unknown;
  cron?: string | null;
  timeZone?: string | null;
}

const field = (name: string) => `input.trigger.${name}`;

function refuse(name: string, message: string): never {
  throw new BadUserInputError(`trigger.${name}: ${message}`, { field: field(name) });
}

/** True for a zone of the IANA database this process knows (`Intl` throws on any other). */
export function isIanaTimeZone(name: string): boolean {
  if (!/^[A-Za-z0-9_+\-/]{1,64}$/.test(name)) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** Why a cron expression is refused, or null when cron-parser reads it in the zone and it ever fires. */
export function cronProblem(expression: string, timeZone: string): string | null {
  const fields = expression.trim().split(/\s+/);
  if (fields.length !== 5 && fields.length !== 6) return 'must have 5 fields (or 6, seconds first)';
  try {
    // Not cron-parser's `strict`: it also insists on 6 fields, and 5 is what people write.
    CronExpressionParser.parse(expression, { tz: timeZone }).next();
    return null;
  } catch (error) {
    return `is not a valid cron expression (${(error as Error).message})`;
  }
}

/**
 * Checks a trigger: EVENT needs an event type of the platform's catalogue (the one
 * webhooks use) and at most an object filter; SCHEDULE a cron expression read in an IANA
 * zone; MANUAL and INBOUND nothing. A field of another type's is refused rather than kept
 * unused, so what a client reads back is what it runs on.
 */
export function parseTrigger(input: TriggerInput): StoredTrigger {
  const given = (name: 'eventType' | 'filter' | 'cron' | 'timeZone') => input[name] !== undefined && input[name] !== null;
  const allowed: Record<TriggerType, readonly string[]> = {
    EVENT: ['eventType', 'filter'],
    SCHEDULE: ['cron', 'timeZone'],
    MANUAL: [],
    INBOUND: [],
  };
  for (const name of ['eventType', 'filter', 'cron', 'timeZone'] as const) {
    if (given(name) && !allowed[input.type].includes(name)) refuse(name, `is not used by a ${input.type} trigger`);
  }
  switch (input.type) {
    case 'EVENT': {
      if (!input.eventType) refuse('eventType', 'is required for an EVENT trigger');
      if (!webhookEventTypeNames.includes(input.eventType)) refuse('eventType', 'must be a name from webhookEventTypes');
      const filter = input.filter ?? null;
      if (filter !== null && (typeof filter !== 'object' || Array.isArray(filter))) refuse('filter', 'must be a JSON object');
      if (filter !== null && JSON.stringify(filter).length > 4000) refuse('filter', 'must be at most 4,000 characters of JSON');
      return { type: 'EVENT', eventType: input.eventType, filter: filter as Record<string, unknown> | null, cron: null, timeZone: null };
    }
    case 'SCHEDULE': {
      if (!input.cron) refuse('cron', 'is required for a SCHEDULE trigger');
      if (!input.timeZone) refuse('timeZone', 'is required for a SCHEDULE trigger');
      if (!isIanaTimeZone(input.timeZone)) refuse('timeZone', 'must be an IANA time zone such as Europe/Berlin');
      const problem = cronProblem(input.cron, input.timeZone);
      if (problem) refuse('cron', problem);
      return { type: 'SCHEDULE', eventType: null, filter: null, cron: input.cron.trim(), timeZone: input.timeZone };
    }
    case 'MANUAL':
    case 'INBOUND':
      return { type: input.type, eventType: null, filter: null, cron: null, timeZone: null };
  }
}
