// Secrets never leave in a message or a case file.
import { describe, expect, it } from 'vitest';
import { maskSecrets, maskUrl, withoutUrl } from '../../src/core/mask.js';

describe('GIVEN text that holds secrets', () => {
  it.each([
    ['arn:aws:ecs:ap-northeast-1:123456789012:service/x', 'arn:aws:ecs:ap-northeast-1:<account-id>:service/x'],
    ['rediss://default:s3cr3t@cache:6379/0', 'rediss://default:***@cache:6379/0'],
    ['redis://:p@ss/w0rd@cache:6379 refused', 'redis://:***@cache:6379 refused'],
    ['see https://hooks.slack.com/services/T0/B0/XYZ now', 'see https://hooks.slack.com/… now'],
    ['key AKIAABCDEFGHIJKLMNOP used', 'key <token> used'],
    ['Authorization: Bearer abc.def', 'Authorization: Bearer <token>'],
    ['{"apiKey": "zzz"}', '{"apiKey": "<secret>"}'],
    ['latency 1234567890123 ms, 12 tasks', 'latency 1234567890123 ms, 12 tasks'],
  ])('THEN %j is written %j', (text, masked) => {
    expect(maskSecrets(text)).toBe(masked);
  });

  it('THEN a webhook URL is named by its host only, and removed from an error that quotes it', () => {
    const url = 'https://hooks.slack.com/services/T0/B0/XYZ';
    expect(maskUrl(url)).toBe('https://hooks.slack.com/…');
    expect(withoutUrl(`fetch ${url} failed`, url)).toBe('fetch https://hooks.slack.com/… failed');
  });
});
