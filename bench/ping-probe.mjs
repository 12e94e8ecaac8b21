// "Another client" for the Redis purge benchmark: a PING loop in its own process (so the
// purging process's event loop cannot distort it), one PING in flight at a time over a raw
// socket, the next sent 1 ms after each answer — an application's steady trickle, not a
// flood that would itself load the server — recording each round trip. It starts when it
// prints "ready", and on any line on stdin prints its latencies (ms) as JSON and exits.
//   node bench/ping-probe.mjs PORT
import { createConnection } from 'node:net';

const port = Number(process.argv[2]);
const samples = [];
let stopping = false;
let sentAt = 0n;
let buffered = '';

const socket = createConnection({ host: '127.0.0.1', port, noDelay: true });
const ping = () => {
  sentAt = process.hrtime.bigint();
  socket.write('PING\r\n');
};
socket.on('connect', () => {
  process.stdout.write('ready\n');
  ping();
});
socket.on('data', (chunk) => {
  buffered += chunk.toString();
  while (buffered.startsWith('+PONG\r\n')) {
    buffered = buffered.slice(7);
    samples.push(Number(process.hrtime.bigint() - sentAt) / 1e6);
    if (stopping) return finish();
    setTimeout(ping, 1);
  }
});
socket.on('error', (e) => {
  process.stderr.write(`ping probe: ${e.message}\n`);
  process.exit(1);
});

function finish() {
  const sorted = [...samples].sort((a, b) => a - b);
  const q = (p) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;
  process.stdout.write(`${JSON.stringify({ count: sorted.length, max: sorted.at(-1) ?? 0, p999: q(0.999), p99: q(0.99), p50: q(0.5) })}\n`);
  socket.destroy();
  process.exit(0);
}

process.stdin.on('data', () => {
  stopping = true;
});
