// A TCP proxy that holds every chunk DELAY_MS before passing it on, each way: a Redis that is
// a network hop away, as ElastiCache is from an on-call engineer (bastion, VPN), instead of
// on loopback. In its own process, so its work never lands on the purging process.
// Node timers have millisecond resolution: 1 ms each way is about the least it can add.
//   node bench/latency-proxy.mjs TARGET_PORT DELAY_MS   → prints "port N"
import { createConnection, createServer } from 'node:net';

const target = Number(process.argv[2]);
const delay = Number(process.argv[3] ?? 1);

/** Pass src → dst, each chunk `delay` ms after it arrived, in order. */
function delayed(src, dst) {
  const queue = [];
  let timer;
  const flush = () => {
    timer = undefined;
    const now = Date.now();
    while (queue.length && queue[0].at <= now) dst.write(queue.shift().chunk);
    if (queue.length) timer = setTimeout(flush, queue[0].at - now);
  };
  src.on('data', (chunk) => {
    queue.push({ at: Date.now() + delay, chunk });
    timer ??= setTimeout(flush, delay);
  });
  src.on('close', () => dst.destroy());
  src.on('error', () => dst.destroy());
}

const server = createServer({ noDelay: true }, (client) => {
  const upstream = createConnection({ host: '127.0.0.1', port: target, noDelay: true });
  delayed(client, upstream);
  delayed(upstream, client);
});
server.listen(0, '127.0.0.1', () => process.stdout.write(`port ${server.address().port}\n`));
process.stdin.on('data', () => process.exit(0));
process.stdin.on('end', () => process.exit(0));
