// Copies the icons next to the built node and credential files, where n8n looks for `file:` icons.
const { src, dest, parallel } = require('gulp');

const iconTargets = ['dist/nodes/PayRequest', 'dist/credentials'];

const copyIconsTo = (target) => {
	const copy = () => src('icons/*.svg').pipe(dest(target));
	copy.displayName = `icons → ${target}`;
	return copy;
};

exports['build:icons'] = parallel(...iconTargets.map(copyIconsTo));
