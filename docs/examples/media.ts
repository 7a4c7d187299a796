import type { ApiExample } from './api-example.ts';

const orgId = '8d0c3a52-6f1e-4b7a-9c2d-1e5f7a9b3c40';
const assetId = '6b2d8f4a-0c1e-4a7b-9d3f-5e7a9c1b3d62';

/** Examples of the media page. */
export const mediaExamples: ApiExample[] = [
  {
    field: 'Query.mediaAssets',
    title: "an organization's images whose name, title or alt text mentions a logo",
    caller: 'user',
    operation: `query MediaAssets($orgId: ID!, $search: String) {
  mediaAssets(orgId: $orgId, kind: IMAGE, search: $search, first: 20) {
    edges { node { id filename status width height alt variants { name width height url } } }
    pageInfo { hasNextPage endCursor }
  }
}`,
    variables: { orgId, search: 'logo' },
  },
  {
    field: 'Query.mediaAsset',
    title: 'one asset with its variants and a download link valid for ten minutes',
    caller: 'user',
    operation: `query MediaAsset($id: ID!) {
  mediaAsset(id: $id) {
    filename contentType kind byteSize sha256 status rejectionReason width height title alt
    url(expiresInSeconds: 600)
    variants { name width height contentType byteSize url }
  }
}`,
    variables: { id: assetId },
  },
  {
    field: 'Mutation.createMediaUpload',
    title: 'start an upload: where to PUT the bytes, and the pending asset',
    caller: 'user',
    operation: `mutation CreateMediaUpload($orgId: ID!, $input: CreateMediaUploadInput!) {
  createMediaUpload(orgId: $orgId, input: $input) {
    asset { id status }
    uploadUrl
    uploadMethod
    uploadHeaders
    expiresAt
    alreadyStored
  }
}`,
    variables: {
      orgId,
      input: {
        filename: 'team-photo.jpg',
        contentType: 'image/jpeg',
        byteSize: 482133,
        sha256: 'bd125d781f8c4273f47d91a575eac4a8e2e035f201a9da8957ce6b36600c3cdf',
        title: 'The launch team',
        alt: 'Five people smiling in front of a whiteboard',
      },
    },
  },
  {
    field: 'Mutation.completeMediaUpload',
    title: 'say the bytes were sent: the asset is checked and processed in the background',
    caller: 'user',
    operation: `mutation CompleteMediaUpload($id: ID!) {
  completeMediaUpload(id: $id) { id status }
}`,
    variables: { id: assetId },
  },
  {
    field: 'Mutation.updateMediaAsset',
    title: "change an image's title and alt text",
    caller: 'user',
    operation: `mutation UpdateMediaAsset($id: ID!, $input: UpdateMediaAssetInput!) {
  updateMediaAsset(id: $id, input: $input) { id title alt updatedAt }
}`,
    variables: { id: assetId, input: { title: 'Logo, dark', alt: 'The Token Nexus logo, white on navy' } },
  },
  {
    field: 'Mutation.deleteMediaAsset',
    title: 'delete an asset',
    caller: 'user',
    operation: `mutation DeleteMediaAsset($id: ID!) {
  deleteMediaAsset(id: $id)
}`,
    variables: { id: assetId },
  },
  {
    field: 'Subscription.mediaAssetUpdated',
    title: "following the organization's media as uploads are processed and changed",
    caller: 'user',
    operation: `subscription MediaAssetUpdated($orgId: ID!) {
  mediaAssetUpdated(orgId: $orgId) { id filename status rejectionReason title alt }
}`,
    variables: { orgId },
  },
];
