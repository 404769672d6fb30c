// n8n's community-node rules, as n8n verifies packages: @n8n/eslint-plugin-community-nodes
// (recommended) on everything, and eslint-plugin-n8n-nodes-base's community (package.json),
// credentials and nodes rule sets. Where the two rule sets disagree, README.md (Development) says so.
import { n8nCommunityNodesPlugin } from '@n8n/eslint-plugin-community-nodes';
import tsParser from '@typescript-eslint/parser';
import n8nNodesBase from 'eslint-plugin-n8n-nodes-base';

const recommended = n8nCommunityNodesPlugin.configs.recommended;
const nodesBase = { 'n8n-nodes-base': n8nNodesBase };

export default [
	{ ignores: ['dist/**', '.build/**', '.tmp/**', 'node_modules/**', 'test/**', 'bench/**', 'scripts/**', 'docs/**', '*.js', '*.mjs'] },
	{
		files: ['credentials/**/*.ts', 'nodes/**/*.ts'],
		languageOptions: { parser: tsParser, parserOptions: { sourceType: 'module' } },
		plugins: { ...recommended.plugins, ...nodesBase },
		rules: recommended.rules,
	},
	{
		files: ['package.json'],
		languageOptions: { parser: tsParser, parserOptions: { extraFileExtensions: ['.json'] } },
		plugins: { ...recommended.plugins, ...nodesBase },
		rules: { ...recommended.rules, ...n8nNodesBase.configs.community.rules },
	},
	{
		files: ['credentials/**/*.ts'],
		rules: {
			...n8nNodesBase.configs.credentials.rules,
			// Disagrees with community-nodes/credential-documentation-url, which accepts a full URL.
			'n8n-nodes-base/cred-class-field-documentation-url-miscased': 'off',
		},
	},
	{
		files: ['nodes/**/*.ts'],
		rules: {
			...n8nNodesBase.configs.nodes.rules,
			// Both want the literal ['main']; community-nodes/node-connection-type-literal wants NodeConnectionTypes.
			'n8n-nodes-base/node-class-description-inputs-wrong-regular-node': 'off',
			'n8n-nodes-base/node-class-description-outputs-wrong': 'off',
		},
	},
];
