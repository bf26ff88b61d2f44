// The embedded store mode, for one process: the journal is a file in the data folder (its personal
// fields sealed under keys kept in another file beside it, keys.jsonl), the live state
// and the webhook outbox's due events are in memory, rebuilt from the journal at start.
import { memoryLimiter } from '../../limits/SharedLimiter.ts';
import type { Logger } from '../../logger.ts';
import { Sealer, sealingJournal } from '../../privacy/Sealer.ts';
import { WebhookOutbox } from '../../webhooks/WebhookOutbox.ts';
import { observeAppends } from '../Journal.ts';
import { MemoryLiveState } from '../memory/MemoryLiveState.ts';
import type { Stores, WebhookSettings } from '../Stores.ts';
import { EmbeddedCheckpointLog } from './EmbeddedCheckpointLog.ts';
import { EmbeddedJournal } from './EmbeddedJournal.ts';
import { EmbeddedKeyStore } from './EmbeddedKeyStore.ts';

export async function openEmbeddedStores(options: {
	dataDir: string;
	webhook: WebhookSettings;
	logger: Logger;
	/** Told the duration of every append (metrics). */
	observeAppend?: (seconds: number, ok: boolean) => void;
}): Promise<Stores> {
	const { dataDir, webhook, logger } = options;
	// The journal comes first: a broken chain (JournalCorruptError) must stop the start before anything
	// else runs.
	const file = await EmbeddedJournal.open({ dataDir, logger: logger.child({ component: 'journal' }) });
	const observed = options.observeAppend ? observeAppends(file, options.observeAppend) : file;
	const { tornTail } = file.recovery;
	if (tornTail) {
		logger.warn(
			{ line: tornTail.line, bytes: tornTail.bytes, reason: tornTail.reason, quarantineFile: tornTail.quarantineFile },
			'the journal ended in a torn record (an append cut short by a crash); it was set aside and never acknowledged',
		);
	}
	const liveState = new MemoryLiveState();
	let checkpoints: EmbeddedCheckpointLog | undefined;
	let keys: EmbeddedKeyStore | undefined;
	let outbox: WebhookOutbox;
	let sealer: Sealer;
	let journal: ReturnType<typeof sealingJournal>;
	try {
		checkpoints = await EmbeddedCheckpointLog.open({ dataDir, logger: logger.child({ component: 'checkpoints' }) });
		keys = await EmbeddedKeyStore.open({ dataDir, logger: logger.child({ component: 'keys' }) });
		sealer = new Sealer({ keys, stored: file, logger: logger.child({ component: 'sealer' }) });
		journal = sealingJournal(observed, sealer);
		outbox = await WebhookOutbox.create({ ...webhook, journal, live: liveState, logger });
	} catch (error) {
		await checkpoints?.close();
		await keys?.close();
		await observed.close();
		throw error;
	}
	let closing: Promise<void> | undefined;
	const checkpointLog = checkpoints;
	const keyStore = keys;
	return {
		journal,
		provable: file,
		sealer,
		checkpoints: checkpointLog,
		liveState,
		outbox,
		shared: undefined,
		limiter: memoryLimiter,
		close: () => {
			closing ??= (async () => {
				await outbox.close();
				await checkpointLog.close();
				await journal.close();
				await keyStore.close();
				await liveState.close();
			})();
			return closing;
		},
	};
}
