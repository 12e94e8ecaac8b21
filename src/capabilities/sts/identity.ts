// Who the credentials are: STS GetCallerIdentity (no permission needed to call it). Used to
// put the real account into IAM policies and to name who acts. Under a short deadline: no
// answer in time means "unknown", never a hang.
import type { Aws } from '../aws.js';

export interface CallerIdentity {
  account: string;
  arn: string;
}

export async function callerIdentity(aws: Pick<Aws, 'sts'>, timeoutMs = 1000): Promise<CallerIdentity | undefined> {
  try {
    const { client, sdk } = await aws.sts();
    const res = await client.send(new sdk.GetCallerIdentityCommand({}), { abortSignal: AbortSignal.timeout(timeoutMs) });
    return res.Account && res.Arn ? { account: res.Account, arn: res.Arn } : undefined;
  } catch {
    // No credentials, no network, no answer in time: the caller says what it used instead.
    return undefined;
  }
}
