/** @type {import('jest').Config} */
// Type checking is `tsc -p tsconfig.dev.json --noEmit` (a step of npm test); jest only transpiles.
const transform = { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.dev.json' }] };
const common = {
	transform,
	testEnvironment: 'node',
	setupFiles: ['<rootDir>/test/setup/env.ts'],
	// n8n user folders and builds hold package.json files of their own.
	modulePathIgnorePatterns: ['<rootDir>/.tmp/', '<rootDir>/dist/', '<rootDir>/.build/'],
};
module.exports = {
	projects: [
		{ ...common, displayName: 'unit', testMatch: ['<rootDir>/test/unit/**/*.test.ts'], globalSetup: '<rootDir>/test/setup/buildOnce.ts' },
		{ ...common, displayName: 'e2e', testMatch: ['<rootDir>/test/e2e/**/*.test.ts'], globalSetup: '<rootDir>/test/e2e/globalSetup.ts' },
		{ ...common, displayName: 'scale', testMatch: ['<rootDir>/test/scale/**/*.test.ts'], globalSetup: '<rootDir>/test/e2e/globalSetup.ts' },
	],
};
