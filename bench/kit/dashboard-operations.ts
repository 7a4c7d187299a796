/**
 * The operations a dashboard sends, as the dashboard writes them: what its pages load and
 * the edits its users make.
 */

/**
 * The query a dashboard sends on every page load: the viewer, their organizations and each
 * organization's first page of members.
 */
export const dashboardQuery = `query Dashboard {
  me {
    id
    displayName
    memberships {
      role
      organization {
        id
        name
        slug
        members(first: 20) {
          totalCount
          edges { node { role user { id displayName email } } }
        }
      }
    }
  }
}`;

/** A panel's query: the first `first` nodes of one of the organization's connections. */
function panelQuery(name: string, field: string, first: number, node: string): string {
  return `query ${name}($orgId: ID!) {
  ${field}(orgId: $orgId, first: ${first}) {
    edges { node { ${node} } }
    pageInfo { hasNextPage endCursor }
  }
}`;
}

/** The tokens panel: the organization's newest tokens, with who created each (from identity). */
export const tokensQuery = panelQuery(
  'Tokens',
  'tokens',
  20,
  'id name symbol decimals initialSupply status updatedAt chain { chainId name } createdBy { id displayName }',
);

/** The activity panel (OWNERs and ADMINs only): the latest audit entries and who acted. */
export const recentAuditQuery = panelQuery(
  'RecentAudit',
  'auditLogs',
  10,
  'id sequence occurredAt action severity targetType targetId actor { id displayName }',
);

/** The pages panel: the organization's newest pages and posts, with their authors. */
export const pagesQuery = panelQuery('Pages', 'pages', 20, 'id title slug kind status version updatedAt createdBy { id displayName }');

/**
 * Renames a page. A title is not part of the document, so the page's version stays as it
 * was loaded and concurrent renames never conflict.
 */
export const renamePageMutation = `mutation RenamePage($id: ID!, $title: String!, $version: Int!) {
  updatePage(id: $id, input: { title: $title }, version: $version) { id title version updatedAt }
}`;

/** Renames an organization (OWNER or ADMIN): every member's dashboard shows the name. */
export const renameOrganizationMutation = `mutation RenameOrganization($id: ID!, $name: String!) {
  updateOrganization(id: $id, input: { name: $name }) { id name }
}`;

/** The smallest authenticated query: what the gateway adds to any request shows alone. */
export const meQuery = `query Me { me { id } }`;

/**
 * Whether a body is a full answer: no GraphQL `errors` entry, and data for the viewer (an
 * unknown or expired token answers `me: null` without an error, which a run must not
 * count as served).
 */
export function isFullAnswer(body: string): boolean {
  return !body.includes('"errors"') && !body.includes('"data":null') && !body.includes('"me":null');
}
