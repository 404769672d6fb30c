// Copies icons/ to dist/icons/: nodes and the credential point there with `file:../../icons/…`
// (relative to their built files), as n8n's node CLI lays packages out.
const { src, dest } = require('gulp');

function copyIcons() {
	return src('icons/*.svg').pipe(dest('dist/icons'));
}

exports['build:icons'] = copyIcons;
