// Lints an n8n community-node package with n8n's own tools, installed by scripts/n8n-tools.js:
// the verification scanner (@n8n/scan-community-package), once over the sources the package is built from
// and once over the packed tarball, plus the newest @n8n/eslint-plugin-community-nodes rules over the sources
// (what `n8n-node lint` applies). Usage: node community-lint.js <toolsDir> <sourceDir> <tarballDir>
const { createRequire } = require('node:module');
const path = require('node:path');
const { pathToFileURL } = require('node:url');

async function main() {
  const [toolsDir, sourceDir, tarballDir] = process.argv.slice(2);
  const requireTool = createRequire(path.join(toolsDir, 'package.json'));
  const load = async (specifier) => import(pathToFileURL(requireTool.resolve(specifier)).href);

  const scannerPath = path.join(toolsDir, 'node_modules/@n8n/scan-community-package/scanner/scanner.mjs');
  const scanner = await import(pathToFileURL(scannerPath).href);
  const { ESLint } = await load('eslint');
  const { n8nCommunityNodesPlugin } = await load('@n8n/eslint-plugin-community-nodes');
  const n8nNodesBase = (await import(pathToFileURL(createRequire(scannerPath).resolve('eslint-plugin-n8n-nodes-base')).href)).default;
  const tsParser = await import(pathToFileURL(createRequire(scannerPath).resolve('@typescript-eslint/parser')).href);

  // The n8n-specific part of `n8n-node lint` (node-cli's eslint config), with the newest community rules.
  const latestRules = [
    { files: ['**/*.ts', '**/*.json'], languageOptions: { parser: tsParser.default ?? tsParser, parserOptions: { extraFileExtensions: ['.json'] } } },
    { ...n8nCommunityNodesPlugin.configs.recommended, files: ['**/*.ts', 'package.json'] },
    { plugins: { 'n8n-nodes-base': n8nNodesBase } },
    { files: ['package.json'], rules: { ...n8nNodesBase.configs.community.rules } },
    {
      files: ['credentials/**/*.ts'],
      rules: {
        ...n8nNodesBase.configs.credentials.rules,
        // The one rule switched off: it wants documentationUrl camel-cased, which is right only for nodes in n8n's own
        // repository (a slug such as "maskApi" there); a community package must give a full URL, which is never camel case.
        'n8n-nodes-base/cred-class-field-documentation-url-miscased': 'off',
      },
    },
    {
      files: ['nodes/**/*.ts'],
      rules: {
        ...n8nNodesBase.configs.nodes.rules,
        // Two rules switched off, both older than NodeConnectionTypes: they want inputs and outputs written as the
        // string 'main', while the newer @n8n/community-nodes/node-connection-type-literal (also applied by the
        // verification scanner) wants NodeConnectionTypes.Main. Both cannot pass; the newer rule wins.
        'n8n-nodes-base/node-class-description-inputs-wrong-regular-node': 'off',
        'n8n-nodes-base/node-class-description-outputs-wrong': 'off',
      },
    },
  ];

  async function lintLatest(dir) {
    const eslint = new ESLint({ cwd: dir, overrideConfigFile: true, overrideConfig: latestRules, allowInlineConfig: false });
    const results = await eslint.lintFiles(['package.json', 'nodes/**/*.ts', 'credentials/**/*.ts']);
    const formatter = await eslint.loadFormatter('stylish');
    const errors = results.reduce((sum, result) => sum + result.errorCount, 0);
    const warnings = results.reduce((sum, result) => sum + result.warningCount, 0);
    return { passed: errors === 0, warnings, details: errors + warnings > 0 ? await formatter.format(results) : '' };
  }

  const legs = [
    ['sources, newest community-node rules (n8n-node lint)', () => lintLatest(sourceDir)],
    ['sources, n8n verification scanner', () => scanner.analyzePackage(sourceDir, scanner.SOURCE_FILE_PATTERNS)],
    ['packed tarball, n8n verification scanner', () => scanner.analyzePackage(tarballDir)],
  ];
  let failed = false;
  for (const [name, lint] of legs) {
    const result = await lint();
    console.log(`${result.passed ? 'PASS' : 'FAIL'}  ${name}${result.warnings ? ` (${result.warnings} warnings)` : ''}`);
    if (result.details) console.log(result.details);
    if (!result.passed) failed = true;
  }
  process.exit(failed ? 1 : 0);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
