import type { IDataObject, IPollFunctions } from 'n8n-workflow';

/**
 * A polling trigger's state lives in its node's static data, which n8n saves. One gap is filled
 * from this process's memory: under n8n 2.41's durable poll cursors, n8n keeps what the activation
 * poll wrote only when that poll starts an execution (it runs as a test poll, whose cursor is not
 * committed otherwise; read in n8n 2.41.1's sources), so the first scheduled poll would find
 * nothing saved, record the account afresh and take what happened since activation for what was
 * there already. So while n8n has saved nothing for a node, the state the trigger last wrote is
 * kept here too, and a poll that finds nothing saved starts from it. After an n8n restart in that
 * time there is nothing to start from, and the poll records afresh (README: Triggers across restarts).
 */
const unsavedStates = new Map<string, string>();
/** Nodes remembered at most (the oldest go first): an entry lives only until n8n saves the node's state. */
const UNSAVED_STATES_COUNT = 200;

/**
 * Runs one poll (not the editor's sample) with the node's static data: as n8n saved it, or, when
 * n8n has saved nothing yet, as this process remembers the trigger wrote it.
 */
export async function withPollState<T>(context: IPollFunctions, poll: (staticData: IDataObject) => Promise<T>): Promise<T> {
	const staticData = context.getWorkflowStaticData('node');
	const scope = `${String(context.getWorkflow().id)}\n${context.getNode().id}`;
	const saved = Object.keys(staticData).length > 0;
	if (saved) unsavedStates.delete(scope);
	else {
		const remembered = unsavedStates.get(scope);
		if (remembered !== undefined) Object.assign(staticData, JSON.parse(remembered) as IDataObject);
	}
	const result = await poll(staticData);
	if (!saved) {
		unsavedStates.delete(scope);
		unsavedStates.set(scope, JSON.stringify(staticData));
		for (const oldest of unsavedStates.keys()) {
			if (unsavedStates.size <= UNSAVED_STATES_COUNT) break;
			unsavedStates.delete(oldest);
		}
	}
	return result;
}

/** What an n8n restart does to this memory (for tests that stand for one). */
export function forgetUnsavedPollStates(): void {
	unsavedStates.clear();
}
