import type { FormSubmissionResolvers } from '../__generated__/resolvers-types.ts';

export const FormSubmission: FormSubmissionResolvers = {
  // Leads are only reached through formSubmissions, already authorized for their organization.
  page: (lead, _args, ctx) => ctx.loaders.pageById.load(lead.pageId),
  submittedAt: (lead) => lead.createdAt,
};
