import { isMailAddress, oneLine } from '@token-nexus/shared';
import { StepFailedError, type StepExecutor } from '../../engine/step-execution.ts';
import { renderTemplate } from '../expressions/render-template.ts';

/**
 * Hands one email to the platform's mailer (with the step's success, in one transaction).
 * Values go into the subject and body as text: the mailer escapes them for its HTML part.
 * The subject is kept on one line, so a line break in a value cannot end the header early.
 * The rendered recipient must be one bare address (no list, no header injection), else the
 * run fails at once: sending again would render the same address.
 */
export const runSendEmail: StepExecutor = async ({ step, scope }) => {
  const to = renderTemplate(String(step.input.to), scope).trim();
  if (!isMailAddress(to)) {
    throw new StepFailedError(`Step ${step.key}: the recipient ${JSON.stringify(to)} is not one email address`, {
      retryable: false,
      code: 'BAD_USER_INPUT',
    });
  }
  const subject = oneLine(renderTemplate(String(step.input.subject), scope));
  if (subject === '') throw new StepFailedError(`Step ${step.key}: the subject is empty once rendered`, { retryable: false, code: 'BAD_USER_INPUT' });
  const text = renderTemplate(String(step.input.body), scope);
  return { kind: 'done', output: { to, subject }, mail: { to, subject, text } };
};
