import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { trace } from '@opentelemetry/api';
import { Kind, type DocumentNode, type GraphQLError, type OperationDefinitionNode } from 'graphql';
import { operationNameLabeler } from './operation-name-label.ts';
import type { PlatformMetrics } from './platform-metrics.ts';

/** Distinct operation names one service keeps as their own series (see operationNameLabeler). */
const operationNameCap = 200;

/**
 * Records every operation a service answers: its duration by operation name (bounded),
 * type and outcome — `success`, `error` (it ran, and the answer holds errors) or
 * `refused` (it never ran: unparsable, invalid, over a limit) — and each returned error
 * by its `extensions.code`. `onErrors` sees the errors too (the gateway counts limit
 * refusals from them).
 */
export function operationMetricsPlugin<TContext extends BaseContext>(
  service: string,
  metrics: PlatformMetrics,
  onErrors?: (errors: readonly GraphQLError[]) => void,
): ApolloServerPlugin<TContext> {
  const label = operationNameLabeler(operationNameCap);
  return {
    async requestDidStart() {
      const stop = metrics.requestDuration.startTimer({ service });
      let executed = false;
      let failed = false;
      return {
        async didResolveOperation({ operation, operationName }) {
          // The request's span (the gateway's, or a subgraph's server span) is named for
          // what it ran.
          const span = trace.getActiveSpan();
          if (!operation || !span?.isRecording()) return;
          const name = operation.name?.value ?? operationName ?? 'anonymous';
          span.updateName(`${service} ${operation.operation} ${name}`);
          span.setAttributes({ 'graphql.operation.type': operation.operation, 'graphql.operation.name': name });
        },
        async executionDidStart() {
          executed = true;
        },
        async didEncounterErrors({ errors }) {
          failed = true;
          onErrors?.(errors);
        },
        async willSendResponse({ operation, operationName, document, response }) {
          // Counted as the client receives them: formatting turns Apollo's own codes
          // (GRAPHQL_VALIDATION_FAILED…) into the graph's.
          const errors = response.body.kind === 'single' ? (response.body.singleResult.errors ?? []) : [];
          for (const error of errors) {
            const code = error.extensions?.code;
            metrics.graphqlErrors.inc({ service, code: typeof code === 'string' ? code : 'INTERNAL_SERVER_ERROR' });
          }
          const answeredWithErrors = errors.length > 0;
          stop({
            operation_name: label(operation?.name?.value ?? operationName ?? soleOperation(document)?.name?.value),
            operation_type: operation?.operation ?? soleOperation(document)?.operation ?? 'unknown',
            outcome: !executed ? (failed ? 'refused' : 'success') : failed || answeredWithErrors ? 'error' : 'success',
          });
        },
      };
    },
  };
}

/** The document's operation when it holds exactly one (an invalid one still has a name). */
function soleOperation(document: DocumentNode | undefined): OperationDefinitionNode | undefined {
  const operations = document?.definitions.filter((definition) => definition.kind === Kind.OPERATION_DEFINITION) ?? [];
  return operations.length === 1 ? (operations[0] as OperationDefinitionNode) : undefined;
}
