import type { StepExecutor } from '../../engine/step-execution.ts';
import type { StepTypeName } from '../step-types.ts';
import { runAiPrompt } from './ai-prompt.ts';
import { runCondition } from './condition.ts';
import { runDelay } from './delay.ts';
import { runGraphql } from './graphql.ts';
import { runHttpRequest } from './http-request.ts';
import { runSendEmail } from './send-email.ts';
import { runSetVariables } from './set-variables.ts';

/** The executor of each step type; a Record over the names, so a new step type cannot be left without one. */
export const stepExecutors: Record<StepTypeName, StepExecutor> = {
  condition: runCondition,
  setVariables: runSetVariables,
  delay: runDelay,
  sendEmail: runSendEmail,
  httpRequest: runHttpRequest,
  aiPrompt: runAiPrompt,
  graphql: runGraphql,
};
