// Who acts, as the team sees it: the AWS caller's ARN (STS GetCallerIdentity) when the
// credentials answer within a second, else $USER@hostname. Shown on every lease, approval and
// event of the team table; never settable by a flag — a lease or an approval names a person.
import { hostname } from 'node:os';
import type { Aws } from '../capabilities/aws.js';
import { callerIdentity } from '../capabilities/sts/identity.js';
import { whoAmI } from '../journal/journal.js';

export interface Identity {
  /** The one string compared and shown: an ARN, or user@host. */
  id: string;
  /** As the journal's start and resume records name people: who, and on which host. */
  who: string;
  host: string;
  source: 'sts' | 'local';
}

export function localIdentity(env: NodeJS.ProcessEnv): Identity {
  const { who, host } = whoAmI(env);
  return { id: `${who}@${host}`, who, host, source: 'local' };
}

export async function teamIdentity(aws: Pick<Aws, 'sts'>, env: NodeJS.ProcessEnv, timeoutMs = 1000): Promise<Identity> {
  // The request's abort signal does not cover the credential chain (an SSO refresh, IMDS), so
  // the deadline is kept here too: no answer in time is no answer.
  let cancel = () => {};
  const late = new Promise<undefined>((resolve) => {
    const timer = setTimeout(resolve, timeoutMs);
    cancel = () => clearTimeout(timer);
  });
  const caller = await Promise.race([callerIdentity(aws, timeoutMs), late]);
  cancel();
  // The journal prints who@host: an ARN stands for the who, the machine stays the host.
  return caller ? { id: caller.arn, who: caller.arn, host: hostname(), source: 'sts' } : localIdentity(env);
}
