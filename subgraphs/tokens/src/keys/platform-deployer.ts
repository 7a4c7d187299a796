/**
 * The platform's own deployer key on each chain (it deploys and pays for the token
 * factories), stored like an organization's: in `deployer_keys`, under the nil UUID, which
 * no organization can have (identity makes version-7 UUIDs).
 */
export const platformDeployer = '00000000-0000-0000-0000-000000000000';
