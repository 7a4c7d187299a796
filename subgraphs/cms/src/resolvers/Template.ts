import type { TemplateResolvers } from '../__generated__/resolvers-types.ts';

export const Template: TemplateResolvers = {
  organization: (template) => ({ id: template.organizationId }),
};
