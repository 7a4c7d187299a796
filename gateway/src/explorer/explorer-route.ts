import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { sendJson } from '@token-nexus/shared';
import { asksForHtml } from '../http/asks-for-html.ts';
import type { Route, RouteRequest } from '../http/router.ts';
import { explorerContentSecurityPolicy } from './content-security-policy.ts';
import { explorerAssetPrefix, explorerBuildCommand, explorerPageFile } from './explorer-files.ts';
import { fileIn, sendFile } from './static-file.ts';

export interface ExplorerRouteOptions {
  /** Where the build wrote the page and its assets (see explorer-files.ts). */
  distDir: string;
}

/** Every explorer response carries the policy; it only takes effect on the page itself. */
const securityHeaders = {
  'content-security-policy': explorerContentSecurityPolicy,
  'referrer-policy': 'no-referrer',
};

/**
 * GraphiQL, self-hosted: `GET /graphql` from a browser (Accept: text/html) gets the page,
 * and `/graphql/explorer/<file>` its scripts, styles, fonts and workers. Other requests
 * to /graphql are left to the GraphQL route, so list these routes before it.
 */
export function explorerRoutes(options: ExplorerRouteOptions): Route[] {
  return [
    {
      matches: (path, request) => path === '/graphql' && asksForHtml(request),
      handle: (route) => servePage(route, options),
    },
    {
      matches: (path) => path.startsWith(explorerAssetPrefix),
      handle: (route) => serveAsset(route, options),
    },
  ];
}

async function servePage({ request, response }: RouteRequest, { distDir }: ExplorerRouteOptions): Promise<void> {
  const headers = { ...securityHeaders, 'cache-control': 'no-cache' };
  if (!(await sendFile(response, join(distDir, explorerPageFile), request.method, headers))) answerNotBuilt(response);
}

async function serveAsset(route: RouteRequest, { distDir }: ExplorerRouteOptions): Promise<void> {
  const { request, response, requestId } = route;
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    sendJson(response, 405, { error: 'use GET', requestId }, { allow: 'GET, HEAD' });
    return;
  }
  const file = fileIn(distDir, route.path.slice(explorerAssetPrefix.length));
  if (file && (await sendFile(response, file, request.method, securityHeaders))) return;
  if (!existsSync(join(distDir, explorerPageFile))) return answerNotBuilt(response);
  sendJson(response, 404, { error: 'not found', requestId });
}

/** The bundle is made at install time; a checkout that skipped it is told how to make it. */
function answerNotBuilt(response: RouteRequest['response']): void {
  const message = `The GraphiQL explorer is not built. Run \`${explorerBuildCommand}\` (pnpm install runs it), then reload.\n`;
  response.writeHead(503, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
  response.end(message);
}
