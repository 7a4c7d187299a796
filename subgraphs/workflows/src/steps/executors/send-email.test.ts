import { describe, expect, test } from 'vitest';
import { StepFailedError, type StepDependencies, type StepExecution } from '../../engine/step-execution.ts';
import { runSendEmail } from './send-email.ts';

const execution = (input: Record<string, unknown>, trigger: Record<string, unknown>): StepExecution => ({
  run: { id: 'r1', organizationId: 'o1', workflowId: 'w1', version: 1, causation: ['r1'] },
  step: { key: 'notify', type: 'sendEmail', input, next: null, branches: null },
  attempt: 1,
  stepStartedAt: new Date(),
  scope: { trigger, vars: {}, steps: {} },
  signal: new AbortController().signal,
});
// sendEmail needs nothing from the service.
const deps = {} as StepDependencies;

describe('a sendEmail step', () => {
  test('hands the mailer the rendered message as text, its subject on one line', async () => {
    const input = { to: '{{ trigger.email }}', subject: 'Order {{ trigger.id }} for {{ trigger.name }}', body: 'Hi {{ trigger.name }},\n<b>thanks</b>' };
    const outcome = await runSendEmail(execution(input, { email: 'ada@example.com', id: 7, name: 'Ada\r\nBcc: eve@example.com' }), deps);
    expect(outcome).toEqual({
      kind: 'done',
      output: { to: 'ada@example.com', subject: 'Order 7 for Ada Bcc: eve@example.com' },
      mail: { to: 'ada@example.com', subject: 'Order 7 for Ada Bcc: eve@example.com', text: 'Hi Ada\r\nBcc: eve@example.com,\n<b>thanks</b>' },
    });
  });

  test('fails the run at once when the rendered recipient is not one address', async () => {
    for (const email of ['ada@example.com, eve@example.com', 'ada@example.com\nBcc: eve@example.com', 'nobody', '']) {
      const attempt = runSendEmail(execution({ to: '{{ trigger.email }}', subject: 's', body: 'b' }, { email }), deps);
      await expect(attempt, email).rejects.toThrow(StepFailedError);
      await expect(attempt, email).rejects.toMatchObject({ options: { retryable: false }, message: expect.stringContaining('Step notify') });
    }
  });
});
