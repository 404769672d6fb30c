// The second lint layer (README: Development, "n8n's checks"). eslint.config.mjs is n8n's default, unchanged, as
// `n8n-node lint` requires in strict mode: it reads every .ts file, which here is only the shipped code (nodes/,
// credentials/). This file lints what n8n's rules are not meant for: the test, bench and script code, which is
// CommonJS TypeScript (.cts) and plain JavaScript run by Node, where process, timers and Node's modules are the point.
// It also keeps on the shipped code the two n8n-nodes-base rules that n8n's default turns off.
import js from '@eslint/js';
import n8nNodesBase from 'eslint-plugin-n8n-nodes-base';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
	{ ignores: ['dist/**', '.build/**', 'docs/**'] },
	{
		files: ['test/**/*.cts', 'bench/**/*.cts', 'scripts/**/*.cts'],
		extends: [js.configs.recommended, tseslint.configs.recommended],
		languageOptions: { globals: globals.node },
		rules: {
			// As the type check (noUnusedParameters) reads them: a leading _ marks a name kept on purpose.
			'@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true }],
			// Tests read n8n's REST answers and the emulators' JSON loosely on purpose; their assertions check the shape.
			'@typescript-eslint/no-explicit-any': 'off',
		},
	},
	{
		files: ['**/*.js', '**/*.cjs', '**/*.mjs'],
		extends: [js.configs.recommended],
		languageOptions: { globals: globals.node },
	},
	{
		files: ['**/*.js', '**/*.cjs'],
		languageOptions: { sourceType: 'commonjs' },
	},
	{
		files: ['credentials/**/*.ts'],
		languageOptions: { parser: tseslint.parser },
		plugins: { 'n8n-nodes-base': n8nNodesBase },
		rules: { 'n8n-nodes-base/cred-class-field-type-options-password-missing': 'error' },
	},
	{
		files: ['nodes/**/*.ts'],
		languageOptions: { parser: tseslint.parser },
		plugins: { 'n8n-nodes-base': n8nNodesBase },
		rules: { 'n8n-nodes-base/node-param-type-options-max-value-present': 'error' },
	},
);
