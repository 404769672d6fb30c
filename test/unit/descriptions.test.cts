// Reads every node's description, as the editor and an AI agent get it, and checks what n8n's UX
// guidelines ask and what makes the three providers read as one integration: "Whether" booleans,
// alphabetical options, the same names for the same meaning, notices that fit what is shown, and
// error texts that name only what exists.
import * as fs from 'fs';
import type { INodeProperties, INodePropertyCollection, INodePropertyOptions, INodeType } from 'n8n-workflow';
import { NodeHelpers, Workflow } from 'n8n-workflow';
import * as path from 'path';

import { AlternativePayments } from '../../nodes/AlternativePayments/AlternativePayments.node';
import { AlternativePaymentsOverdueTrigger } from '../../nodes/AlternativePayments/AlternativePaymentsOverdueTrigger.node';
import { AlternativePaymentsTrigger } from '../../nodes/AlternativePayments/AlternativePaymentsTrigger.node';
import { Paisr } from '../../nodes/Paisr/Paisr.node';
import { PaisrOverdueTrigger } from '../../nodes/Paisr/PaisrOverdueTrigger.node';
import { PaisrTrigger } from '../../nodes/Paisr/PaisrTrigger.node';
import { PayRequest } from '../../nodes/PayRequest/PayRequest.node';
import { PayRequestTrigger } from '../../nodes/PayRequest/PayRequestTrigger.node';

const actionNodes: INodeType[] = [new PayRequest(), new AlternativePayments(), new Paisr()];
const allNodes: INodeType[] = [...actionNodes, new PayRequestTrigger(), new AlternativePaymentsTrigger(), new AlternativePaymentsOverdueTrigger(), new PaisrTrigger(), new PaisrOverdueTrigger()];

type Found = { node: string; path: string; property: INodeProperties };

/** Every property of a node, nested ones included, with where it sits. */
function everyProperty(node: INodeType): Found[] {
	const found: Found[] = [];
	const visit = (properties: INodeProperties[], where: string) => {
		for (const property of properties) {
			const here = `${where} > ${property.displayName}`;
			found.push({ node: node.description.displayName, path: here, property });
			if (property.type === 'collection') visit(property.options as INodeProperties[], here);
			if (property.type === 'fixedCollection') for (const group of property.options as INodePropertyCollection[]) visit(group.values, `${here} > ${group.displayName}`);
		}
	};
	visit(node.description.properties, node.description.displayName);
	return found;
}

const properties = allNodes.flatMap(everyProperty);
const isSorted = (names: string[]) => names.every((name, index) => index === 0 || names[index - 1].localeCompare(name) <= 0);

describe('every node description', () => {
	test('booleans say "Whether …"', () => {
		const wrong = properties.filter(({ property }) => property.type === 'boolean' && !/^Whether /.test(property.description ?? '')).map(({ path }) => path);
		expect(wrong).toEqual([]);
	});

	test('the fields of every collection (Filters, Options, Additional Fields, Update Fields) are in alphabetical order', () => {
		const wrong = properties
			.filter(({ property }) => property.type === 'collection')
			.filter(({ property }) => !isSorted((property.options as INodeProperties[]).map((option) => option.displayName)))
			.map(({ path, property }) => `${path}: ${(property.options as INodeProperties[]).map((option) => option.displayName).join(', ')}`);
		expect(wrong).toEqual([]);
	});

	test('the choices of every options field are in alphabetical order', () => {
		const wrong = properties
			.filter(({ property }) => property.type === 'options' || property.type === 'multiOptions')
			.filter(({ property }) => Array.isArray(property.options) && !isSorted((property.options as INodePropertyOptions[]).map((option) => option.name)))
			.map(({ path }) => path);
		expect(wrong).toEqual([]);
	});

	test('names are title case, and a description of one sentence has no final period', () => {
		const minor = new Set(['a', 'an', 'and', 'as', 'at', 'by', 'for', 'from', 'in', 'of', 'on', 'or', 'the', 'to']);
		const notTitle = properties
			.filter(({ property }) => property.type !== 'notice')
			.filter(({ property }) => property.displayName.split(' ').some((word, index) => /^[a-z]/.test(word) && (index === 0 || !minor.has(word))))
			.map(({ path }) => path);
		expect(notTitle).toEqual([]);
		// n8n's lint: a description of one sentence has no final period (longer ones may).
		const oneSentence = (text: string) => !/[.:;!?] [A-Z(]/.test(text.slice(0, -1));
		const period = properties.filter(({ property }) => /[^.]\.$/.test(property.description ?? '') && oneSentence(property.description ?? '')).map(({ path, property }) => `${path}: ${property.description}`);
		expect(period).toEqual([]);
	});
});

describe('one vocabulary across the three providers', () => {
	test('an operation has the same name wherever its value is the same', () => {
		const names = new Map<string, Set<string>>();
		for (const node of actionNodes) {
			for (const property of node.description.properties.filter((one) => one.name === 'operation')) {
				for (const option of property.options as INodePropertyOptions[]) {
					const value = String(option.value);
					names.set(value, (names.get(value) ?? new Set()).add(option.name));
				}
			}
		}
		const differing = [...names].filter(([, shown]) => shown.size > 1).map(([value, shown]) => `${value}: ${[...shown].join(' / ')}`);
		expect(differing).toEqual([]);
		expect(names.get('getStats')).toEqual(new Set(['Get Statistics']));
	});

	test('line items are "Line Items" everywhere: Line Items Input, Line Items, Line Items (JSON); each line Description, Quantity, Unit Price (then Tax Rate where the provider has one)', () => {
		for (const node of actionNodes) {
			const creates = node.description.properties.filter((property) => property.displayOptions?.show?.operation?.includes('create') && property.displayOptions?.show?.resource?.includes('invoice'));
			const names = creates.map((property) => property.displayName);
			expect({ node: node.description.displayName, has: names.filter((name) => /Line Items|Items/.test(name)) }).toEqual({
				node: node.description.displayName,
				has: ['Line Items Input', 'Line Items', 'Line Items (JSON)'],
			});
			const collection = creates.find((property) => property.displayName === 'Line Items')!;
			const fields = (collection.options as INodePropertyCollection[])[0].values.map((field) => field.displayName);
			expect(fields.slice(0, 3)).toEqual(['Description', 'Quantity', 'Unit Price']);
		}
	});

	test('a field that picks a record says what it picks, not "… ID", when it is a resource locator', () => {
		const wrong = properties.filter(({ property }) => property.type === 'resourceLocator' && / ID$/.test(property.displayName)).map(({ path }) => path);
		expect(wrong).toEqual([]);
	});
});

describe('Simplify', () => {
	const simplify = (node: INodeType) => node.description.properties.filter((property) => property.name === 'simple');

	test('every Get, Get Many and Get Overdue of every resource has Simplify, on by default', () => {
		const missing: string[] = [];
		const checked: string[] = [];
		for (const node of actionNodes) {
			const operations = node.description.properties.filter((property) => property.name === 'operation');
			for (const field of operations) {
				const resources = (field.displayOptions?.show?.resource ?? []) as string[];
				for (const option of field.options as INodePropertyOptions[]) {
					if (!['get', 'getAll', 'getOverdue'].includes(String(option.value))) continue;
					checked.push(`${node.description.displayName} ${resources.join('/')} ${String(option.value)}`);
					const shown = simplify(node).some(
						(property) =>
							property.type === 'boolean' &&
							property.default === true &&
							((property.displayOptions?.show?.operation ?? []) as string[]).includes(String(option.value)) &&
							resources.every((resource) => ((property.displayOptions?.show?.resource ?? []) as string[]).includes(resource)),
					);
					if (!shown) missing.push(`${node.description.displayName}: ${resources.join('/')} → ${option.name}`);
				}
			}
		}
		expect(missing).toEqual([]);
		// PayRequest: invoice Get, Get Many, Get Overdue; Alternative Payments: invoice and customer Get and Get Many, payment Get Many; Paisr: Get and Get Many of all three.
		expect(checked).toHaveLength(14);
	});

	test('every trigger has Simplify, on by default, for every event', () => {
		const triggers = allNodes.filter((node) => !actionNodes.includes(node));
		expect(triggers.map((node) => [node.description.displayName, simplify(node).map((property) => [property.type, property.default, property.displayOptions ?? 'always'])])).toEqual(
			triggers.map((node) => [node.description.displayName, [['boolean', true, 'always']]]),
		);
	});
});

describe('hints for people in the editor', () => {
	/** What the editor shows as text: notices, hints and descriptions, at every level. */
	const shownTexts = properties.flatMap(({ path, property }) => [
		...(property.type === 'notice' ? [{ path, text: property.displayName }] : []),
		...(property.hint ? [{ path: `${path} (hint)`, text: property.hint }] : []),
		...(property.description ? [{ path: `${path} (description)`, text: property.description }] : []),
	]);

	test('no notice, hint or description sends the reader to the README (n8n does not show it)', () => {
		expect(shownTexts.filter(({ text }) => /README/i.test(text)).map(({ path }) => path)).toEqual([]);
	});

	test('no notice or hint names an internal identifier (a camelCase word) or says what is sent to the provider', () => {
		const internal = shownTexts.filter(({ path }) => !path.endsWith('(description)')).filter(({ text }) => /\b[a-z]+[A-Z]\w*\b/.test(text) || /\bSent to \w+ as\b/.test(text));
		expect(internal.map(({ path, text }) => `${path}: ${text}`)).toEqual([]);
	});

	test('a fresh node (its defaults, its newest version) shows at most one notice, for every resource and operation', () => {
		const crowded: string[] = [];
		for (const node of allNodes) {
			const { description } = node;
			const typeVersion = Math.max(...[description.version].flat());
			const defaults = NodeHelpers.getNodeParameters(description.properties, {}, true, false, { typeVersion }, description) ?? {};
			// Each operation of each resource, as a user picks it: the notices shown with its defaults.
			const resource = description.properties.find((property) => property.name === 'resource');
			const resources = resource ? (resource.options as INodePropertyOptions[]).map((option) => option.value) : [undefined];
			for (const resourceValue of resources) {
				const atResource = resourceValue === undefined ? defaults : { ...defaults, resource: resourceValue };
				const operationField = description.properties.find((property) => property.name === 'operation' && NodeHelpers.displayParameter(atResource, property, { typeVersion }, description));
				const operations = operationField ? (operationField.options as INodePropertyOptions[]).map((option) => option.value) : [undefined];
				for (const operation of operations) {
					const chosen = operation === undefined ? atResource : { ...atResource, operation };
					const values = NodeHelpers.getNodeParameters(description.properties, chosen, true, false, { typeVersion }, description) ?? {};
					const notices = description.properties.filter((property) => property.type === 'notice' && NodeHelpers.displayParameter(values, property, { typeVersion }, description));
					if (notices.length > 1) crowded.push(`${description.displayName} ${String(resourceValue ?? '')} ${String(operation ?? '')}: ${notices.map((notice) => notice.name).join(', ')}`);
				}
			}
		}
		expect(crowded).toEqual([]);
	});
});

describe('the canvas', () => {
	/** A node's subtitle as the canvas shows it: its expression resolved by n8n's engine over the given parameters. */
	const subtitle = (type: INodeType, parameters: Record<string, unknown>) => {
		const node = { id: 'n', name: 'Trigger', type: 'test.trigger', typeVersion: 1, position: [0, 0] as [number, number], parameters: parameters as never };
		const nodeTypes = { getByName: () => type, getByNameAndVersion: () => type, getKnownTypes: () => ({}) };
		const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes });
		return workflow.expression.getSimpleParameterValue(node, type.description.subtitle!, 'internal', {});
	};

	test('every trigger says in words what starts it, webhook triggers included', () => {
		expect(subtitle(new AlternativePaymentsTrigger(), { events: ['invoice_paid', 'payment_failed'] })).toBe('Invoice Paid, Payment Failed');
		expect(subtitle(new PaisrTrigger(), { events: ['invoice.paid', 'customer.created'] })).toBe('Invoice Paid, Customer Created');
		expect(subtitle(new PayRequestTrigger(), { event: 'invoicePaid' })).toBe('Invoice Paid');
		expect(subtitle(new PaisrOverdueTrigger(), {})).toBe('Invoice Became Overdue');
		expect(subtitle(new AlternativePaymentsOverdueTrigger(), {})).toBe('Invoice Became Overdue');
	});
});

describe('notices and error texts fit what the node has', () => {
	test('a notice that mentions Emit Existing shows only where the Emit Existing option shows', () => {
		for (const node of allNodes) {
			const found = everyProperty(node);
			for (const { property, path } of found.filter(({ property }) => property.type === 'notice' && /Emit Existing/.test(property.displayName))) {
				const withOption = node.description.properties.filter(
					(candidate) => candidate.type === 'collection' && (candidate.options as INodeProperties[]).some((option) => option.name === 'emitExisting'),
				);
				expect({ path, shownWith: withOption.some((candidate) => JSON.stringify(candidate.displayOptions ?? {}) === JSON.stringify(property.displayOptions ?? {})) }).toEqual({ path, shownWith: true });
			}
		}
	});

	/** Every .ts file under nodes/, with its text. */
	const sources = (() => {
		const files: Array<{ file: string; text: string }> = [];
		const walk = (dir: string) => {
			for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
				const full = path.join(dir, entry.name);
				if (entry.isDirectory()) walk(full);
				else if (entry.name.endsWith('.ts')) files.push({ file: path.relative(path.join(__dirname, '..', '..'), full), text: fs.readFileSync(full, 'utf8') });
			}
		};
		walk(path.join(__dirname, '..', '..', 'nodes'));
		return files;
	})();

	test('no message repeats the item index (n8n shows the item itself)', () => {
		expect(sources.filter(({ text }) => /\[item \$\{/.test(text)).map(({ file }) => file)).toEqual([]);
	});

	test('"Max Concurrency" is named only by the operation that has the option', () => {
		const withOption = properties.filter(({ property }) => property.displayName === 'Max Concurrency').map(({ node }) => node);
		expect(withOption).toEqual(['PayRequest']);
		expect(sources.filter(({ text }) => /Max Concurrency/.test(text)).map(({ file }) => file)).toEqual(['nodes/PayRequest/actions/invoice/getAll.operation.ts']);
	});
});
