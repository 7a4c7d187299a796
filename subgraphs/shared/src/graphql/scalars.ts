import { DateTimeResolver, JSONResolver } from 'graphql-scalars';

/** Resolvers for the scalars every subgraph declares (`DateTime`, `JSON`). */
export const scalarResolvers = {
  DateTime: DateTimeResolver,
  JSON: JSONResolver,
};
