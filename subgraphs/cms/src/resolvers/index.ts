import { scalarResolvers } from '@token-nexus/shared';
import type { Resolvers } from '../__generated__/resolvers-types.ts';
import { Component } from './Component.ts';
import { FormSubmission } from './FormSubmission.ts';
import { archivePage } from './Mutation/archivePage.ts';
import { createComponent } from './Mutation/createComponent.ts';
import { createPage } from './Mutation/createPage.ts';
import { createPageTranslation } from './Mutation/createPageTranslation.ts';
import { createTemplate } from './Mutation/createTemplate.ts';
import { endPageExperiment } from './Mutation/endPageExperiment.ts';
import { deleteFormSubmission } from './Mutation/deleteFormSubmission.ts';
import { exportFormSubmissions } from './Mutation/exportFormSubmissions.ts';
import { joinPageSession } from './Mutation/joinPageSession.ts';
import { leavePageSession } from './Mutation/leavePageSession.ts';
import { publishPage } from './Mutation/publishPage.ts';
import { schedulePagePublication } from './Mutation/schedulePagePublication.ts';
import { startPageExperiment } from './Mutation/startPageExperiment.ts';
import { restorePageRevision } from './Mutation/restorePageRevision.ts';
import { submitForm } from './Mutation/submitForm.ts';
import { submitPageOperations } from './Mutation/submitPageOperations.ts';
import { unpublishPage } from './Mutation/unpublishPage.ts';
import { updateComponent } from './Mutation/updateComponent.ts';
import { updatePage } from './Mutation/updatePage.ts';
import { updatePresence } from './Mutation/updatePresence.ts';
import { updateSiteSettings } from './Mutation/updateSiteSettings.ts';
import { PageEvent, PageOperation, PagePresence, PageSession } from './LiveTypes.ts';
import { MediaAsset } from './MediaAsset.ts';
import { Organization } from './Organization.ts';
import { Page } from './Page.ts';
import { PageExperiment } from './PageExperiment.ts';
import { PageRevision } from './PageRevision.ts';
import { PageSeo } from './PageSeo.ts';
import { PublishedExperiment } from './PublishedExperiment.ts';
import { PublishedPage } from './PublishedPage.ts';
import { components } from './Query/components.ts';
import { formSubmissions } from './Query/formSubmissions.ts';
import { page } from './Query/page.ts';
import { pageExperiment } from './Query/pageExperiment.ts';
import { pageOperations } from './Query/pageOperations.ts';
import { pagePresence } from './Query/pagePresence.ts';
import { pageRevisions } from './Query/pageRevisions.ts';
import { pages } from './Query/pages.ts';
import { publishedPage } from './Query/publishedPage.ts';
import { siteSettings } from './Query/siteSettings.ts';
import { templates } from './Query/templates.ts';
import { SiteSettings } from './SiteSettings.ts';
import { Subscription } from './Subscription.ts';
import { Template } from './Template.ts';

export const resolvers: Resolvers = {
  ...scalarResolvers,
  Query: { page, pages, publishedPage, siteSettings, pageRevisions, components, templates, pageOperations, pagePresence, pageExperiment, formSubmissions },
  Mutation: {
    createPage,
    createPageTranslation,
    updatePage,
    publishPage,
    schedulePagePublication,
    unpublishPage,
    archivePage,
    restorePageRevision,
    createComponent,
    updateComponent,
    createTemplate,
    joinPageSession,
    submitPageOperations,
    updatePresence,
    leavePageSession,
    updateSiteSettings,
    startPageExperiment,
    endPageExperiment,
    submitForm,
    exportFormSubmissions,
    deleteFormSubmission,
  },
  Subscription,
  Page,
  PageRevision,
  PageSeo,
  PublishedPage,
  SiteSettings,
  PublishedExperiment,
  PageExperiment,
  Component,
  Template,
  Organization,
  PageOperation,
  PagePresence,
  PageSession,
  PageEvent,
  MediaAsset,
  FormSubmission,
};
