/** A page of the reference: the root fields one subgraph owns, and the types it is home to. */
export interface Domain {
  /** The subgraph's name, as the supergraph's `join__Graph` names it (lower-case). */
  subgraph: string;
  /** The page's file in docs/api: the subgraph's name with `.md`. */
  file: string;
  title: string;
  /** What the domain is, for the page's opening paragraph. */
  summary: string;
}

/** The index page of docs/api. */
export const indexFile = 'README.md';

/** A domain's page file: its subgraph's name as a Markdown file. */
function page(subgraph: string): string {
  return `${subgraph}.md`;
}

/** The domains in the order the index lists them. */
export const domains: readonly Domain[] = [
  {
    subgraph: 'identity',
    file: page('identity'),
    title: 'Identity & organizations',
    summary:
      'Accounts and sign-in sessions (access and refresh tokens), organizations and their hierarchy, memberships and roles, and each member\'s dashboard layout.',
  },
  {
    subgraph: 'audit',
    file: page('audit'),
    title: 'Audit trail',
    summary:
      "Every critical operation of an organization, append-only and hash-chained: reading and filtering the trail, reports, verifying the chain, live entries, exports to CSV or NDJSON downloaded from a signed link, and security events (failed sign-ins, refusals, reused or revoked credentials) with the alerts their bursts raise.",
  },
  {
    subgraph: 'cms',
    file: page('cms'),
    title: 'Content (cms)',
    summary:
      'Pages and posts built from components, their revisions and publishing, the public read for the marketing site, component libraries and templates, live collaborative editing, and forms of the public site with the leads they collect (listed, exported as CSV from a signed link, erased on request).',
  },
  {
    subgraph: 'tokens',
    file: page('tokens'),
    title: 'Tokens',
    summary:
      "ERC-20 tokens deployed to EVM chains: defining, deploying, minting, transferring, burning, pausing and retiring them, their indexed balances and transactions, and the chains the platform deploys to.",
  },
  {
    subgraph: 'ai',
    file: page('ai'),
    title: 'Assistant (ai)',
    summary:
      "The platform's assistant: private conversations, replies streamed as they are written, the tools it reads the organization's data with, its settings, usage and quota.",
  },
  {
    subgraph: 'integrations',
    file: page('integrations'),
    title: 'Integrations',
    summary:
      'Signed webhooks with reliable delivery, API keys for programs, and OAuth apps (registration, consent, and the tokens users grant them; the token endpoints themselves are HTTP routes described in `/openapi.json`).',
  },
  {
    subgraph: 'analytics',
    file: page('analytics'),
    title: 'Analytics',
    summary:
      "Every organization's metrics, counted from the audit trail and the domains' own rows into hourly and daily rollups: the metric catalogue, summaries against the previous period, chart series in any time zone, each dashboard widget's data (on `DashboardLayout.widgetData`), tracked page views and custom events, live metric updates, and how the graph itself performs (each operation's latency and errors, the service level against its objectives).",
  },
  {
    subgraph: 'workflows',
    file: page('workflows'),
    title: 'Workflows',
    summary:
      "Organizations' automations: a trigger (an event of the platform's catalogue, a cron schedule in a time zone, a manual start or a signed inbound request) and typed steps whose inputs are checked against each step type's JSON Schema when saved, versioned, acting as their creator with the scopes chosen at creation; their runs, executed durably step by step with retries, and followed live.",
  },
  {
    subgraph: 'media',
    file: page('media'),
    title: 'Media',
    summary:
      "Organizations' files: uploads sent straight to storage through presigned URLs (the bytes never cross GraphQL), checked in the background against what was declared (size, SHA-256, the type found in the bytes) and processed (images oriented, stripped of EXIF and GPS data, with WebP variants), and their signed or public URLs.",
  },
];
