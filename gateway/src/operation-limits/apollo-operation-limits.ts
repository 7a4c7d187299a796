import type { ApolloServerOptions, BaseContext } from '@apollo/server';
import type { OperationLimitsConfig } from '../config.ts';
import { maxAliasesRule } from './max-aliases.ts';
import { maxDepthRule } from './max-depth.ts';
import type { AssumedListSizes } from './assumed-list-sizes.ts';
import { maxDirectivesRule } from './max-directives.ts';
import { maxRootFieldsRule } from './max-root-fields.ts';
import { maxTokensParseOptions } from './max-tokens.ts';
import { maxQueryCostPlugin } from './max-query-cost.ts';

/**
 * The Apollo Server options that enforce the operation limits: tokens while parsing; depth,
 * aliases, root fields and directives as validation rules (Apollo remembers a document that
 * passed them); cost per request by a plugin, as it depends on the variables. Each
 * operation of a batch goes through all of them. The batch size itself is checked before
 * Apollo reads the body (see `batchSizeOf`).
 */
export function apolloOperationLimits<TContext extends BaseContext>(
  limits: OperationLimitsConfig,
  options: { assumedListSizes?: () => AssumedListSizes } = {},
): Required<Pick<ApolloServerOptions<TContext>, 'parseOptions' | 'validationRules' | 'plugins'>> {
  return {
    parseOptions: maxTokensParseOptions(limits.maxTokens),
    validationRules: [
      maxDepthRule(limits.maxDepth),
      maxAliasesRule(limits.maxAliases),
      maxRootFieldsRule(limits.maxRootFields),
      maxDirectivesRule(limits.maxDirectives),
    ],
    plugins: [
      maxQueryCostPlugin<TContext>({
        maxCost: limits.maxCost,
        defaultListSize: limits.defaultListSize,
        ...(options.assumedListSizes ? { assumedListSizes: options.assumedListSizes } : {}),
      }),
    ],
  };
}
