import { scalarResolvers } from '@token-nexus/shared';
import type { Resolvers } from '../__generated__/resolvers-types.ts';
import {
  createEndpoint,
  deleteEndpoint,
  listEndpoints,
  requireEndpoint,
  rotateSecret,
  updateEndpoint,
} from '../providers/endpoints.ts';
import { webhookEventTypes } from '../providers/event-catalogue.ts';
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
  },
  Mutation: {
    createWebhookEndpoint: (_parent, args, ctx) => createEndpoint(ctx, args.input),
    updateWebhookEndpoint: (_parent, args, ctx) => updateEndpoint(ctx, args),
    rotateWebhookSecret: (_parent, args, ctx) => rotateSecret(ctx, args),
    deleteWebhookEndpoint: (_parent, args, ctx) => deleteEndpoint(ctx, args),
    testWebhook: (_parent, args, ctx) => testWebhook(ctx, args),
    replayWebhookDelivery: (_parent, args, ctx) => replay(ctx, args),
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
