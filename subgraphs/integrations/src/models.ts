import type { OAuthApp, OAuthConsent } from '@token-nexus/prisma';

/** An entity another subgraph owns, known here by its id only. */
export interface EntityReference {
  id: string;
}

/** A user's consent with the app it is for (what `OAuthConsent` resolves from). */
export type OAuthConsentWithApp = OAuthConsent & { app: OAuthApp };
