/** graphql-js ends a message with its guesses: ` Did you mean "email"?`, `… the enum value "OWNER"?`. */
const suggestion = /\s*Did you mean [^?]*\?/g;

/**
 * The message without graphql-js's "Did you mean …?" guesses, which let anyone map a schema
 * with introspection turned off by sending near-miss names.
 */
export function withoutSuggestions(message: string): string {
  return message.replace(suggestion, '');
}
