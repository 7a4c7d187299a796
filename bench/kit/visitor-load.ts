import { randomBytes } from 'node:crypto';
import { graphQLBody } from './client.ts';
import type { MixedLoad } from './load.ts';

/**
 * Anonymous visitors of the public site, every request its own visitor: request `n` sends
 * `query` with `variables[n % variables.length]`, from a client address (X-Forwarded-For)
 * no other request has, and, with `visitorIdVariable`, that variable set to a visitor id
 * no other request has. Plain data, as every workload (see workloads.ts).
 */
export interface VisitorWorkload {
  kind: 'visitors';
  name: string;
  query: string;
  /** The variable sets the requests take in turn, e.g. one per page a form is on. */
  variables: Record<string, unknown>[];
  /** The variable that carries each request's own visitor id (e.g. `visitorId`); unset: none sent. */
  visitorIdVariable?: string;
  /** Text every right answer holds (e.g. `"locale":"de"`), besides having no GraphQL `errors` entry. */
  answerContains: string;
}

/**
 * The requests of `workload`, each built as it is sent. Addresses and visitor ids are this
 * load's random 56-bit prefix plus the request's number: unique within the load, and
 * (unless two loads draw the same prefix, a chance in 2^56) across the loads of a run too,
 * so that a per-IP rate limit never sees an address twice, whichever runs came before.
 * IPv6 (fd00::/8, unique local), because 10.0.0.0/8 has room for too few such prefixes.
 */
export function visitorLoad(workload: VisitorWorkload, url: string): MixedLoad {
  if (workload.variables.length === 0) throw new Error(`${workload.name}: no variables to send`);
  const prefix = randomBytes(7).toString('hex');
  const groups = `fd${prefix.slice(0, 2)}:${prefix.slice(2, 6)}:${prefix.slice(6, 10)}:${prefix.slice(10, 14)}`;
  let sent = 0;
  return {
    name: workload.name,
    url,
    next: () => {
      const n = sent++;
      const variables = { ...workload.variables[n % workload.variables.length] };
      if (workload.visitorIdVariable) variables[workload.visitorIdVariable] = `visitor-${prefix}-${n}`;
      return { body: graphQLBody(workload.query, variables), headers: { 'x-forwarded-for': `${groups}::${(n >>> 16).toString(16)}:${(n & 0xffff).toString(16)}` } };
    },
    accepts: (body) => body.includes(workload.answerContains) && !body.includes('"errors"'),
  };
}
