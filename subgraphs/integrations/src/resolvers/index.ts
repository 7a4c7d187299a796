import { isScope, scalarResolvers, scopeCatalogue, scopeNames, webhookEventTypes } from '@token-nexus/shared';
import type { Resolvers } from '../__generated__/resolvers-types.ts';
import {
  createEndpoint,
  deleteEndpoint,
  listEndpoints,
  requireEndpoint,
  rotateSecret,
  updateEndpoint,
} from '../providers/endpoints.ts';
import { createApiKey, isActive, listApiKeys, revokeApiKey, rotateApiKey } from '../providers/api-keys.ts';
import {
  authorizeOAuthApp,
  describeAuthorizationRequest,
  listAuthorizedApps,
  listOAuthApps,
  registerOAuthApp,
  revokeConsent,
  revokeOAuthApp,
  rotateClientSecret,
  updateOAuthApp,
} from '../providers/oauth-apps.ts';
import { replay, testWebhook } from '../providers/test-delivery.ts';

export const resolvers: Resolvers = {
  ...scalarResolvers,
  Query: {
    webhookEndpoints: (_parent, args, ctx) => listEndpoints(ctx, args),
    webhookEndpoint: (_parent, args, ctx) =>
      requireEndpoint(ctx, args.id).catch((error: { extensions?: { code?: string } }) => {
        if (error.extensions?.code === 'NOT_FOUND') return null;
        throw error;
      }),
    webhookEventTypes: () => [...webhookEventTypes],
    apiKeys: (_parent, args, ctx) => listApiKeys(ctx, args),
    apiScopes: () => scopeNames.map((name) => ({ name, description: scopeCatalogue[name] })),
    oauthApps: (_parent, args, ctx) => listOAuthApps(ctx, args),
    oauthAuthorizationRequest: (_parent, args, ctx) => describeAuthorizationRequest(ctx, args),
    authorizedOAuthApps: (_parent, _args, ctx) => listAuthorizedApps(ctx),
  },
  Mutation: {
    createWebhookEndpoint: (_parent, args, ctx) => createEndpoint(ctx, args.input),
    updateWebhookEndpoint: (_parent, args, ctx) => updateEndpoint(ctx, args),
    rotateWebhookSecret: (_parent, args, ctx) => rotateSecret(ctx, args),
    deleteWebhookEndpoint: (_parent, args, ctx) => deleteEndpoint(ctx, args),
    testWebhook: (_parent, args, ctx) => testWebhook(ctx, args),
    replayWebhookDelivery: (_parent, args, ctx) => replay(ctx, args),
    createApiKey: (_parent, args, ctx) => createApiKey(ctx, args.input),
    rotateApiKey: (_parent, args, ctx) => rotateApiKey(ctx, args),
    revokeApiKey: (_parent, args, ctx) => revokeApiKey(ctx, args),
    registerOAuthApp: (_parent, args, ctx) => registerOAuthApp(ctx, args.input),
    updateOAuthApp: (_parent, args, ctx) => updateOAuthApp(ctx, args),
    rotateOAuthClientSecret: (_parent, args, ctx) => rotateClientSecret(ctx, args),
    revokeOAuthApp: (_parent, args, ctx) => revokeOAuthApp(ctx, args),
    authorizeOAuthApp: (_parent, args, ctx) => authorizeOAuthApp(ctx, args.input),
    revokeOAuthConsent: (_parent, args, ctx) => revokeConsent(ctx, args),
  },
  ApiKey: {
    organization: (key) => ({ id: key.organizationId }),
    active: (key) => isActive(key),
  },
  OAuthApp: {
    organization: (app) => ({ id: app.organizationId }),
  },
  OAuthAppSummary: {
    organization: (app) => ({ id: app.organizationId }),
  },
  OAuthConsent: {
    app: (consent) => consent.app,
    scopes: (consent) => consent.scopes.filter(isScope).map((name) => ({ name, description: scopeCatalogue[name] })),
    consentedAt: (consent) => consent.updatedAt,
  },
  WebhookEndpoint: {
    organization: (endpoint) => ({ id: endpoint.organizationId }),
    deliveries: (endpoint, args, ctx) =>
      ctx.prisma.webhookDelivery.findMany({
        where: { endpointId: endpoint.id, ...(args.status ? { status: args.status } : {}) },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        take: Math.min(Math.max(args.first ?? 20, 1), 50),
      }),
  },
  WebhookDelivery: {
    attempts: (delivery, _args, ctx) =>
      ctx.prisma.webhookAttempt.findMany({ where: { deliveryId: delivery.id }, orderBy: { number: 'asc' } }),
  },
};
