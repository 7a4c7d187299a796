import { MapperKind, mapSchema } from '@graphql-tools/utils';
import { defaultFieldResolver, getNamedType, type GraphQLResolveInfo, type GraphQLSchema } from 'graphql';
import { actorScopes, type Claims } from '../claims/claims.ts';
import { ForbiddenError } from '../errors/errors.ts';
import { describeRequirement, satisfies, scopeRequirementsOf } from './scope-requirement.ts';

/**
 * Enforces `@scopes` for callers limited by scopes (API keys, OAuth apps): around
 * every field that declares a requirement (on the field, its type or the type it returns)
 * and around every root field, before its resolver runs, so a refused mutation writes
 * nothing and a refused field is null with a FORBIDDEN error however the operation was
 * written. Root fields that declare no scope are closed to such callers: a new field is
 * reachable by programs only once someone has decided which scope it belongs to.
 *
 * Callers whom scopes do not limit (a user's own session, anonymous callers) pass
 * through; the subgraph's policy decides for them, and for scoped callers too after this.
 */
export function applyScopeRequirements(schema: GraphQLSchema): GraphQLSchema {
  const roots = new Set(
    [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()].flatMap((type) =>
      type ? [type.name] : [],
    ),
  );
  return mapSchema(schema, {
    [MapperKind.OBJECT_FIELD]: (field, fieldName, typeName) => {
      const parentType = schema.getType(typeName)!;
      const requirements = scopeRequirementsOf(schema, field, parentType, getNamedType(field.type));
      const isRoot = roots.has(typeName);
      // `_entities` and `_service` are the gateway's own machinery: the entity's fields
      // carry their requirements and are checked as they resolve.
      if ((!isRoot && requirements.length === 0) || fieldName.startsWith('_')) return field;
      const check = (claims: Claims) => {
        const held = actorScopes(claims.actor);
        if (held === null) return;
        if (requirements.length === 0) {
          throw new ForbiddenError(`${typeName}.${fieldName} is not available to API keys and OAuth apps.`);
        }
        if (!satisfies(held, requirements)) {
          const needed = requirements.map(describeRequirement).join(', and ');
          throw new ForbiddenError(`${typeName}.${fieldName} requires the scope ${needed}.`);
        }
      };
      const guarded = field.subscribe ? 'subscribe' : 'resolve';
      const original = field[guarded] ?? defaultFieldResolver;
      return {
        ...field,
        [guarded]: (parent: unknown, args: Record<string, unknown>, context: { claims: Claims }, info: GraphQLResolveInfo) => {
          check(context.claims);
          return original(parent, args, context, info);
        },
      };
    },
  });
}
