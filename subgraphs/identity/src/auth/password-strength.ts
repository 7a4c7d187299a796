import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import * as common from '@zxcvbn-ts/language-common';
import * as english from '@zxcvbn-ts/language-en';

export const passwordLength = { min: 10, max: 128 } as const;

/**
 * zxcvbn's cost grows quadratically with length (about 0.2 s for 32 random characters,
 * 1.4 s for 128 here), which would make sign-up a cheap way to burn our CPU. Characters
 * past these only add strength, so only the first ones are scored.
 */
const scoredLength = 32;

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
  // Compared on letters and digits only, so "Grace Hopper", "grace.hopper" and
  // "GraceHopper99!" all count as containing the name.
  const squeezed = lettersAndDigits(password);
  const personal = userInputs
    .map((input) => lettersAndDigits(input.split('@')[0]!))
    .find((input) => input.length >= 4 && squeezed.includes(input));
  if (personal !== undefined) return 'Password must not contain your email address or name.';
  const result = zxcvbn.check(password.slice(0, scoredLength), userInputVariants(userInputs));
  if (result.score >= minimumScore) return null;
  const hint = result.feedback.warning ?? result.feedback.suggestions[0];
  return `Password is too easy to guess${hint ? `: ${hint}` : '.'}`;
}

/**
 * zxcvbn matches user inputs as whole dictionary words, so an email is also offered as
 * its local part and as each of its words: "grace.hopper@x.io" makes "grace", "hopper"
 * and "grace.hopper" all cheap to guess.
 */
function userInputVariants(inputs: string[]): string[] {
  const variants = new Set<string>();
  for (const input of inputs) {
    const lower = input.toLowerCase();
    variants.add(lower);
    variants.add(lower.split('@')[0]!);
    for (const word of lower.split(/[^\p{L}\p{N}]+/u)) if (word.length >= 3) variants.add(word);
  }
  return [...variants];
}

function lettersAndDigits(value: string): string {
  return value.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
}
