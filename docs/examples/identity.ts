import type { ApiExample } from './api-example.ts';

const orgId = '8d0c3a52-6f1e-4b7a-9c2d-1e5f7a9b3c40';
const userId = '2b7e9f14-3c8a-4d6e-b1f0-5a9c7e3d2b18';

/** Examples of the identity & organizations page. */
export const identityExamples: ApiExample[] = [
  {
    field: 'Query.me',
    title: 'who you are, and your organizations with your role in each',
    caller: 'user',
    operation: `query Me {
  me {
    id
    email
    displayName
    memberships { role organization { id name slug } }
  }
}`,
    variables: {},
  },
  {
    field: 'Query.organization',
    title: 'an organization by its slug, with your role and its first members',
    caller: 'user',
    operation: `query Organization($slug: String!) {
  organization(slug: $slug) {
    id
    name
    viewerRole
    members(first: 10) {
      totalCount
      edges { node { role user { displayName } } }
    }
  }
}`,
    variables: { slug: 'acme' },
  },
  {
    field: 'Query.publicOrganization',
    title: 'what a public site may know of an organization',
    caller: 'anonymous',
    operation: `query PublicOrganization($slug: String!) {
  publicOrganization(slug: $slug) { id name slug }
}`,
    variables: { slug: 'acme' },
  },
  {
    field: 'Query.dashboardLayout',
    title: 'your saved dashboard in an organization with every widget\'s data, in one query (null before the first save)',
    caller: 'user',
    operation: `query DashboardLayout($orgId: ID!) {
  dashboardLayout(orgId: $orgId) {
    version layouts widgets updatedAt
    widgetData {
      widgetId chart error { code message }
      summary { value previousValue change }
      series { label unit points { t v } }
    }
  }
}`,
    variables: { orgId },
  },
  {
    field: 'Mutation.signUp',
    title: 'creating an account, signed in at once',
    caller: 'anonymous',
    operation: `mutation SignUp($input: SignUpInput!) {
  signUp(input: $input) { accessToken refreshToken accessTokenExpiresAt user { id } }
}`,
    variables: { input: { email: 'ada@example.com', password: 'violet-harbor-73-quietly-sings', displayName: 'Ada' } },
  },
  {
    field: 'Mutation.logIn',
    title: 'signing in with email and password',
    caller: 'anonymous',
    operation: `mutation LogIn($input: LogInInput!) {
  logIn(input: $input) { accessToken refreshToken accessTokenExpiresAt }
}`,
    variables: { input: { email: 'ada@example.com', password: 'violet-harbor-73-quietly-sings' } },
  },
  {
    field: 'Mutation.refreshSession',
    title: 'trading the refresh token for new tokens before the access token expires',
    caller: 'anonymous',
    operation: `mutation RefreshSession($refreshToken: String!) {
  refreshSession(refreshToken: $refreshToken) { accessToken refreshToken accessTokenExpiresAt }
}`,
    variables: { refreshToken: 'tnx_rt_8Qk2…' },
  },
  {
    field: 'Mutation.logOut',
    title: 'ending the session',
    caller: 'anonymous',
    operation: `mutation LogOut($refreshToken: String!) {
  logOut(refreshToken: $refreshToken)
}`,
    variables: { refreshToken: 'tnx_rt_8Qk2…' },
  },
  {
    field: 'Mutation.createOrganization',
    title: 'creating an organization, of which you become the OWNER',
    caller: 'user',
    operation: `mutation CreateOrganization($input: CreateOrganizationInput!) {
  createOrganization(input: $input) { id slug viewerRole }
}`,
    variables: { input: { name: 'Acme', slug: 'acme' } },
  },
  {
    field: 'Mutation.updateOrganization',
    title: 'renaming an organization',
    caller: 'user',
    operation: `mutation UpdateOrganization($id: ID!, $input: UpdateOrganizationInput!) {
  updateOrganization(id: $id, input: $input) { id name updatedAt }
}`,
    variables: { id: orgId, input: { name: 'Acme Inc.' } },
  },
  {
    field: 'Mutation.addMember',
    title: 'adding a colleague who already has an account, as a MEMBER',
    caller: 'user',
    operation: `mutation AddMember($orgId: ID!, $email: String!, $role: Role!) {
  addMember(orgId: $orgId, email: $email, role: $role) { role user { id displayName } }
}`,
    variables: { orgId, email: 'grace@example.com', role: 'MEMBER' },
  },
  {
    field: 'Mutation.updateMemberRole',
    title: 'making a member an ADMIN',
    caller: 'user',
    operation: `mutation UpdateMemberRole($orgId: ID!, $userId: ID!, $role: Role!) {
  updateMemberRole(orgId: $orgId, userId: $userId, role: $role) { role user { id } }
}`,
    variables: { orgId, userId, role: 'ADMIN' },
  },
  {
    field: 'Mutation.removeMember',
    title: 'removing a member',
    caller: 'user',
    operation: `mutation RemoveMember($orgId: ID!, $userId: ID!) {
  removeMember(orgId: $orgId, userId: $userId)
}`,
    variables: { orgId, userId },
  },
  {
    field: 'Mutation.saveDashboardLayout',
    title: 'saving your dashboard for the first time (no version yet)',
    caller: 'user',
    operation: `mutation SaveDashboardLayout($orgId: ID!, $layouts: JSON!, $widgets: JSON!, $version: Int) {
  saveDashboardLayout(orgId: $orgId, layouts: $layouts, widgets: $widgets, version: $version) { version updatedAt }
}`,
    variables: {
      orgId,
      layouts: { lg: [{ i: 'members', x: 0, y: 0, w: 6, h: 4 }, { i: 'supply', x: 6, y: 0, w: 6, h: 4 }] },
      widgets: [
        { id: 'members', type: 'metric', title: 'Members', config: { metric: 'members.count', chart: 'line', range: '30d' } },
        { id: 'supply', type: 'token-supply', title: 'Supply' },
      ],
    },
  },
];
