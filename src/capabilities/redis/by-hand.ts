// The purge a human can paste: one bounded SCAN page per EVAL, its keys unlinked inside Redis,
// the cursor handed back to the shell loop. The keys never pass through the shell, xargs or a
// terminal, so any key name — spaces, quotes, backslashes, newlines, bytes that are not UTF-8 —
// is deleted exactly when it matches, and nothing else is: `precompute:genre:shonen:a session:1`
// cannot make a pipeline delete `session:1`. Only redis-cli flags that 6.x and 7.0 both have
// (-h -p -n --tls --raw); `--count` for --scan came in 7.2.
import { sh } from '../../core/shell.js';
import { redisCli } from './keys.js';
import type { RedisPort } from './port.js';

// Double quotes inside, so the script stays one single-quoted shell word.
const SCRIPT = 'local page = redis.call("SCAN", ARGV[1], "MATCH", ARGV[2], "COUNT", ARGV[3]) for _, key in ipairs(page[2]) do redis.call("UNLINK", key) end return page[1]';

/** The loop on one endpoint or master: stops at cursor 0, or on anything that is not a cursor (an error), saying it. */
function loop(cli: string, pattern: string, count: number): string {
  return [
    `c=0; while :; do c=$(${cli} --raw EVAL ${sh(SCRIPT)} 0 "$c" ${sh(pattern)} ${count});`,
    `case $c in ''|*[!0-9]*) echo "stopped: $c" >&2; break;; esac; [ "$c" = 0 ] && break; done`,
  ].join(' ');
}

/** One command per master (a cluster's keys live on each), each run on that master itself. */
export function purgeByHand(redis: Pick<RedisPort, 'mode' | 'endpoint'>, masters: string[], pattern: string, count: number): string[] {
  if (redis.mode === 'standalone') return [loop(redisCli(redis.endpoint), pattern, count)];
  return masters.map((node) => loop(redisCli(redis.endpoint, { node }), pattern, count));
}
