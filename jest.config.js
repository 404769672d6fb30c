/** @type {import('jest').Config} */
// Type checking is `tsc -p tsconfig.dev.json --noEmit` (a step of npm test); jest only transpiles.
// Test, bench and script code is CommonJS TypeScript (.cts) so that n8n's official lint, which reads every .ts
// file, reads only the shipped code (README: Development). Its imports name the compiled file (./x.cjs), as Node
// needs when it runs .build/; jest runs the sources, so test/setup/ctsResolver.cjs finds the .cts beside it.
require('./test/setup/ctsResolver.cjs').hookNodeRequire();
const transform = { '^.+\\.c?ts$': ['ts-jest', { tsconfig: 'tsconfig.dev.json' }] };
const common = {
	transform,
	moduleFileExtensions: ['ts', 'cts', 'js', 'cjs', 'json'],
	resolver: '<rootDir>/test/setup/ctsResolver.cjs',
	testEnvironment: 'node',
	setupFiles: ['<rootDir>/test/setup/env.cts'],
	// The scratch folder (n8n user folders) and builds hold package.json files of their own.
	modulePathIgnorePatterns: ['<rootDir>/node_modules/.cache/', '<rootDir>/dist/', '<rootDir>/.build/'],
};
module.exports = {
	projects: [
		{ ...common, displayName: 'unit', testMatch: ['<rootDir>/test/unit/**/*.test.cts'], globalSetup: '<rootDir>/test/setup/buildOnce.cts' },
		{
			...common,
			displayName: 'e2e',
			testMatch: ['<rootDir>/test/e2e/**/*.test.cts'],
			testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/e2e/export.test.cts'],
			globalSetup: '<rootDir>/test/e2e/globalSetup.cts',
		},
		// The exported packages, each built, linted and packed on its own: no n8n, so once per run, not once per n8n line.
		{ ...common, displayName: 'packages', testMatch: ['<rootDir>/test/e2e/export.test.cts'] },
		{ ...common, displayName: 'scale', testMatch: ['<rootDir>/test/scale/**/*.test.cts'], globalSetup: '<rootDir>/test/e2e/globalSetup.cts' },
	],
};
