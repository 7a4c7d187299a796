import { assignVariant } from '@token-nexus/shared';
import { describe, expect, test } from 'vitest';
import { cmsOrganization, createPage, documentOf, hero, publishPage } from '../testkit/cms-seed.ts';
import { useTestGraph } from '../testkit/use-test-graph.ts';

const fixture = useTestGraph();

/** The gateway's limit of root fields per operation: each request asks for this many visitors. */
const visitorsPerRequest = 10;
const requestsInFlight = 6;

/** One operation reading the page for `visitorIds` (one alias each). */
function batchQuery(visitorIds: readonly string[]): string {
  const fields = visitorIds.map((_, index) => `v${index}: publishedPage(orgSlug: $orgSlug, slug: $slug, visitorId: $id${index}) { variant title }`);
  const params = visitorIds.map((_, index) => `$id${index}: String`).join(', ');
  return `query Variants($orgSlug: String!, $slug: String!, ${params}) { ${fields.join(' ')} }`;
}

/** The variant and title the public site shows each visitor, asked in batches, several at a time. */
async function variantsOf(orgSlug: string, slug: string, visitorIds: readonly string[]): Promise<Map<string, { variant: string; title: string }>> {
  const batches: string[][] = [];
  for (let i = 0; i < visitorIds.length; i += visitorsPerRequest) batches.push(visitorIds.slice(i, i + visitorsPerRequest));
  const seen = new Map<string, { variant: string; title: string }>();
  let next = 0;
  async function worker() {
    while (next < batches.length) {
      const batch = batches[next++]!;
      const variables = Object.fromEntries(batch.map((id, index) => [`id${index}`, id]));
      const data = await fixture.graph.client.data(batchQuery(batch), { orgSlug, slug, ...variables });
      batch.forEach((id, index) => seen.set(id, data[`v${index}`]));
    }
  }
  await Promise.all(Array.from({ length: requestsInFlight }, worker));
  return seen;
}

describe('variant assignment through the gateway', () => {
  test("splits 10,000 visitors within 2 points of each variant's weight, the same variant every time", async () => {
    const cms = await cmsOrganization(fixture.graph.client);
    const page = await createPage(cms.member.client, { orgId: cms.organization.id, title: 'Home', document: documentOf(hero('a')) });
    await publishPage(cms.member.client, page.id);
    const variants = [
      { key: 'control', weight: 40 },
      { key: 'short', weight: 35, title: 'Short', document: documentOf(hero('a', { title: 'Short' })) },
      { key: 'long', weight: 25, title: 'Long', document: documentOf(hero('a', { title: 'Long' })) },
    ];
    const experiment = (
      await cms.member.client.data(
        `mutation ($pageId: ID!, $input: StartPageExperimentInput!) { startPageExperiment(pageId: $pageId, input: $input) { id } }`,
        { pageId: page.id, input: { variants, goal: { eventName: 'signup' } } },
      )
    ).startPageExperiment;
    const visitorIds = Array.from({ length: 10_000 }, (_, i) => `visitor-${i}-${i * 7919}`);

    const first = await variantsOf(cms.organization.slug, page.slug, visitorIds);
    const counts = new Map<string, number>();
    for (const id of visitorIds) {
      const shown = first.get(id)!;
      counts.set(shown.variant, (counts.get(shown.variant) ?? 0) + 1);
      // The content is the variant's, and the variant is the shared assignment's.
      expect(shown.title).toBe(shown.variant === 'control' ? 'Home' : shown.variant === 'short' ? 'Short' : 'Long');
      expect(shown.variant).toBe(assignVariant(experiment.id, id, variants));
    }
    for (const variant of variants) {
      const share = ((counts.get(variant.key) ?? 0) / visitorIds.length) * 100;
      expect(Math.abs(share - variant.weight), `${variant.key}: ${share}% for a weight of ${variant.weight}`).toBeLessThanOrEqual(2);
    }

    // Asked again (a sample, in another order): nobody changes variant.
    const sample = visitorIds.filter((_, i) => i % 10 === 0).reverse();
    const again = await variantsOf(cms.organization.slug, page.slug, sample);
    for (const id of sample) expect(again.get(id)!.variant).toBe(first.get(id)!.variant);
  }, 300_000);
});
