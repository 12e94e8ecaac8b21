import { CloudWatchClient, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { classifyError, createAws, credentialsError, errorLine, isCredentialsError, resolveRegion } from '../../src/capabilities/aws.js';
import { MangaopsError } from '../../src/core/errors.js';
import { liveSource } from '../../src/walk/live-source.js';
import { metric, requests } from '../helpers/live-probes.js';

describe('region', () => {
  it('is --region, else AWS_REGION, else the config, else ap-northeast-1', () => {
    expect(resolveRegion({ region: 'us-west-2', env: { AWS_REGION: 'eu-west-1' }, config: { region: 'ap-south-1' } })).toBe('us-west-2');
    expect(resolveRegion({ env: { AWS_REGION: 'eu-west-1' }, config: { region: 'ap-south-1' } })).toBe('eu-west-1');
    expect(resolveRegion({ env: {}, config: { region: 'ap-south-1' } })).toBe('ap-south-1');
    expect(resolveRegion({ env: {} })).toBe('ap-northeast-1');
  });
});

describe('clients', () => {
  it('are created once, with the region, adaptive retry, and a profile only when one is given', async () => {
    const aws = createAws({ env: {}, config: { region: 'ap-northeast-1' } });
    const a = await aws.cloudwatch();
    expect(await aws.cloudwatch()).toBe(a);
    expect(await a.client.config.region()).toBe('ap-northeast-1');
    expect(await a.client.config.retryStrategy()).toMatchObject({ mode: 'adaptive' });
    expect((a.client.config as { profile?: string }).profile).toBeUndefined();
    // No endpoint is set here: the SDK resolves AWS_ENDPOINT_URL(_<SERVICE>) itself.
    expect((a.client.config as { endpoint?: unknown }).endpoint).toBeUndefined();

    const withProfile = createAws({ env: {}, profile: 'oncall' });
    expect((((await withProfile.ecs()).client.config) as { profile?: string }).profile).toBe('oncall');
    expect(withProfile.profile).toBe('oncall');
    expect(createAws({ env: { AWS_PROFILE: 'from-env' } }).profile).toBe('from-env');
  });
});

describe('credentials errors', () => {
  it.each([
    ['CredentialsProviderError', 'Could not load credentials from any providers'],
    ['ExpiredTokenException', 'The security token included in the request is expired'],
    ['UnrecognizedClientException', 'The security token included in the request is invalid.'],
    ['InvalidClientTokenId', 'The security token included in the request is invalid'],
    ['TokenProviderError', 'The SSO session associated with this profile has expired or is otherwise invalid.'],
  ])('%s is a credentials problem, not a probe failure', (name, message) => {
    expect(isCredentialsError(Object.assign(new Error(message), { name }))).toBe(true);
  });

  it('AccessDenied and throttling are not', () => {
    expect(classifyError(Object.assign(new Error('not authorized to perform: ecs:ListTasks'), { name: 'AccessDeniedException' }))).toBe('denied');
    expect(classifyError(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }))).toBe('throttled');
    expect(classifyError(Object.assign(new Error('Requested resource not found'), { name: 'ResourceNotFoundException' }))).toBe('not found');
  });

  it('say how to fix them, naming the profile', () => {
    const e = credentialsError(Object.assign(new Error('Token is expired'), { name: 'TokenProviderError' }), { profile: 'prod-oncall', region: 'ap-northeast-1' });
    expect(e).toBeInstanceOf(MangaopsError);
    expect(e.exitCode).toBe(1);
    expect(e.message).toBe("AWS credentials for profile 'prod-oncall' have expired (TokenProviderError: Token is expired)");
    expect(e.hint).toMatch(/aws sso login --profile prod-oncall/);
    const none = credentialsError(Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' }), { profile: undefined, region: 'x' });
    expect(none.message).toMatch(/default credential chain were not found/);
    expect(none.hint).toMatch(/--profile NAME or set AWS_PROFILE/);
  });
});

describe('GIVEN a gather on the mocked CloudWatch client', () => {
  const cw = mockClient(CloudWatchClient);
  afterEach(() => cw.reset());

  it('WHEN the token has expired THEN the gather fails once with one MangaopsError, not a card per probe', async () => {
    cw.on(GetMetricDataCommand).rejects(Object.assign(new Error('The security token included in the request is expired'), { name: 'ExpiredTokenException' }));
    const settled: string[] = [];
    const src = liveSource(createAws({ env: {}, profile: 'prod-oncall' }));
    const gather = src.gather(requests({ a: metric('a'), b: metric('b'), c: metric('c') }), (id) => settled.push(id));
    await expect(gather).rejects.toThrow(MangaopsError);
    await expect(gather).rejects.toMatchObject({ exitCode: 1, message: expect.stringMatching(/^AWS credentials for profile 'prod-oncall' have expired/) });
    expect(settled).toEqual([]);
  });
});


describe('errorLine', () => {
  it('GIVEN an SDK error that quotes a URL with a password THEN its one line masks it, as every message does', () => {
    expect(errorLine(new Error('getaddrinfo failed for https://svc:hunter2@vpce.example/\n  at retry'))).toBe('getaddrinfo failed for https://svc:****@vpce.example/');
  });
});
