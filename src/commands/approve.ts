// mangaops approve <incident> <step> [--note TEXT]: the second person of the two-person rule.
// It plans the step again (reads only), shows that plan, and records the approval once
// confirmed — refused to the engineer who planned the step, and refused when what the plan
// would change (from → to) is not what was planned any more: then a new plan is needed.
import type { ActionContext, Plan } from '../capabilities/action.js';
import { getAction } from '../capabilities/actions.js';
import { livePorts } from '../capabilities/adapters.js';
import type { Ports } from '../capabilities/ports.js';
import { withDeadline } from '../core/deadline.js';
import { MangaopsError, NeedsHumanError, UsageError } from '../core/errors.js';
import type { Io } from '../core/io.js';
import { Journal, readJournal } from '../journal/journal.js';
import type { ApprovalRecord, StepRecord } from '../journal/records.js';
import { approvalKeyOf } from '../team/approvals.js';
import { deadlinesFor } from '../runner/deadlines.js';
import { validateParams } from '../runner/runner.js';
import { localIncident } from '../team/sync-all.js';
import { tableError } from '../team/team.js';
import { renderPlan } from '../ui/plan-view.js';
import { screenOf } from '../ui/screen.js';
import { wrap } from '../ui/wrap.js';
import { configFor, type CommonOptions } from './context.js';
import { openTeamFor, withTeam } from './team-context.js';

export interface ApproveOptions extends CommonOptions {
  incident: string;
  step: string;
  note?: string;
  /** Approve without asking (no terminal). */
  yes?: boolean;
  redisUrl?: string;
}

type Change = Plan['changes'][number];
const changeText = (changes: Change[]) => changes.map((c) => `${c.what} ${c.from ?? '?'} → ${c.to}`).join(', ') || 'no change';
const sameChanges = (a: Change[], b: Change[]) => JSON.stringify(a.map((c) => [c.what, c.from ?? null, c.to])) === JSON.stringify(b.map((c) => [c.what, c.from ?? null, c.to]));


/** An approval given before: said as a sentence, or under --json as the one result object. */
function already(io: Io, options: { incident: string; json?: boolean }, step: number, at?: string): number {
  if (options.json) io.stdout.write(JSON.stringify({ incident: options.incident, step, alreadyApproved: true, at: at ?? null }, null, 2) + '\n');
  else io.stdout.write(`You approved step ${step} of ${options.incident} already${at ? `, at ${at.slice(0, 19).replace('T', ' ')} UTC` : ''}.\n`);
  return 0;
}
export async function approve(options: ApproveOptions, io: Io, deps: { ports?: Ports } = {}): Promise<number> {
  const config = await configFor(options, io);
  return withTeam(openTeamFor(options, config, io), async (team) => {
    if (!team) throw new UsageError('approvals need the team table, and none is configured', 'name one in the config (team: {table: mangaops-team}) or MANGAOPS_TEAM_TABLE; mangaops team init creates it');
    const me = team.identity.id;
    const local = await localIncident(team, options.incident, io.env, io.now);
    const records = readJournal(local.file);
    const n = Number(options.step);
    const requests = records.filter((r): r is ApprovalRecord => r.type === 'approval' && r.status === 'requested');
    const request = requests.find((r) => r.step === n);
    const planned = records.find((r): r is StepRecord => r.type === 'step' && r.step === n && r.status === 'planned');
    if (!request || !planned?.action) {
      const waiting = requests.map((r) => `${r.step} (${r.action})`).join(', ');
      throw new UsageError(`step ${options.step} of ${options.incident} is not waiting for an approval`, waiting ? `steps that asked for one: ${waiting}` : `nothing in ${options.incident} asked for one (mangaops journal show ${options.incident})`);
    }
    if (request.by === me) {
      throw new MangaopsError(`you (${me}) planned step ${n} yourself: another engineer must approve it`, 1, 'that is the two-person rule (config approvals); ask someone on call to run this');
    }
    let mine;
    try {
      mine = (await team.store.approvals(options.incident)).find((a) => a.step === n && a.by === me);
    } catch (e) {
      throw new MangaopsError(`cannot approve: the team table ${team.table} cannot be reached (${tableError(e)})`, 1, 'try again when it answers');
    }
    if (mine) return already(io, options, n, mine.at);

    // The same plan, read again now: the approval is of what would happen now.
    const action = getAction(planned.action);
    const params = validateParams(action, planned.params ?? {});
    const ports = deps.ports ?? livePorts({ region: options.region, profile: options.profile, redisUrl: options.redisUrl, env: io.env, config });
    let plan: Plan;
    try {
      const actx: ActionContext = { ports, force: false, config, now: io.now, sleep: async () => {}, deadlineMs: 0, progress: () => {} };
      // Under the runner's plan deadline, as every plan is: a frozen read does not hold the approver.
      plan = await withDeadline({ name: 'planning', ms: deadlinesFor(config).planMs }, () => action.plan(params, actx));
    } finally {
      await ports.close();
    }
    const was = ((planned.plan as { changes?: Change[] } | undefined)?.changes ?? []) as Change[];
    if (!sameChanges(was, plan.changes)) {
      throw new MangaopsError(
        `step ${n}'s plan no longer holds: it was ${changeText(was)}; now it would be ${changeText(plan.changes)}. Not approved: a new plan is needed`,
        1,
        `${request.by} plans it again with: mangaops resume ${options.incident}`,
      );
    }
    const screen = screenOf(io, options.json);
    screen.report.write(wrap(`Step ${n} of ${options.incident}, planned by ${request.by}, needs ${request.needed} approval${request.needed === 1 ? '' : 's'}:`, io.columns, '', '  ') + '\n');
    screen.report.write(renderPlan(plan, { color: screen.color, columns: io.columns, force: false }));
    if (!options.yes) {
      if (!io.interactive || options.json) throw new NeedsHumanError(`step ${n} was not approved: there is no terminal to confirm it on`, 'read the plan above, then pass --yes to approve it');
      const yes = await io.prompter.confirm({ id: `approve:${n}`, message: `Approve step ${n}: ${plan.summary}?`, defaultValue: false });
      if (!yes) {
        screen.report.write('Not approved.\n');
        return 1;
      }
    }
    const at = new Date(io.now()).toISOString();
    const key = approvalKeyOf(action.name, params, plan.changes);
    let recorded: boolean;
    try {
      recorded = await team.store.putApproval({ incident: options.incident, step: n, action: action.name, by: me, at, ...(options.note && { note: options.note }), key, requestedBy: request.by });
    } catch (e) {
      throw new MangaopsError(`cannot record the approval: the team table ${team.table} cannot be reached (${tableError(e)})`, 1, 'try again when it answers');
    }
    if (!recorded) return already(io, options, n);
    // In the incident's journal too, so the timeline and the review show it.
    const journal = Journal.open(local.file, options.incident, io.now);
    local.sync?.follow(journal);
    journal.append({ type: 'approval', status: 'approved', step: n, action: action.name, needed: request.needed, by: me, approvals: [{ by: me, at, step: n, ...(options.note && { note: options.note }) }], ...(options.note && { note: options.note }) });
    await local.sync?.flush();
    if (options.json) io.stdout.write(JSON.stringify({ incident: options.incident, step: n, action: action.name, approvedBy: me, at, note: options.note ?? null, requestedBy: request.by, next: `mangaops resume ${options.incident} --yes` }, null, 2) + '\n');
    else io.stdout.write(wrap(`Approved step ${n} of ${options.incident} (${action.name}). ${request.by} applies it with: mangaops resume ${options.incident} --yes`, io.columns, '', '  ') + '\n');
    return 0;
  });
}
