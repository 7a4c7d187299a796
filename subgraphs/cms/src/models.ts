import type { Component, FormSubmission, Page, PageExperiment, PageExperimentVariant, PageRevision, Template } from '@token-nexus/prisma';
import type { Connection } from '@token-nexus/shared';
import type { StoredSeo } from './validation/stored-seo.ts';

/** An entity another subgraph owns, known here by its id only. */
export interface EntityReference {
  id: string;
}

export type PageConnectionModel = Connection<Page>;
export type PageRevisionConnectionModel = Connection<PageRevision>;
export type ComponentConnectionModel = Connection<Component>;
export type TemplateConnectionModel = Connection<Template>;

/** A published page as the public sees it: the page for its address, the revision for its content. */
export interface PublishedPageModel {
  page: Page;
  revision: PageRevision;
  /** The locale asked for, canonical; null when none was. */
  requestedLocale?: string | null;
  /** The locales published at the page's address, sorted. */
  availableLocales?: string[];
  /**
   * The experiment variant shown (its title and document are then `revision`'s), when the
   * page runs an experiment and a visitor id was given; null or absent otherwise.
   */
  variant?: string | null;
  /** The experiment the page runs, if any. */
  experiment?: PageExperimentModel | null;
}

/** An experiment with its variants, in the order visitors are bucketed by. */
export type PageExperimentModel = PageExperiment & { variants: PageExperimentVariant[] };

/**
 * A media asset as the cms hands it on: its id and, for a published page's assets, the
 * grant that lets the media subgraph show it to anyone. Media resolves everything else.
 */
export interface MediaAssetReference {
  __typename?: 'MediaAsset';
  id: string;
  publicGrant?: string | null;
}

/**
 * A page's or revision's SEO as stored (see validation/stored-seo.ts), with what resolving
 * its image URLs needs: the organization of the published page it is served on, null for
 * a draft or a revision (only what a live page shows gets public asset URLs).
 */
export interface PageSeoModel extends StoredSeo {
  publishedIn: string | null;
}

/**
 * An organization's public-site settings, the defaults when it never changed them. Named
 * `organizationId` (shown as `orgId`) so that cached answers holding it are tagged with
 * the organization and go stale when the settings change.
 */
export interface SiteSettingsModel {
  organizationId: string;
  defaultLocale: string;
  fallbackLocales: string[];
}

export type FormSubmissionConnectionModel = Connection<FormSubmission>;
