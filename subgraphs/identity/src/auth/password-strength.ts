import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import * as common from '@zxcvbn-ts/language-common';
import * as english from '@zxcvbn-ts/language-en';

export const passwordLength = { min: 10, max: 128 } as const;

/** zxcvbn score 3 = "safely unguessable: moderate protection from offline slow-hash attacks". */
const minimumScore = 3;

const zxcvbn = new ZxcvbnFactory({
  translations: english.translations,
  graphs: common.adjacencyGraphs,
  dictionary: { ...common.dictionary, ...english.dictionary },
});

/**
 * Judges a new password the way NIST SP 800-63B asks: a minimum length, no upper bound
 * below 64, and a check against common and context-specific passwords (dictionaries,
 * keyboard patterns, and the user's own email and name) rather than composition rules.
 *
 * @returns null when acceptable, otherwise a sentence saying why not.
 */
export function passwordWeakness(password: string, userInputs: string[]): string | null {
  if (password.length < passwordLength.min) {
    return `Password must be at least ${passwordLength.min} characters long.`;
  }
  if (password.length > passwordLength.max) {
    return `Password must be at most ${passwordLength.max} characters long.`;
  }
  const result = zxcvbn.check(password, userInputs);
  if (result.score >= minimumScore) return null;
  const hint = result.feedback.warning ?? result.feedback.suggestions[0];
  return `Password is too easy to guess${hint ? `: ${hint}` : '.'}`;
}
