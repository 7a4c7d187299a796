/**
 * The operations GraphiQL opens with on a first visit, one tab each: the README's first
 * session (sign up, create an organization, the dashboard) and a live subscription.
 * A unit test validates them against the supergraph (example-tabs.test.ts in
 * gateway/src/explorer), so a schema change that breaks one fails there.
 */

/**
 * The headers editor's starting text (JSON with comments): nothing sent until the line is
 * uncommented, so the schema loads anonymously until then.
 */
export const headersTemplate = `{
  // Paste the accessToken from signUp or logIn, and remove the // below:
  // "Authorization": "Bearer <accessToken>"
}`;

export const signUpOperation = `# Start here: create an account. Copy "accessToken" from the result into the
# headers editor below (Headers), in this tab and the next ones.
mutation SignUp {
  signUp(input: { email: "ada@example.com", password: "violet-harbor-73-quietly-sings", displayName: "Ada" }) {
    accessToken
    refreshToken
    accessTokenExpiresAt
    user { id email displayName }
  }
}
`;

export const createOrganizationOperation = `# With the header  Authorization: Bearer <accessToken>
mutation CreateOrganization {
  createOrganization(input: { name: "Acme", slug: "acme" }) {
    id
    name
    slug
    viewerRole
  }
}
`;

export const dashboardOperation = `# What a dashboard loads: you, your organizations and their first members.
query Dashboard {
  me {
    id
    displayName
    email
    memberships {
      role
      organization {
        id
        name
        slug
        members(first: 20) {
          totalCount
          edges { node { role user { id displayName } } }
        }
      }
    }
  }
}
`;

export const pageEventsOperation = `# Live edits of a page of your organization, over WebSocket: give its id (createPage
# returns it; pages(orgId:) lists them). Events appear below as they happen; Stop ends it.
subscription PageEvents {
  pageEvents(pageId: "<page id>") {
    __typename
    ... on PageOperation { version baseVersion operation author { displayName } }
    ... on PagePresenceChanged { change presence { sessionId user { displayName } } }
  }
}
`;

/** The example operations, in the order of their tabs. */
export const exampleOperations = [signUpOperation, createOrganizationOperation, dashboardOperation, pageEventsOperation];

/** GraphiQL's `defaultTabs`: used on a first visit, before any tab is saved in the browser. */
export const exampleTabs = exampleOperations.map((query) => ({ query, headers: headersTemplate }));
