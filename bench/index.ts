// `npm run bench [section…]`: runs each benchmark section and prints its figures and ratios against a baseline
// measured in the same run. Sections live in bench/sections/<name>.ts and export `run(): Promise<void>`.
import fs from 'node:fs';
import path from 'node:path';

async function main(): Promise<void> {
  const dir = path.join(__dirname, 'sections');
  const available = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.ts')).map((f) => f.slice(0, -3)).sort() : [];
  const wanted = process.argv.slice(2);
  const unknown = wanted.filter((name) => !available.includes(name));
  if (unknown.length) throw new Error(`Unknown bench section(s): ${unknown.join(', ')}; available: ${available.join(', ')}`);
  for (const name of wanted.length ? wanted : available) {
    console.log(`\n## ${name}`);
    const section = (await import(path.join(dir, `${name}.ts`))) as { run(): Promise<void> };
    await section.run();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
