/**
 * What the gateway and every subgraph share: configuration loading, the signed-claims
 * trust boundary, access tokens, errors, logging, the subgraph HTTP server, pagination,
 * scalars and email. Each lives in its own folder; this file only re-exports.
 */
export * from './config/load-env.ts';
export * from './config/database-env.ts';
export * from './config/job-runner-env.ts';
export * from './config/mail-env.ts';
export * from './config/service-env.ts';
export * from './config/development-secrets.ts';
export * from './service-catalog.ts';
export * from './claims/claims.ts';
export * from './claims/sign-claims.ts';
export * from './claims/signed-graphql-request.ts';
export * from './access/organization-access.ts';
export * from './access/public-organizations.ts';
export * from './auth/access-token.ts';
export * from './redis/redis-client.ts';
export * from './sessions/session-revocations.ts';
export * from './sessions/create-session-revocations.ts';
export * from './errors/error-codes.ts';
export * from './errors/errors.ts';
export * from './errors/zod-errors.ts';
export * from './errors/format-error.ts';
export * from './errors/error-logging-plugin.ts';
export * from './logging/logger.ts';
export * from './server/subgraph-server.ts';
export * from './server/apollo-http.ts';
export * from './server/read-body.ts';
export * from './server/send-json.ts';
export * from './server/serve-sse.ts';
export * from './server/listen.ts';
export * from './server/run-service.ts';
export * from './graphql/load-type-defs.ts';
export * from './graphql/scalars.ts';
export * from './pagination/connection.ts';
export * from './pagination/newest-first.ts';
export * from './rate-limit/index.ts';
export * from './scopes/index.ts';
export * from './presence/index.ts';
export * from './pubsub/event-bus.ts';
export * from './crypto/key-vault.ts';
export * from './subscriptions/live-access.ts';
export * from './subscriptions/guarded-stream.ts';
export * from './mail/mailer.ts';
export * from './mail/mail-message.ts';
export * from './mail/mail-address.ts';
export * from './mail/mail-delivery-error.ts';
export * from './mail/smtp-mailer.ts';
export * from './mail/eml-folder-mailer.ts';
export * from './mail/create-mailer.ts';
export * from './mail/html.ts';
export * from './mail/mail-templates.ts';
export * from './mail/templates/membership-invitation.ts';
export * from './mail/templates/webhook-endpoint-disabled.ts';
export * from './mail/send-mail-job.ts';
export * from './mail/notify-admins-job.ts';
