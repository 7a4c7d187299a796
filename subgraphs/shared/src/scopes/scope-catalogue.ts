/**
 * Every scope an API key or OAuth app can hold, and what it lets the holder reach. The
 * fields say which they need with `@scopes` in their subgraph's
 * schema; this list is what clients may ask for (anything else is refused on creation).
 */
export const scopeCatalogue = {
  'organization:read': 'Read the organization, its settings and its members.',
  'tokens:read': "Read the organization's tokens, their transactions and balances, and the chains.",
  'tokens:write': 'Create and deploy tokens; mint, transfer, burn, pause, resume and retire them.',
  'cms:read': "Read the organization's pages, revisions, components and templates.",
  'cms:write': 'Create, edit, publish, unpublish and archive pages; manage components and templates.',
  'audit:read': "Read, report on, verify and export the organization's audit trail.",
  'webhooks:read': "Read the organization's webhook endpoints and their delivery logs.",
  'analytics:read': "Read the organization's metrics, their series and its dashboards' widget data.",
  'analytics:write': 'Send the organization\'s custom events (trackEvent).',
  'webhooks:write': 'Create, change, rotate, test and delete webhook endpoints; replay deliveries.',
  'workflows:read': "Read the organization's workflows, the step types they can use, and their runs.",
  'workflows:write': 'Create, change, enable, disable and delete workflows; start, cancel and retry runs.',
  'ai:read': "Read your conversations with the organization's assistant and follow its replies, and the tools it may use.",
  'ai:write': "Start and change conversations with the organization's assistant, send them messages and stop replies.",
  'media:read': "Read the organization's media assets and get their download URLs.",
  'media:write': 'Upload media, change its title and alt text, and delete it.',
} as const;

export type Scope = keyof typeof scopeCatalogue;

export const scopeNames = Object.keys(scopeCatalogue) as Scope[];

export function isScope(name: string): name is Scope {
  return Object.hasOwn(scopeCatalogue, name);
}
