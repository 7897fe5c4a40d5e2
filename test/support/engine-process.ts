// One engine in a process of its own, configured from the environment (DATABASE_URL, REDIS_URL, MASK_REDIS_PREFIX…):
// listens on 127.0.0.1 on a free port, prints {"url": "http://127.0.0.1:…"} on stdout, and closes gracefully
// (flushing buffered usage) on SIGTERM. Started by test/support/processes.ts.
import { createEngine } from '../../engine';

async function main(): Promise<void> {
  const engine = createEngine();
  const server = await engine.listen(0, '127.0.0.1');
  process.stdout.write(`${JSON.stringify({ url: server.url })}\n`);
  process.once('SIGTERM', () => {
    engine.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
