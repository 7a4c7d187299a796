import type { Component, Page, PageExperiment, PageExperimentVariant, PageRevision, Template } from '@token-nexus/prisma';
import type { Connection } from '@token-nexus/shared';

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
