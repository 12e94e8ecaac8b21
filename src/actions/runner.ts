// PLACEHOLDER until the remediation issue lands: every action step is planned, not applied.
// The real runner (plan → show → confirm → apply → verify → record) replaces this body and
// keeps the signature.
import type { ActionStep } from '../runbook/schema.js';
import type { StepStatus } from '../journal/records.js';
import type { RunContext } from './types.js';

export async function runStep(step: ActionStep, ctx: RunContext): Promise<StepStatus> {
  ctx.io.stderr.write(`    ${step.action} ${JSON.stringify(step.params)}\n    (planned, not applied)\n`);
  ctx.journal.append({ type: 'step', step: ctx.nextStep(), node: ctx.node, text: step.text, action: step.action, params: step.params, status: 'planned' });
  return 'planned';
}
