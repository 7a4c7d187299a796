/** How long an authorization code may wait to be exchanged (RFC 6749 recommends ≤ 10 minutes). */
export const authorizationCodeLifetimeMs = 10 * 60_000;

/**
 * How long an access token lives. There are no refresh tokens: an app with the client
 * credentials asks again; a user's app sends the user through consent again (consent
 * already given is shown as such).
 */
export const accessTokenLifetimeSeconds = 3600;
