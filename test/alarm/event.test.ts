// The alarm event in both shapes AWS delivers it, read into one; the claim that makes a
// redelivery a no-op.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { localClaims } from '../../src/alarm/claims.js';
import { parseAlarmEvent, readAlarmEventText } from '../../src/alarm/event.js';

const fixture = (name: string) => JSON.parse(readFileSync(join(import.meta.dirname, '..', 'fixtures', 'alarms', name), 'utf8')) as Record<string, unknown>;

describe('GIVEN the same transition as EventBridge and as SNS deliver it', () => {
  it('THEN both read as the same alarm, state, moment, metric and threshold', () => {
    const [eb] = parseAlarmEvent(fixture('eventbridge-first-token-alarm.json'));
    const [sns] = parseAlarmEvent(fixture('sns-first-token-alarm.json'));
    for (const e of [eb!, sns!]) {
      expect(e.alarm).toMatchObject({
        name: 'first_token_p95',
        arn: 'arn:aws:cloudwatch:ap-northeast-1:123456789012:alarm:first_token_p95',
        type: 'metric',
        state: 'ALARM',
        metrics: [{ namespace: 'MangaAssist/Streaming', metric: 'first_token_latency_ms', dimensions: {}, stat: 'p95', period: 60 }],
        threshold: { op: '>', value: 2000 },
      });
      expect(e.previousState).toBe('OK');
      expect(e.stateChangedAt.toISOString()).toBe('2026-03-04T11:15:00.000Z');
      expect(e.region).toBe('ap-northeast-1');
    }
    expect([eb!.via, sns!.via]).toEqual(['eventbridge', 'sns']);
  });

  it('THEN the SNS Message alone (as saved from an email) reads too', () => {
    const message = JSON.parse((fixture('sns-first-token-alarm.json').Records as { Sns: { Message: string } }[])[0]!.Sns.Message) as unknown;
    expect(parseAlarmEvent(message)[0]!.alarm.name).toBe('first_token_p95');
  });
});

describe('GIVEN other shapes', () => {
  it('THEN a composite alarm has its rule and no metric', () => {
    const e = fixture('eventbridge-first-token-alarm.json') as { detail: { configuration: unknown; alarmName: string } };
    e.detail.configuration = { alarmRule: 'ALARM("first_token_p95") OR ALARM("cancel-ratio")' };
    e.detail.alarmName = 'chatbot-degraded';
    expect(parseAlarmEvent(e)[0]!.alarm).toMatchObject({ type: 'composite', metrics: [], rule: 'ALARM("first_token_p95") OR ALARM("cancel-ratio")' });
  });

  it.each([
    ['not JSON', '{oops', /x\.json is not JSON/],
    ['another EventBridge event', JSON.stringify({ 'detail-type': 'ECS Task State Change', source: 'aws.ecs', detail: {} }), /"ECS Task State Change" event is not an alarm state change/],
    ['an SNS message that is not an alarm', JSON.stringify({ Records: [{ Sns: { Message: 'hello' } }] }), /not JSON, so not a CloudWatch alarm notification/],
    ['an alarm without its state time', JSON.stringify({ AlarmName: 'a', NewStateValue: 'ALARM' }), /no readable StateChangeTime/],
  ])('WHEN given %s THEN a usage error says what is expected', (_what, text, message) => {
    expect(() => readAlarmEventText(text, 'x.json')).toThrow(message);
    try {
      readAlarmEventText(text, 'x.json');
    } catch (e) {
      expect((e as { exitCode: number }).exitCode).toBe(2);
    }
  });
});

describe('GIVEN local claims', () => {
  it('THEN of two deliveries of one transition at once exactly one wins; a release lets the next one in', async () => {
    const claims = localClaims({ XDG_STATE_HOME: mkdtempSync(join(tmpdir(), 'mangaops-claims-')) });
    const t = { alarm: 'arn:aws:cloudwatch:ap-northeast-1:123456789012:alarm:x', state: 'ALARM', at: new Date('2026-03-04T11:15:00Z') };
    const won = await Promise.all([claims.claim(t, {}), claims.claim(t, {}), claims.claim(t, {})]);
    expect(won.filter(Boolean)).toHaveLength(1);
    expect(await claims.claim({ ...t, at: new Date('2026-03-04T12:15:00Z') }, {})).toBe(true);
    await claims.release(t);
    expect(await claims.claim(t, {})).toBe(true);
  });
});
