import { z } from 'zod';

/** Emails are compared and stored trimmed and lower-cased. */
export const email = z
  .string()
  .trim()
  .toLowerCase()
  .max(254, 'must be at most 254 characters')
  .pipe(z.email('must be a valid email address'));

export const displayName = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(100, 'must be at most 100 characters');

export const organizationName = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(100, 'must be at most 100 characters');

export const slug = z
  .string()
  .regex(
    /^[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9])){2,62}$/,
    'must be 3 to 63 lower-case letters, digits or single hyphens, starting and ending with a letter or digit',
  );

/** Organization settings: a JSON object of at most 64 KiB. */
export const settings = z
  .record(z.string(), z.unknown(), { message: 'must be a JSON object' })
  .refine((value) => Buffer.byteLength(JSON.stringify(value)) <= 64 * 1024, {
    message: 'must be at most 64 KiB of JSON',
  });

export const uuid = z.uuid('must be an id returned by this API');

export const signUpInput = z.object({ email, password: z.string(), displayName });
export const logInInput = z.object({ email: z.string().trim().toLowerCase(), password: z.string() });

export const createOrganizationInput = z.object({
  name: organizationName,
  slug,
  parentId: uuid.nullish(),
  settings: settings.nullish(),
});

export const updateOrganizationInput = z.object({
  name: organizationName.nullish(),
  settings: settings.nullish(),
  active: z.boolean().nullish(),
});
