// Puts what tsc does not build where n8n looks for it: icons/ into dist/icons/ (nodes and the
// credential point there with `file:../../icons/…`), and each node's codex file (*.node.json:
// categories, aliases, documentation links) beside its built *.node.js.
const { src, dest, parallel } = require('gulp');

function copyIcons() {
	return src('icons/*.svg').pipe(dest('dist/icons'));
}

function copyCodex() {
	return src('nodes/**/*.node.json', { base: '.' }).pipe(dest('dist'));
}

exports['build:assets'] = parallel(copyIcons, copyCodex);
