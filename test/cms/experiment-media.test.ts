import { describe, expect, test } from 'vitest';
import { errorCodes } from '../testkit/client.ts';
import { cmsOrganization, createComponent, createPage, documentOf, hero, publishPage } from '../testkit/cms-seed.ts';
import { readyImage } from '../testkit/media-seed.ts';
import { useTestGraphOnOwnDatabase } from '../testkit/use-test-graph.ts';

// Uploads are processed by the job runner of any graph on the database: this file's graph
// must be the only one on its own, or another file's could take its jobs.
const fixture = useTestGraphOnOwnDatabase();

/**
 * A running experiment's variants are on the public site as much as the live revision:
 * the media they show are in use, and cannot be deleted until the experiment ends.
 */
describe('media shown by an experiment variant', () => {
  test('are in use while the experiment runs: listed in usages, not deletable; deletable once it ended', async () => {
    const cms = await cmsOrganization(fixture.graph.client);
    const orgId = cms.organization.id;
    await createComponent(cms.owner.client, orgId, 'Picture', {
      type: 'object',
      properties: { image: { type: 'string', format: 'media', maxLength: 36 } },
      required: ['image'],
    });
    const image = await readyImage(cms.member, orgId);
    const page = await publishPage(cms.member.client, (await createPage(cms.member.client, { orgId, document: documentOf(hero('top')) })).id);
    const variantDocument = documentOf(hero('top'), { id: 'pic', component: 'Picture', props: { image: image.id }, children: [] });
    await cms.member.client.data(`mutation ($pageId: ID!, $input: StartPageExperimentInput!) { startPageExperiment(pageId: $pageId, input: $input) { id } }`, {
      pageId: page.id,
      input: { variants: [{ key: 'control', weight: 50 }, { key: 'pictured', weight: 50, title: 'With a picture', document: variantDocument }], goal: { eventName: 'signup' } },
    });

    const { mediaAsset } = await cms.viewer.client.data(`query ($id: ID!) { mediaAsset(id: $id) { usages { id } } }`, { id: image.id });
    expect(mediaAsset.usages).toEqual([{ id: page.id }]);
    const deleteMutation = `mutation ($id: ID!) { deleteMediaAsset(id: $id) }`;
    const refused = await cms.member.client.request(deleteMutation, { id: image.id });
    expect(errorCodes(refused)).toEqual(['CONFLICT']);
    expect(refused.errors![0]!.extensions!.pages).toEqual([page.id]);

    await cms.member.client.data(`mutation ($pageId: ID!) { endPageExperiment(pageId: $pageId, promote: "control") { id } }`, { pageId: page.id });
    expect((await cms.member.client.data(deleteMutation, { id: image.id })).deleteMediaAsset).toBe(true);
  });
});
