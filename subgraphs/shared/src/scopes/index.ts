export * from './scope-catalogue.ts';
export * from './scope-requirement.ts';
export * from './apply-scope-requirements.ts';
export * from './describe-scopes.ts';
