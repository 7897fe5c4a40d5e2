/**
 * Loads the built nodes the way n8n's custom-extensions directory loader does: every `*.node.js` and
 * `*.credentials.js` under the folder is required and the class named like the file (before the first dot) is
 * instantiated. Each node type must then exist once, with its icons and documentation links resolvable.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { ICredentialType, INodeType, INodeTypeDescription, VersionedNodeType } from 'n8n-workflow';

const root = path.join(__dirname, '..', '..');
const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const repositoryUrl = String(manifest.repository?.url ?? '').replace(/^git\+/, '').replace(/\.git$/, '');

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to dashes. */
const anchors = new Set(
	[...readme.matchAll(/^#{1,6} (.+)$/gm)].map((match) =>
		match[1]
			.trim()
			.toLowerCase()
			.replace(/[^\p{L}\p{N}\s_-]/gu, '')
			.replace(/\s/g, '-'),
	),
);

function assertDocumentationUrl(url: string, what: string) {
	assert.ok(url.startsWith(`${repositoryUrl}#`), `${what}: ${url} is not a README section of ${repositoryUrl}`);
	const anchor = url.slice(url.indexOf('#') + 1);
	assert.ok(anchors.has(anchor), `${what}: the README has no section #${anchor}`);
}

const filesUnder = (dir: string, suffix: string): string[] =>
	(fs.readdirSync(dir, { recursive: true }) as string[]).filter((file) => file.endsWith(suffix)).map((file) => path.join(dir, file));

/** What n8n's loader does with one file: the export named like the file, instantiated. */
function loadClass<T>(file: string): T {
	const className = path.basename(file).split('.')[0];
	const exported = (require(file) as Record<string, new () => T>)[className];
	assert.ok(exported, `${path.basename(file)} exports no class ${className}`);
	return new exported();
}

function iconFiles(icon: unknown, dir: string): string[] {
	assert.ok(icon && typeof icon === 'object', 'an icon with a light and a dark variant');
	const { light, dark } = icon as { light: string; dark: string };
	return [light, dark].map((entry) => {
		assert.match(entry, /^file:/);
		return path.join(dir, entry.slice('file:'.length));
	});
}

describe('the built nodes, loaded as n8n’s directory loader does', () => {
	let dist: string;
	before(() => {
		// Inside the project, so the built files resolve n8n-workflow as an installed package would.
		fs.mkdirSync(path.join(root, '.cache'), { recursive: true });
		dist = fs.mkdtempSync(path.join(root, '.cache', 'loader-'));
		const tsc = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.nodes.json', '--outDir', dist], { cwd: root, encoding: 'utf8' });
		assert.equal(tsc.status, 0, tsc.stdout + tsc.stderr);
		const copy = spawnSync(process.execPath, [path.join(root, 'scripts', 'copy-node-assets.js'), dist], { cwd: root, encoding: 'utf8' });
		assert.equal(copy.status, 0, copy.stderr);
	});
	after(() => fs.rmSync(dist, { recursive: true, force: true }));

	test('each node type is found once (and its AI-tool variant once), exactly the entries package.json lists', () => {
		const nodeFiles = filesUnder(dist, '.node.js');
		assert.deepEqual(
			nodeFiles.map((file) => path.relative(dist, file)).sort(),
			manifest.n8n.nodes.map((entry: string) => entry.replace(/^dist\//, '')).sort(),
			'only the real node entry files may end in .node.js',
		);
		const names: string[] = [];
		for (const file of nodeFiles) {
			const node = loadClass<INodeType | VersionedNodeType>(file);
			const description = node.description as INodeTypeDescription;
			names.push(description.name);
			const current = 'nodeVersions' in node ? (node as VersionedNodeType).getNodeType() : (node as INodeType);
			// n8n adds a `<name>Tool` type for every node usable as an AI tool.
			if (current.description.usableAsTool) names.push(`${description.name}Tool`);

			const dir = path.dirname(file);
			for (const icon of iconFiles(description.icon, dir)) assert.ok(fs.existsSync(icon), `${path.basename(file)}: icon ${icon} is missing`);
			if ('nodeVersions' in node) {
				for (const version of Object.values((node as VersionedNodeType).nodeVersions)) {
					for (const icon of iconFiles(version.description.icon, dir)) assert.ok(fs.existsSync(icon), `version icon ${icon} is missing`);
				}
			}
			const codex = JSON.parse(fs.readFileSync(`${file}on`, 'utf8'));
			assert.equal(codex.node, `${manifest.name}.${description.name}`);
			const links = [...codex.resources.primaryDocumentation, ...codex.resources.credentialDocumentation];
			assert.ok(links.length >= 2);
			for (const link of links) assertDocumentationUrl(link.url, path.basename(file));
		}
		assert.deepEqual(names.sort(), ['mask', 'maskTool', 'maskTrigger']);
	});

	test('the credential is found once, with icons and a documentation link to the README', () => {
		const files = filesUnder(dist, '.credentials.js');
		assert.deepEqual(files.map((file) => path.relative(dist, file)), manifest.n8n.credentials.map((entry: string) => entry.replace(/^dist\//, '')));
		const credential = loadClass<ICredentialType>(files[0]);
		assert.equal(credential.name, 'maskApi');
		for (const icon of iconFiles(credential.icon, path.dirname(files[0]))) assert.ok(fs.existsSync(icon), `credential icon ${icon} is missing`);
		assertDocumentationUrl(String(credential.documentationUrl), 'credential');
	});

	test('every operation of the AI-tool variant says what it does (n8n builds the tool description from them)', () => {
		const node = loadClass<VersionedNodeType>(path.join(dist, 'nodes', 'Mask', 'Mask.node.js'));
		const operations = node.getNodeType().description.properties.filter((property) => property.name === 'operation');
		assert.ok(operations.length >= 13);
		for (const selector of operations) {
			for (const option of selector.options as Array<{ name: string; description?: string; action?: string }>) {
				assert.ok(option.action, `${option.name} has an action`);
				assert.ok((option.description ?? '').length >= 20, `${selector.displayOptions?.show?.resource}: ${option.name} describes what it does`);
			}
		}
	});
});
