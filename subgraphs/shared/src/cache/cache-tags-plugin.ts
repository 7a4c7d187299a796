import type { ApolloServerPlugin, GraphQLFieldResolverParams } from '@apollo/server';
import {
  getNamedType,
  isListType,
  isNonNullType,
  isObjectType,
  type GraphQLField,
  type GraphQLObjectType,
  type GraphQLOutputType,
} from 'graphql';
import type { Claims } from '../claims/claims.ts';
import { cacheTag } from './cache-tags.ts';

/** The key of `extensions` a subgraph's answer to a query carries its cache tags in. */
export const cacheTagsExtension = 'cacheTags';

/**
 * The key of `extensions` saying that an answer may be shared within an organization:
 * `{ organizationId }` when every field in it is @shareWithinOrganization and it holds
 * one organization's data only.
 */
export const cacheScopeExtension = 'cacheScope';

const requestTags = Symbol('cache tags of this request');

/**
 * Adds tags to the answer a resolver is part of, for what the plugin cannot see by itself:
 * an answer that depends on something it does not return (an organization found by its
 * slug, where nothing was found in it yet).
 */
export function addCacheTags(context: object, ...tags: string[]): void {
  const set = (context as { [requestTags]?: Set<string> })[requestTags];
  for (const tag of tags) set?.add(tag);
}

/** What the plugin reads of a subgraph's context. */
interface TaggingContext {
  claims: Claims;
}

type FieldParams = GraphQLFieldResolverParams<unknown, TaggingContext>;

/**
 * Tags every query's answer with what it holds (see cache-tags.ts), in
 * `extensions.cacheTags`, for the gateway's cache: each object a field is resolved on
 * (by its `id` and `organizationId`), and each list or connection a field returns (by
 * its owner: the organization in its arguments or parent, the parent user, or no one).
 * Tags come from the objects the resolvers actually read, so an answer is tagged with
 * what it holds even when the query selected no id.
 */
export function cacheTagsPlugin<TContext extends TaggingContext>(): ApolloServerPlugin<TContext> {
  const listItemTypes = new WeakMap<GraphQLField<unknown, unknown>, string | null>();
  const sharedFields = new WeakMap<GraphQLField<unknown, unknown>, boolean>();
  return {
    async requestDidStart({ contextValue }) {
      const tags = new Set<string>();
      const seen = new WeakSet<object>();
      let shareable = true;
      (contextValue as { [requestTags]?: Set<string> })[requestTags] = tags;
      return {
        async executionDidStart() {
          return {
            willResolveField(params) {
              tagParent(params as FieldParams, tags, seen);
              tagList(params as FieldParams, tags, listItemTypes);
              if (shareable && !isShared(params as FieldParams, sharedFields)) shareable = false;
            },
          };
        },
        async willSendResponse({ response, operation }) {
          if (operation?.operation !== 'query' || response.body.kind !== 'single') return;
          const result = response.body.singleResult;
          const organizations = [...tags].filter((tag) => tag.startsWith(anyInOrganizationPrefix));
          const scope =
            shareable && organizations.length === 1
              ? { [cacheScopeExtension]: { organizationId: organizations[0]!.slice(anyInOrganizationPrefix.length) } }
              : {};
          result.extensions = { ...result.extensions, [cacheTagsExtension]: [...tags], ...scope };
        },
      };
    },
  };
}

const anyInOrganizationPrefix = cacheTag.anythingInOrganization('');

/**
 * Whether a field may be in an answer shared within an organization: its type (or, on the
 * root, the field itself) says @shareWithinOrganization. `_entities` counts as shared:
 * the entities' own fields decide.
 */
function isShared({ info }: FieldParams, sharedFields: WeakMap<GraphQLField<unknown, unknown>, boolean>): boolean {
  const field = info.parentType.getFields()[info.fieldName];
  if (!field) return info.fieldName === '__typename';
  let shared = sharedFields.get(field);
  if (shared === undefined) {
    shared =
      field.name === '_entities' ||
      hasDirective(field.astNode, 'shareWithinOrganization') ||
      (!isRootType(info.parentType.name) && hasDirective(info.parentType.astNode, 'shareWithinOrganization'));
    sharedFields.set(field, shared);
  }
  return shared;
}

function hasDirective(node: { directives?: readonly { name: { value: string } }[] } | null | undefined, name: string): boolean {
  return node?.directives?.some((directive) => directive.name.value === name) ?? false;
}

/** The object a field is resolved on: `Type:id`, and its organization's tags. */
function tagParent({ source, info }: FieldParams, tags: Set<string>, seen: WeakSet<object>): void {
  if (source === null || typeof source !== 'object' || seen.has(source)) return;
  seen.add(source);
  const type = info.parentType.name;
  const { id, organizationId } = source as { id?: unknown; organizationId?: unknown };
  if (type === 'Organization' && typeof id === 'string') {
    tags.add(cacheTag.entity(type, id));
    tags.add(cacheTag.inOrganization(type, id));
    tags.add(cacheTag.anythingInOrganization(id));
    return;
  }
  if (typeof organizationId === 'string') {
    tags.add(cacheTag.inOrganization(type, organizationId));
    tags.add(cacheTag.anythingInOrganization(organizationId));
  }
  if (typeof id === 'string' || typeof id === 'number') tags.add(cacheTag.entity(type, String(id)));
  else if (typeof organizationId !== 'string' && !isStructural(type)) {
    // An object that belongs to no one and has no id (a chain, keyed by its chainId): any
    // change to its type goes through `Type@platform`.
    tags.add(cacheTag.onPlatform(type));
  }
}

/** Types that only shape a list (a connection, its edges, its page info): nothing to invalidate. */
function isStructural(type: string): boolean {
  return type.endsWith('Connection') || type.endsWith('Edge') || type === 'PageInfo';
}

/** A list (or connection) a field returns: its item type, owned by an organization, a user or no one. */
function tagList(
  { source, args, info, contextValue }: FieldParams,
  tags: Set<string>,
  listItemTypes: WeakMap<GraphQLField<unknown, unknown>, string | null>,
): void {
  const field = info.parentType.getFields()[info.fieldName]!;
  let itemType = listItemTypes.get(field);
  if (itemType === undefined) {
    // A root field's answer is tagged by its type even when it is one object, or null:
    // a null that a change turns into an object must go stale with that change too.
    itemType = listItemTypeOf(field.type) ?? (isRootType(info.parentType.name) ? objectTypeOf(field.type) : null);
    listItemTypes.set(field, itemType);
  }
  if (!itemType) return;
  const parent = (source ?? {}) as { id?: unknown; organizationId?: unknown };
  const organizationId =
    args.orgId ?? args.organizationId ?? (info.parentType.name === 'Organization' ? parent.id : parent.organizationId);
  if (typeof organizationId === 'string') {
    tags.add(cacheTag.inOrganization(itemType, organizationId));
    tags.add(cacheTag.anythingInOrganization(organizationId));
    return;
  }
  if (info.parentType.name === 'User' && typeof parent.id === 'string') {
    tags.add(cacheTag.ofUser(itemType, parent.id));
    return;
  }
  const actor = contextValue.claims.actor;
  if (actor.type === 'user') tags.add(cacheTag.ofUser(itemType, actor.userId));
  tags.add(cacheTag.onPlatform(itemType));
}

function isRootType(name: string): boolean {
  return name === 'Query' || name === 'Mutation';
}

function objectTypeOf(type: GraphQLOutputType): string | null {
  const named = getNamedType(type);
  return isObjectType(named) ? named.name : null;
}

/** The object type a list or a Relay connection holds, or null for anything else. */
function listItemTypeOf(type: GraphQLOutputType): string | null {
  const unwrapped = isNonNullType(type) ? type.ofType : type;
  if (isListType(unwrapped)) {
    const item = getNamedType(unwrapped);
    return isObjectType(item) ? item.name : null;
  }
  const named = getNamedType(unwrapped);
  if (!isObjectType(named) || !named.name.endsWith('Connection')) return null;
  return connectionNodeType(named);
}

function connectionNodeType(connection: GraphQLObjectType): string | null {
  const edges = connection.getFields().edges;
  if (!edges) return null;
  const edge = getNamedType(edges.type);
  if (!isObjectType(edge)) return null;
  const node = edge.getFields().node;
  const nodeType = node ? getNamedType(node.type) : null;
  return nodeType && isObjectType(nodeType) ? nodeType.name : null;
}
