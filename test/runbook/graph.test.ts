// `graph`: the authoring views of a tree. The mermaid keeps the seed's node colours and draws
// the edges the data marks as additions dashed; the text tree names them.
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/core/config.js';
import { findRunbook } from '../../src/runbook/catalog.js';
import { toMermaid, toText } from '../../src/runbook/graph.js';

const config = await loadConfig();
const mermaid = async (id: string) => toMermaid((await findRunbook(id, config)).runbook).split('\n');

describe('graph --format mermaid', () => {
  it("keeps the seed's node styles: green actions and orange ACTION6 in rag-timeout", async () => {
    const lines = await mermaid('rag-timeout');
    expect(lines).toEqual(
      expect.arrayContaining([
        '  style ocu_insufficient fill:#2ecc71,color:#000',
        '  style ef_search_revert fill:#2ecc71,color:#000',
        '  style dns_failure fill:#2ecc71,color:#000',
        '  style ecs_scale_out fill:#f39c12,color:#000',
      ]),
    );
    // A styled outcome is not also given the default outcome colour.
    expect(lines.find((l) => l.startsWith('  class ') && l.endsWith(' outcome'))).not.toMatch(/ecs_scale_out/);
  });

  it('keeps red ROLLBACK / REJECT and green DEPLOY in the rollout procedure', async () => {
    expect(await mermaid('prompt-rollout')).toEqual(
      expect.arrayContaining(['  style deploy fill:#2ecc71,color:#000', '  style rollback fill:#e74c3c,color:#fff', '  style reject fill:#e74c3c,color:#fff']),
    );
  });

  it('draws the joining edges the data marks as additions dashed, the seed edges solid', async () => {
    const lines = await mermaid('websocket-drop');
    expect(lines).toContain('  abnormal_closure -.-> network_pattern');
    expect(lines).toContain('  going_away -.-> ecs_health');
    expect(lines).toContain('  client_reports -->|"Yes"| analyze');
    expect(await mermaid('stale-precompute')).toContain('  stale -.-> stale_root');
    expect(await mermaid('prompt-regression')).toEqual(expect.arrayContaining(['  suspect -.-> suspect_rca', '  impact_detail -.-> assess']));
    expect(await mermaid('rag-timeout')).toContain('  vpc_networking -.-> dns_check');
  });
});

describe('graph --format text', () => {
  it('names an added edge beside its label', async () => {
    const text = toText((await findRunbook('rag-timeout', config)).runbook);
    expect(text).toContain('[extension] ↪ DNS resolution errors in logs? (see dns-check)');
  });
});
