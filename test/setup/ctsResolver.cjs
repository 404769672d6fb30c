// Jest resolver: test code imports its own modules by their compiled name (./x.cjs), as Node needs when it runs
// .build/; jest runs the sources, so a relative .cjs that is not on disk resolves to the .cts beside it.
// Packages' own .cjs files exist and resolve as usual.
'use strict';
const fs = require('fs');
const Module = require('module');
const path = require('path');

/** The .cts source that a relative `./x.cjs` request names, when no such .cjs exists; else undefined. */
function ctsBeside(request, basedir) {
	if (!/^\.{1,2}\/.*\.cjs$/.test(request) || fs.existsSync(path.resolve(basedir, request))) return undefined;
	const source = path.resolve(basedir, request.replace(/\.cjs$/, '.cts'));
	return fs.existsSync(source) ? source : undefined;
}

module.exports = (request, options) => ctsBeside(request, options.basedir) ?? options.defaultResolver(request, options);

/** Jest runs a globalSetup in its own process under Node's require, not through the resolver above: the same rule there. */
module.exports.hookNodeRequire = () => {
	const resolveFilename = Module._resolveFilename;
	Module._resolveFilename = function (request, parent, ...rest) {
		const source = parent && parent.filename ? ctsBeside(request, path.dirname(parent.filename)) : undefined;
		return source ?? resolveFilename.call(this, request, parent, ...rest);
	};
};
