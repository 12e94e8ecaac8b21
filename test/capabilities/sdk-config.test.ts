// The real SDK, the real credential chain and a local endpoint: no aws-sdk-client-mock here
// (it stubs the client prototype for the whole file), so the SDK's own retry, endpoint and
// credential resolution run as they do for a user.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createAws } from '../../src/capabilities/aws.js';
import { liveSource } from '../../src/walk/live-source.js';
import { startCloudWatchStandIn, type StandIn } from '../helpers/cloudwatch-standin.js';
import { metric, requests } from '../helpers/live-probes.js';

describe('GIVEN the real SDK and credential chain (no mock)', () => {
  let standIn: StandIn;
  beforeEach(async () => {
    standIn = await startCloudWatchStandIn({ throttleFirst: 1 });
  });
  afterEach(async () => {
    vi.unstubAllEnvs();
    await standIn.close();
  });

  function noCredentials() {
    for (const k of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE', 'AWS_WEB_IDENTITY_TOKEN_FILE', 'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI', 'AWS_CONTAINER_CREDENTIALS_FULL_URI']) vi.stubEnv(k, undefined);
    vi.stubEnv('AWS_CONFIG_FILE', '/nonexistent/mangaops/config');
    vi.stubEnv('AWS_SHARED_CREDENTIALS_FILE', '/nonexistent/mangaops/credentials');
    vi.stubEnv('AWS_EC2_METADATA_DISABLED', 'true');
    vi.stubEnv('AWS_ENDPOINT_URL_CLOUDWATCH', standIn.endpoint);
  }

  it('WHEN no credentials can be found THEN one line says so and how to fix it, and no request is sent', async () => {
    noCredentials();
    const src = liveSource(createAws({ env: process.env }));
    const gather = src.gather(requests({ a: metric('a'), b: metric('b') }, 5000));
    await expect(gather).rejects.toMatchObject({
      name: 'MangaopsError',
      exitCode: 1,
      message: expect.stringMatching(/^AWS credentials for the default credential chain were not found \(CredentialsProviderError/),
      hint: expect.stringMatching(/--profile NAME or set AWS_PROFILE/),
    });
    expect(standIn.requests).toHaveLength(0);
  });

  it('WHEN AWS_ENDPOINT_URL_CLOUDWATCH points at a local endpoint that throttles once THEN the SDK retries inside the deadline and the card has the value', async () => {
    noCredentials();
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'local');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'local');
    const src = liveSource(createAws({ env: process.env }));
    const evidence = await src.gather(requests({ a: metric('first_token_latency_ms', { stat: 'Sum', reduce: 'sum' }) }, 5000));
    expect(standIn.requests.map((r) => r.target)).toEqual(['GraniteServiceVersion20100801.GetMetricData', 'GraniteServiceVersion20100801.GetMetricData']);
    expect(evidence.a).toMatchObject({ status: 'ok' });
    expect(evidence.a!.status === 'ok' && evidence.a!.value).toBeGreaterThanOrEqual(10);
  });
});
