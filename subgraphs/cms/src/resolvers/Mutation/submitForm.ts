import type { MutationResolvers } from '../../__generated__/resolvers-types.ts';
import { submitForm as submit } from '../../providers/submit-form.ts';

export const submitForm: NonNullable<MutationResolvers['submitForm']> = (_parent, args, ctx) => submit(ctx, args);
