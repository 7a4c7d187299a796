import type { Component, FormSubmission, Page, PageRevision, Template } from '@token-nexus/prisma';
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
}

/**
 * A media asset as the cms hands it on: its id and, for a published page's assets, the
 * grant that lets the media subgraph show it to anyone. Media resolves everything else.
 */
export interface MediaAssetReference {
  __typename?: 'MediaAsset';
  id: string;
  publicGrant?: string | null;
}

export type FormSubmissionConnectionModel = Connection<FormSubmission>;
