export { startGateway, type RunningGateway } from './gateway-server.ts';
export { loadGatewayConfig, type ExplorerMode, type GatewayConfig } from './config.ts';
export { composeSupergraph, CompositionError } from './supergraph/compose-supergraph.ts';
export { openApiDocument } from './openapi/openapi-document.ts';
