/**
 * The sentences loadTypeDefs appends to descriptions (see describeRateLimits and
 * describeScopes), each its own paragraph. They restate directives, so they say nothing
 * about what a field is.
 */
const generatedParagraphs = [
  /^Rate limit: \d+ per \S+ for each .+\.$/,
  /^API keys and OAuth apps: scopes? .+\.$/,
  /^Not available to API keys and OAuth apps\.$/,
];

/**
 * A description as its author wrote it in the SDL: without the rate-limit and scope
 * sentences composition carries into the supergraph. Empty when nothing else is left, which
 * is how the documentation finds an element that nobody described.
 */
export function authoredDescription(description: string | null | undefined): string {
  return (description ?? '')
    .split(/\n[ \t]*\n/)
    .filter((paragraph) => !generatedParagraphs.some((pattern) => pattern.test(paragraph.trim())))
    .join('\n\n')
    .trim();
}
