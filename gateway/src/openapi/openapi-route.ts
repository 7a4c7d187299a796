import { sendJson } from '@token-nexus/shared';
import type { Route } from '../http/router.ts';
import { openApiDocument } from './openapi-document.ts';

/** Where the gateway serves its OpenAPI document. */
export const openApiPath = '/openapi.json';

/**
 * `GET /openapi.json`: the OpenAPI 3.1 description of the gateway's HTTP routes. It is
 * public (it says nothing the routes do not) and the same on every instance.
 */
export function openApiRoute(): Route {
  const body = JSON.stringify(openApiDocument);
  return {
    matches: (path) => path === openApiPath,
    handle: ({ request, response, requestId }) => {
      if (request.method !== 'GET') return sendJson(response, 405, { error: 'use GET', requestId });
      response.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
      response.end(body);
    },
  };
}
