/**
 * The organization id under which analytics keeps figures of the whole platform (the
 * gateway's operations across every organization and none, anonymous callers included):
 * rollups are keyed by organization, and the nil UUID is one no organization ever has.
 * Its own rows, rather than a sum over organizations, because one operation may count for
 * several organizations (a user's operation naming two) or for none (signing in).
 */
export const platformOrganizationId = '00000000-0000-0000-0000-000000000000';
