/** How long an authorization code may wait to be exchanged (RFC 6749 recommends ≤ 10 minutes). */
export const authorizationCodeLifetimeMs = 10 * 60_000;

/**
 * How long an access token lives. A user's app gets a new one with its refresh token; an
 * app with the client credentials asks again.
 */
export const accessTokenLifetimeSeconds = 3600;

/**
 * How long a refresh token lives unused: an app that refreshes at least once a month keeps
 * its user signed in, and one left idle longer sends the user through consent again (RFC 9700
 * §4.14.2: refresh tokens should expire after a period of inactivity).
 */
export const refreshTokenIdleLifetimeMs = 30 * 24 * 3600_000;

/**
 * How long a grant (one consent's token family) lasts however often it is refreshed, so a
 * stolen family that keeps rotating still ends: then the user consents again (consent already
 * given is shown as such).
 */
export const grantLifetimeMs = 90 * 24 * 3600_000;
