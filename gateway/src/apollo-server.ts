import type { ApolloGateway } from '@apollo/gateway';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginLandingPageLocalDefault } from '@apollo/server/plugin/landingPage/default';
import { compactJson, errorLoggingPlugin, type Logger } from '@token-nexus/shared';
import type { GatewayConfig } from './config.ts';
import type { GatewayContext } from './context.ts';
import { gatewayErrorFormatter } from './errors/format-gateway-error.ts';
import { operationLogPlugin } from './operation-log-plugin.ts';
import type { apolloOperationLimits } from './operation-limits/apollo-operation-limits.ts';
import { rateLimitHeadersPlugin } from './rate-limit-headers.ts';
import { cacheStatusPlugin } from './cache/cache-status-plugin.ts';

/**
 * The Apollo Server that executes queries and mutations over the federated graph, with
 * the operation limits, error masking and logging of the gateway. Started by the caller.
 */
export function createApolloServer(options: {
  gateway: ApolloGateway;
  config: Pick<GatewayConfig, 'production' | 'explorer'>;
  limits: ReturnType<typeof apolloOperationLimits<GatewayContext>>;
  logger: Logger;
  /** More plugins (the API usage meter's). */
  plugins?: ApolloServerPlugin<GatewayContext>[];
}): ApolloServer<GatewayContext> {
  const { config, limits } = options;
  return new ApolloServer<GatewayContext>({
    gateway: options.gateway,
    introspection: !config.production,
    includeStacktraceInErrorResponses: false,
    // Shutdown is ours to order (servers, then the database); Apollo must not act on signals.
    stopOnTerminationSignals: false,
    // A JSON array body runs each operation through every limit; its length is capped
    // (MAX_BATCH_SIZE) before Apollo sees it, in the GraphQL route.
    allowBatchedHttpRequests: true,
    parseOptions: limits.parseOptions,
    validationRules: limits.validationRules,
    // With introspection off, "Did you mean …?" would still map the schema name by name.
    validationOptions: { hideSuggestions: config.production },
    formatError: gatewayErrorFormatter(config.production),
    stringifyResult: compactJson,
    // Automatic persisted queries stay on, in Apollo's default in-memory cache; a query is
    // stored only once it has passed every limit.
    plugins: [
      // Only `sandbox` is Apollo's page; GraphiQL (`on`) is a route of the gateway's own.
      config.explorer === 'sandbox'
        ? ApolloServerPluginLandingPageLocalDefault({ embed: true, includeCookies: false })
        : ApolloServerPluginLandingPageDisabled(),
      errorLoggingPlugin<GatewayContext>(options.logger),
      operationLogPlugin(),
      ...limits.plugins,
      rateLimitHeadersPlugin(),
      ...(config.production ? [] : [cacheStatusPlugin()]),
      ...(options.plugins ?? []),
    ],
  });
}
