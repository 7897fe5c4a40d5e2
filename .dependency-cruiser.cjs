// The engine's layers, lowest first. A module may import its own layer or any layer below it, never one above;
// siblings marked `alone` may not import each other. README "Architecture" explains the order.
const LAYERS = [
  { name: 'support', path: '^engine/support/' },
  { name: 'store', path: '^engine/store/' },
  { name: 'config', path: '^engine/config\\.ts$' },
  { name: 'domain', path: '^engine/(domain|accounts|clicks|analytics|webhooks|usage|ratelimit)/' },
  { name: 'contracts', path: '^engine/contracts/' },
  { name: 'web', path: '^engine/web/' },
  { name: 'faces', path: '^engine/(http|redirect|public|dashboard-server)/', alone: true },
  { name: 'wiring', path: '^engine/wiring/' },
  { name: 'entry', path: '^engine/(index|cli|cli-[a-z]+)\\.ts$' },
];

const upward = LAYERS.flatMap((layer, index) => {
  const above = LAYERS.slice(index + 1).map((higher) => higher.path);
  return above.length === 0 ? [] : [{
    name: `no-upward-from-${layer.name}`,
    comment: `${layer.name} may only import its own layer or those below it`,
    severity: 'error',
    from: { path: layer.path },
    to: { path: above },
  }];
});

const siblings = LAYERS.filter((layer) => layer.alone).map((layer) => ({
  name: `no-sideways-in-${layer.name}`,
  comment: 'http, redirect, public and dashboard-server are separate faces: what they share lives in web/ or below',
  severity: 'error',
  from: { path: '^engine/(http|redirect|public|dashboard-server)/' },
  to: { path: '^engine/(http|redirect|public|dashboard-server)/', pathNot: '^engine/$1/' },
}));

module.exports = {
  forbidden: [
    ...upward,
    ...siblings,
    { name: 'no-cycles', severity: 'error', from: { path: '^engine/' }, to: { circular: true } },
    {
      name: 'every-module-in-a-layer',
      comment: 'an engine module outside every layer escapes the rules above: put it in a layer folder',
      severity: 'error',
      from: { path: '^engine/', pathNot: LAYERS.map((layer) => layer.path) },
      to: {},
    },
    {
      name: 'engine-stays-out-of-nodes',
      severity: 'error',
      from: { path: '^(nodes|credentials)/' },
      to: { path: '^(engine|migrations)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    includeOnly: '^(engine|nodes|credentials|migrations)/',
  },
};
