import type { EventBus } from '@token-nexus/shared';

/** What `mediaAssetUpdated` hears: which asset changed (subscribers read it afresh). */
export interface AssetUpdate {
  assetId: string;
}

export function assetUpdatesTopic(organizationId: string): string {
  return `media:assets:${organizationId}`;
}

/**
 * Tells subscribers about assets that changed; call it after the change committed. A
 * lost notice only delays a screen, so failures are logged and forgotten.
 */
export function createAssetNotifier(events: EventBus, onError: (error: unknown) => void) {
  return (assets: readonly { id: string; organizationId: string }[]): void => {
    for (const asset of assets) {
      const update: AssetUpdate = { assetId: asset.id };
      events.publish(assetUpdatesTopic(asset.organizationId), update).catch(onError);
    }
  };
}

export type AssetNotifier = ReturnType<typeof createAssetNotifier>;
