// The report on stdout is what gets saved (`> drill.txt`): a human's answer must be in it,
// not only in the prompt on stderr — with who gave it when no one was asked.
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { makeIo } from '../helpers/io.js';

const drill = ['drill', 'websocket-drop', '--case', 'corporate-proxy'];

describe('human answers in the report', () => {
  it("GIVEN --auto WHEN the case answers a question THEN stdout says so, marked as the case's answer", async () => {
    const t = makeIo();
    expect(await main([...drill, '--auto'], t.io)).toBe(0);
    expect(t.out()).toContain(`? Client-side error reports available?  [client-reports]`);
    expect(t.out()).toContain(`→ answered "Yes" (the case's answer)`);
  });

  it('GIVEN --answer WHEN the walk passes that question THEN stdout names --answer as who answered', async () => {
    const t = makeIo();
    await main([...drill, '--auto', '--answer', 'client-reports=No'], t.io);
    expect(t.out()).toContain('→ answered "No" (--answer)');
  });

  it('GIVEN a human at a terminal WHEN they answer THEN the answer is on stdout too, with no tag', async () => {
    const t = makeIo({
      interactive: true,
      script: { 'client-reports': 'Yes', 'error-pattern': 'WebSocket close code 1006: closed at once, mid-stream', 'network-pattern': 'Yes - same ISP/corp', 'choose:*': false, '*': '\n' },
    });
    await main(drill, t.io);
    expect(t.out()).toMatch(/→ answered "Yes"\n/);
    expect(t.out()).toContain('■ Corporate proxy idle timeout');
  });
});
