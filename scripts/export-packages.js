#!/usr/bin/env node
// `npm run export -- <folder>`: writes each package of packages/ as the complete tree of its own repository,
// <folder>/<package name>/ (README: Packages and releases). What goes in is read from the package's own
// package.json: the node folders and credentials its `n8n` block names, the files of nodes/shared/ that its code
// imports (transitively: a package ships only the kit code it runs), the icons its code points at (`file:…`), and
// the files every package repository has (packages/common/, LICENSE, n8n's default eslint.config.mjs, a tsconfig.json
// with this repository's compiler options). Nothing else is written, no timestamps: exporting twice gives identical
// trees. An existing tree is emptied first except for its .git, so the export can be written over a clone.
'use strict';
const fs = require('fs');
const path = require('path');

const root = path.join(__dirname, '..');


const KIT = 'nodes/shared/';

/** The package names: every folder of packages/ holding a package.json. */
function packageNames(from = root) {
	const dir = path.join(from, 'packages');
	return fs
		.readdirSync(dir)
		.filter((name) => fs.existsSync(path.join(dir, name, 'package.json')))
		.sort();
}

function toPosix(file) {
	return file.split(path.sep).join('/');
}

function filesUnder(dir) {
	const found = [];
	for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
		const full = path.join(dir, entry.name);
		if (entry.isDirectory()) found.push(...filesUnder(full));
		else if (entry.isFile()) found.push(full);
	}
	return found;
}

// import … from './x', export … from './x', import './x', import('./x'): the sources use nothing else.
const RELATIVE_IMPORT = /(?:\bfrom\s+|\bimport\s*\(?\s*)'(\.{1,2}\/[^']+)'/g;

/** The repository file (relative, posix) that an import of `specifier` in `file` names. */
function resolveImport(from, file, specifier) {
	const base = path.posix.join(path.posix.dirname(file), specifier);
	for (const candidate of [`${base}.ts`, `${base}/index.ts`, base]) {
		if (fs.existsSync(path.join(from, candidate)) && fs.statSync(path.join(from, candidate)).isFile()) return candidate;
	}
	throw new Error(`${file} imports '${specifier}', which is no file`);
}

/** What one package's tree holds from the repository's sources: relative paths, sorted. */
function sourceFiles(from, manifest) {
	const nodeFolders = [...new Set(manifest.n8n.nodes.map((file) => file.match(/^dist\/(nodes\/[^/]+)\//)[1]))];
	const credentials = manifest.n8n.credentials.map((file) => file.replace(/^dist\//, '').replace(/\.js$/, '.ts'));
	const own = [...nodeFolders.flatMap((folder) => filesUnder(path.join(from, folder)).map((file) => toPosix(path.relative(from, file)))), ...credentials];
	const files = new Set(own);
	const pending = own.filter((file) => file.endsWith('.ts'));
	while (pending.length > 0) {
		const file = pending.pop();
		for (const [, specifier] of fs.readFileSync(path.join(from, file), 'utf8').matchAll(RELATIVE_IMPORT)) {
			const target = resolveImport(from, file, specifier);
			if (files.has(target)) continue;
			if (!target.startsWith(KIT)) throw new Error(`${file} imports ${target}, which is neither the kit (${KIT}) nor ${manifest.name}'s own code`);
			files.add(target);
			pending.push(target);
		}
	}
	// The icons its nodes and credentials point at, where they point (file:../../icons/x.svg from nodes/<Provider>/).
	for (const file of [...files]) {
		for (const [, icon] of fs.readFileSync(path.join(from, file), 'utf8').matchAll(/file:([^'"\s]+\.(?:svg|png))/g)) {
			const target = path.posix.join(path.posix.dirname(file), icon);
			if (!fs.existsSync(path.join(from, target))) throw new Error(`${file} points at ${target}, which is missing`);
			files.add(target);
		}
	}
	return [...files].sort();
}

/** tsconfig.json for `n8n-node build` (tsc, then n8n copies the icons): this repository's compiler options; tsc also copies the codex files. */
function packageTsconfig(from) {
	const tsconfig = JSON.parse(fs.readFileSync(path.join(from, 'tsconfig.json'), 'utf8'));
	return `${JSON.stringify({ ...tsconfig, include: ['credentials/**/*.ts', 'nodes/**/*.ts', 'nodes/**/*.node.json'] }, null, '\t')}\n`;
}

/** Every file of one package's tree: relative path → the repository file it is a copy of, or its content. */
function packageTree(from, name) {
	const own = path.join(from, 'packages', name);
	const common = path.join(from, 'packages', 'common');
	const manifest = JSON.parse(fs.readFileSync(path.join(own, 'package.json'), 'utf8'));
	if (manifest.name !== name) throw new Error(`packages/${name}/package.json names ${manifest.name}`);
	const tree = new Map();
	for (const file of sourceFiles(from, manifest)) tree.set(file, { copyOf: path.join(from, file) });
	for (const file of ['package.json', 'package-lock.json', 'README.md', 'CHANGELOG.md']) tree.set(file, { copyOf: path.join(own, file) });
	for (const file of ['LICENSE', 'eslint.config.mjs']) tree.set(file, { copyOf: path.join(from, file) });
	tree.set('tsconfig.json', { content: packageTsconfig(from) });
	// packages/common/gitignore is the tree's .gitignore (named without the dot so that it ignores nothing here).
	for (const file of filesUnder(common).map((file) => toPosix(path.relative(common, file)))) {
		tree.set(file === 'gitignore' ? '.gitignore' : file, { copyOf: path.join(common, file) });
	}
	return tree;
}

/** Writes every package's tree into `folder`; returns the trees' paths by package name. */
function exportPackages(folder, { from = root } = {}) {
	const written = {};
	for (const name of packageNames(from)) {
		const tree = packageTree(from, name);
		const target = path.join(folder, name);
		fs.mkdirSync(target, { recursive: true });
		for (const entry of fs.readdirSync(target)) {
			if (entry !== '.git') fs.rmSync(path.join(target, entry), { recursive: true, force: true });
		}
		for (const [file, source] of [...tree].sort(([a], [b]) => a.localeCompare(b))) {
			const destination = path.join(target, file);
			fs.mkdirSync(path.dirname(destination), { recursive: true });
			fs.writeFileSync(destination, source.content ?? fs.readFileSync(source.copyOf));
		}
		written[name] = target;
	}
	return written;
}

module.exports = { exportPackages, packageNames };

if (require.main === module) {
	const folder = process.argv[2];
	if (!folder) {
		console.error('Usage: npm run export -- <folder>   (writes <folder>/<package name>/ for each package of packages/)');
		process.exit(2);
	}
	for (const [name, tree] of Object.entries(exportPackages(path.resolve(folder)))) console.log(`${name}: ${tree}`);
}
