import type { ApiExample } from './api-example.ts';
import { aiExamples } from './ai.ts';
import { analyticsExamples } from './analytics.ts';
import { auditExamples } from './audit.ts';
import { cmsExamples } from './cms.ts';
import { identityExamples } from './identity.ts';
import { integrationsExamples } from './integrations.ts';
import { mediaExamples } from './media.ts';
import { tokensExamples } from './tokens.ts';
import { workflowsExamples } from './workflows.ts';

/** Every example of the API reference, one file per domain. */
export const examples: readonly ApiExample[] = [
  ...identityExamples,
  ...auditExamples,
  ...cmsExamples,
  ...tokensExamples,
  ...aiExamples,
  ...integrationsExamples,
  ...analyticsExamples,
  ...workflowsExamples,
  ...mediaExamples,
];
