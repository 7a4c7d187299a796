import { describe, expect, test } from 'vitest';
import { changeTags, graphQLTypeOfTarget } from './change-tags.ts';

const org = 'o1';
const change = (action: string, targetType: string | null, targetId: string | null, organizationId: string | null = org) =>
  changeTags({ action, targetType, targetId, organizationId, actorId: 'u-actor' });

describe('the tags a committed change bumps', () => {
  test('a change known to touch only its target: the target, its type in the organization, the trail', () => {
    expect(change('dashboard.saved', 'dashboard_layout', 'u1').sort()).toEqual(
      ['DashboardLayout:u1', 'DashboardLayout@org:o1', 'AuditEntry@org:o1'].sort(),
    );
  });

  test("a membership change also reaches the user's organizations and everything they had cached", () => {
    expect(change('member.removed', 'user', 'u2')).toEqual(
      expect.arrayContaining(['User:u2', 'Membership@org:o1', 'Membership@user:u2', 'actor:user:u2', 'AuditEntry@org:o1']),
    );
  });

  test('an action nobody has looked at invalidates its whole organization', () => {
    expect(change('webhook.endpoint_created', 'webhook_endpoint', 'w1')).toContain('*@org:o1');
    expect(change('page.updated', 'page', 'p1')).not.toContain('*@org:o1');
  });

  test('a security event only adds a line to the trail', () => {
    expect(change('access.denied', 'organization', org)).toEqual(['AuditEntry@org:o1']);
    expect(change('user.login_failed', 'user', 'u1', null)).toEqual([]);
  });

  test('a change outside any organization bumps its target and its type on the platform', () => {
    expect(change('user.updated', 'user', 'u1', null)).toEqual(['User:u1', 'User@platform']);
  });

  test('audit target types name GraphQL types', () => {
    expect(['ai_conversation', 'api_key', 'oauth_app', 'page'].map(graphQLTypeOfTarget)).toEqual(['AIConversation', 'ApiKey', 'OAuthApp', 'Page']);
  });
});
