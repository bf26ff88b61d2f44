// Test fixture run as its own process by EmbeddedJournal.test.ts: appends to the journal in DATA_DIR
// (argv[2]) from several concurrent appenders until it is killed, printing each acknowledged seq.
import { pino } from 'pino';
import { EmbeddedJournal } from './EmbeddedJournal.ts';

const APPENDERS = 8;
/** A bound so that a fixture whose parent vanished cannot fill the disk. */
const MAX_APPENDS_PER_APPENDER = 5_000;

const dataDir = process.argv[2];
if (dataDir === undefined) throw new TypeError('usage: appendUntilKilled.fixture.ts DATA_DIR');

const journal = await EmbeddedJournal.open({ dataDir, logger: pino({ level: 'silent' }) });
process.stdout.write(`opened ${journal.recovery.records}\n`);
await Promise.all(
	Array.from({ length: APPENDERS }, async (_, appender) => {
		for (let index = 0; index < MAX_APPENDS_PER_APPENDER; index += 1) {
			const record = await journal.append({
				type: 'test.appended',
				verificationId: `v${appender}`,
				data: { appender, index, padding: 'x'.repeat(300) },
			});
			process.stdout.write(`acknowledged ${record.seq}\n`);
		}
	}),
);
await journal.close();
