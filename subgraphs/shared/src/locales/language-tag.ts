import { z } from 'zod';

/**
 * A BCP 47 language tag, in its canonical form (`en-us` → `en-US`, `DE-ch` → `de-CH`), as
 * `Intl.getCanonicalLocales` gives it: stored and compared that way, a tag is found however
 * it was typed. Anything that is not a well-formed tag is refused with one message.
 */
export const languageTag = z
  .string()
  .max(35, 'must be at most 35 characters')
  .transform((value, context) => {
    try {
      const [canonical] = Intl.getCanonicalLocales(value);
      if (canonical) return canonical;
    } catch {
      // RangeError: not a well-formed tag; reported below.
    }
    context.addIssue({ code: 'custom', message: 'must be a BCP 47 language tag, e.g. "en" or "pt-BR"' });
    return z.NEVER;
  });
