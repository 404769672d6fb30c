// Jest resolver: test code imports its own modules by their compiled name (./x.cjs), as Node needs when it runs
// .build/; jest runs the sources, so a relative .cjs that is not on disk resolves to the .cts beside it.
// Packages' own .cjs files exist and resolve as usual.
'use strict';
const fs = require('fs');
const path = require('path');

module.exports = (request, options) => {
	if (/^\.{1,2}\/.*\.cjs$/.test(request)) {
		const source = path.resolve(options.basedir, request.replace(/\.cjs$/, '.cts'));
		if (!fs.existsSync(path.resolve(options.basedir, request)) && fs.existsSync(source)) return source;
	}
	return options.defaultResolver(request, options);
};
