// The Examples section of each command's --help: what an engineer types, by command path.
export const EXAMPLES: Record<string, string[]> = {
  list: ['mangaops list', 'mangaops list --json | jq -r ".[].id"'],
  validate: ['mangaops validate', 'mangaops validate runbooks/first-token.yaml'],
  graph: ['mangaops graph first-token', 'mangaops graph websocket-drop --format text'],
  diagnose: [
    'mangaops diagnose first-token',
    'mangaops diagnose first-token --auto --json > result.json',
    'mangaops diagnose rag-timeout --at -2h --auto',
    'mangaops diagnose first-token --preflight',
    'mangaops diagnose --alarm first_token_p95 --auto',
  ],
  drill: [
    'mangaops drill first-token',
    'mangaops drill first-token --list',
    'mangaops drill websocket-drop --case corporate-proxy --auto | less',
    'mangaops drill first-token --case cold-connections --auto --apply --json',
  ],
  'on-alarm': ['mangaops on-alarm --event alarm-event.json', 'aws sns … | mangaops on-alarm --event -', 'MANGAOPS_WEBHOOK_URL=https://hooks.slack.com/services/… mangaops on-alarm --event event.json --json'],
  alarms: ['mangaops alarms', 'mangaops alarms --json | jq -r \'.[] | select(.runbook) | .name\'', 'mangaops alarms --event-pattern > pattern.json'],
  resume: [
    'mangaops resume 20261127-201502-first-token-a1b2',
    'mangaops resume 20261127-201502-first-token-a1b2 --auto --answer check-pool="No - pings failing"',
    'mangaops resume 20261127-201502-first-token-a1b2 --yes          # apply the step once approved',
    'mangaops resume 20261127-201502-first-token-a1b2 --take "primary unreachable since 20:40"',
  ],
  incidents: ['mangaops incidents --open', 'mangaops incidents --json | jq -r ".[] | select(.driver) | .incident"'],
  follow: ['mangaops follow 20261127-201502-first-token-a1b2', 'mangaops follow 20261127-201502-first-token-a1b2 --json | jq -c .'],
  handover: ['mangaops handover 20261127-201502-first-token-a1b2 --to bob --note "pool size raised; watch first_token_p95"'],
  approve: ['mangaops approve 20261127-201502-act-redis-purge-9c1e 1', 'mangaops approve 20261127-201502-act-redis-purge-9c1e 1 --note "only the genre caches" --yes'],
  'team init': ['MANGAOPS_TEAM_TABLE=mangaops-team mangaops team init --dry-run', 'mangaops team init'],
  'team sync': ['mangaops team sync', 'mangaops team sync --all'],
  'journal list': ['mangaops journal list', 'mangaops journal list --json'],
  'journal show': ['mangaops journal show 20261127-201502-first-token-a1b2 --format markdown > review.md'],
  'journal to-case': [
    'mangaops journal to-case 20261127-201502-first-token-a1b2',
    'mangaops journal to-case 20261127-201502-first-token-a1b2 --name pool-pings-lost && mangaops validate',
    'mangaops drill first-token --case pool-pings-lost --auto',
  ],
  regress: ['mangaops regress --before before.txt --after after.txt', 'mangaops regress --metric first-token:ftl-p95 --before-window -3h..-1h --after-window -1h..now'],
  gate: ['mangaops gate --baseline before.txt --candidate after.txt', 'mangaops gate --baseline b.csv --candidate c.csv --column latency_ms --max-regression 15%'],
  'iam-policy': ['mangaops iam-policy first-token', 'mangaops iam-policy --only reads > reads.json && aws iam create-policy --policy-name mangaops-reads --policy-document file://reads.json'],
  act: ['mangaops act --list', 'mangaops act ecs.scale --desired-count 8 --dry-run', 'mangaops act ecs.set-env --env BEDROCK_POOL_SIZE=10 --yes', 'mangaops act ecs.scale --desired-count 8 --yes --wait 120', 'mangaops act redis.purge --help'],
  watch: ['mangaops watch 20261127-201502-first-token-a1b2', 'mangaops watch 20261127-201502-first-token-a1b2 --watch-interval 30s --json'],
  undo: ['mangaops undo 20261127-201502-first-token-a1b2', 'mangaops undo 20261127-201502-first-token-a1b2 2 --dry-run'],
  completion: ['mangaops completion bash > ~/.local/share/bash-completion/completions/mangaops', 'mangaops completion zsh > "${fpath[1]}/_mangaops"', 'mangaops completion fish > ~/.config/fish/completions/mangaops.fish'],
  'config init': ['mangaops config init', 'mangaops config init --region us-west-2 --cluster prod --service orchestrator --yes'],
};

export function examplesText(path: string): string | undefined {
  const lines = EXAMPLES[path];
  return lines && `\nExamples:\n${lines.map((l) => `  $ ${l}`).join('\n')}\n`;
}
