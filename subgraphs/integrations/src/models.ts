/** An entity another subgraph owns, known here by its id only. */
export interface EntityReference {
  id: string;
}
