// A webhook receiver in a process of its own, for the webhooks bench: answers 200 with keep-alive, verifies a sample of
// signatures with the standardwebhooks library, and reports over IPC. Messages in: {secret, expect}; out: {url}, {done}.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

let verifier: Webhook | null = null;
let expect = Infinity;
let count = 0;
let verified = 0;

const server = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    if (verifier && count % 50 === 0) {
      verifier.verify(Buffer.concat(chunks).toString('utf8'), req.headers as Record<string, string>);
      verified++;
    }
    count++;
    res.writeHead(200).end();
    if (count === expect) process.send!({ done: true, count, verified });
  });
});
server.keepAliveTimeout = 60_000;

process.on('message', (message: { secret: string; expect: number }) => {
  verifier = new Webhook(message.secret);
  count = 0;
  expect = message.expect;
});
server.listen(0, '127.0.0.1', () => process.send!({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook` }));
