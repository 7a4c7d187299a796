import type { ComponentResolvers } from '../__generated__/resolvers-types.ts';

export const Component: ComponentResolvers = {
  organization: (component) => ({ id: component.organizationId }),
};
