/** What a deployer key is bound to (the additional authenticated data of its encryption). */
export function deployerKeyBinding(organizationId: string, chainId: number): string {
  return `deployer:${organizationId}:${chainId}`;
}
