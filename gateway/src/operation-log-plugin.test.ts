import type { GraphQLRequestListener } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { describe, expect, test } from 'vitest';
import type { GatewayContext } from './context.ts';
import { operationLogPlugin } from './operation-log-plugin.ts';

async function listenerFor(log: GatewayContext['log']): Promise<GraphQLRequestListener<GatewayContext>> {
  const plugin = operationLogPlugin();
  const started = await plugin.requestDidStart!({ contextValue: { log } } as never);
  return started as GraphQLRequestListener<GatewayContext>;
}

describe('the operation log', () => {
  test('notes an error that has no extensions (as when a gateway stops mid-request) as INTERNAL_SERVER_ERROR', async () => {
    const log: GatewayContext['log'] = {};
    const listener = await listenerFor(log);
    const bare = Object.assign(new Error('This operation was aborted'), { extensions: undefined });
    await listener.didEncounterErrors!({ errors: [bare as unknown as GraphQLError] } as never);
    expect(log.error).toEqual({ code: 'INTERNAL_SERVER_ERROR', message: 'This operation was aborted' });
  });

  test("notes the first error's code and message", async () => {
    const log: GatewayContext['log'] = {};
    const listener = await listenerFor(log);
    await listener.didEncounterErrors!({ errors: [new GraphQLError('No such page', { extensions: { code: 'NOT_FOUND' } })] } as never);
    expect(log.error).toEqual({ code: 'NOT_FOUND', message: 'No such page' });
  });
});
