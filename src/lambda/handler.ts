// The AWS Lambda entry, bundled on its own (scripts/prepare.mjs → dist/lambda/handler.mjs):
// `handler(event)` runs the pre-diagnosis `mangaops on-alarm` runs, for an EventBridge alarm
// state change or an SNS notification of one. The report goes to the function's log; the
// journal and the claims to /tmp (XDG_STATE_HOME); the webhook URL from MANGAOPS_WEBHOOK_URL,
// the config's notify.webhook, or the SSM SecureString named by MANGAOPS_WEBHOOK_PARAMETER.
// An event that is not an alarm is logged and dropped (a retry would not change it); a failure
// to walk or to post throws, so Lambda retries the delivery (the claim was released).
import type { AlarmHandled } from '../alarm/on-alarm.js';
import { handleAlarmEvent } from '../alarm/on-alarm.js';
import { parseAlarmEvent } from '../alarm/event.js';
import { liveDeps } from '../commands/on-alarm.js';
import { openTeamFor, withTeam } from '../commands/team-context.js';
import { loadConfig } from '../core/config.js';
import { MangaopsError, UsageError } from '../core/errors.js';
import type { Io, Prompter } from '../core/io.js';
import { readSecureParameter } from './parameter.js';

/** What Lambda passes as the second argument; only these are read. */
export interface LambdaContext {
  functionName?: string;
  awsRequestId?: string;
}

/** What the function returns per transition: what happened, without the message itself. */
export type HandledSummary = AlarmHandled extends infer H ? (H extends AlarmHandled ? Omit<H, 'message'> : never) : never;

export type HandlerResult = { handled: HandledSummary[] } | { handled: []; ignored: string };

const neverAsks: Prompter = {
  async choose() {
    throw new MangaopsError('the Lambda never asks: a pre-diagnosis runs with --auto');
  },
  async confirm() {
    throw new MangaopsError('the Lambda never asks: a pre-diagnosis runs with --auto');
  },
  async input() {
    throw new MangaopsError('the Lambda never asks: a pre-diagnosis runs with --auto');
  },
};

function lambdaIo(env: NodeJS.ProcessEnv): Io {
  return {
    stdout: { write: (s) => void process.stdout.write(s) },
    stderr: { write: (s) => void process.stderr.write(s) },
    interactive: false,
    color: false,
    columns: 100,
    env,
    prompter: neverAsks,
    now: () => Date.now(),
  };
}

// One read of the SSM parameter per container: the extension caches too, but a warm
// invocation should not wait on it at all.
let cachedWebhook: { name: string; url: Promise<string> } | undefined;

async function webhookFor(env: NodeJS.ProcessEnv, configured: string | undefined): Promise<string | undefined> {
  if (env.MANGAOPS_WEBHOOK_URL) return env.MANGAOPS_WEBHOOK_URL;
  if (configured) return configured;
  const name = env.MANGAOPS_WEBHOOK_PARAMETER;
  if (!name) return undefined;
  if (cachedWebhook?.name !== name) {
    const url = readSecureParameter(name, env);
    cachedWebhook = { name, url };
    url.catch(() => (cachedWebhook = undefined));
  }
  return cachedWebhook.url;
}

export async function handler(event: unknown, context: LambdaContext = {}): Promise<HandlerResult> {
  // /tmp is the only place a function may write: journals and claims go there.
  const env: NodeJS.ProcessEnv = { ...process.env, XDG_STATE_HOME: process.env.XDG_STATE_HOME || '/tmp/mangaops' };
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const io = lambdaIo(env);
  let events;
  try {
    events = parseAlarmEvent(event);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    io.stderr.write(`mangaops: ${e.message}; the event is dropped\n`);
    return { handled: [], ignored: e.message };
  }
  const config = await loadConfig({ file: env.MANGAOPS_CONFIG, env });
  // The secret is read only when something may be posted.
  const webhook = events.some((e) => e.alarm.state === 'ALARM') ? await webhookFor(env, config.notify?.webhook) : undefined;
  const handled: HandledSummary[] = [];
  // With MANGAOPS_TEAM_TABLE (deploy/template.yaml sets it), the incident lives in the team
  // table, not in this container's /tmp: the engineer paged resumes it from their laptop.
  await withTeam(openTeamFor({}, config, io), async (team) => {
    const deps = await liveDeps(config, io, { webhook }, team);
    deps.who = { who: `on-alarm (Lambda ${context.functionName ?? env.AWS_LAMBDA_FUNCTION_NAME ?? '?'})`, host: env.AWS_REGION ?? 'lambda' };
    for (const e of events) {
      const h = await handleAlarmEvent(e, deps);
      if (h.status !== 'pre-diagnosed') io.stderr.write(`mangaops: ${h.reason}\n`);
      const { message: _m, ...rest } = h as AlarmHandled & { message?: unknown };
      handled.push(rest as HandledSummary);
    }
  });
  return { handled };
}
