// Who acts, as the team table names them: the STS caller's ARN when the credentials answer in
// time, else $USER@host — on the real SDK client, mocked with aws-sdk-client-mock.
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { hostname } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { teamIdentity } from '../../src/team/identity.js';

const sts = mockClient(STSClient);
const client = new STSClient({ region: 'ap-northeast-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
const aws = { sts: async () => ({ client, sdk: await import('@aws-sdk/client-sts') }) };
const env = { USER: 'oncall-primary' };

afterEach(() => sts.reset());

describe('team identity', () => {
  it('GIVEN credentials that answer THEN the caller ARN, the machine as its host', async () => {
    sts.on(GetCallerIdentityCommand).resolves({ Account: '123456789012', Arn: 'arn:aws:sts::123456789012:assumed-role/oncall/alice' });
    expect(await teamIdentity(aws, env)).toEqual({ id: 'arn:aws:sts::123456789012:assumed-role/oncall/alice', who: 'arn:aws:sts::123456789012:assumed-role/oncall/alice', host: hostname(), source: 'sts' });
  });

  it('GIVEN no credentials THEN $USER@host', async () => {
    sts.on(GetCallerIdentityCommand).rejects(Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' }));
    expect(await teamIdentity(aws, env)).toEqual({ id: `oncall-primary@${hostname()}`, who: 'oncall-primary', host: hostname(), source: 'local' });
  });

  it('GIVEN credentials slower than the deadline THEN $USER@host, without waiting for them', async () => {
    sts.on(GetCallerIdentityCommand).callsFake(() => new Promise((resolve) => setTimeout(() => resolve({ Account: '1', Arn: 'arn:late' }), 2000)));
    const started = Date.now();
    expect((await teamIdentity(aws, env, 50)).source).toBe('local');
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
