// `npm run audit:verify`: checks an embedded journal, read-only, and names the first broken record: the
// whole hash chain and every verification's chain inside it, every signed outcome against the events
// before it, and every checkpoint beside the journal against the journal's head at its length (their
// signatures too, given the outcome key). Exit status: 0 intact, 1 broken, 2 usage error or unreadable file.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { type PublicKey, publicKeyFromText } from '@vidverify/verifier';
import { type AuditReport, auditJournalFile } from '../src/audit/journalAudit.ts';
import { CHECKPOINT_FILE_NAME } from '../src/store/embedded/EmbeddedCheckpointLog.ts';
import { JOURNAL_FILE_NAME } from '../src/store/embedded/EmbeddedJournal.ts';

const USAGE = `usage: node server/scripts/audit-verify.ts [--data-dir DIR] [--file PATH] [--checkpoints PATH] [--key FILE]
  --data-dir DIR      the service's DATA_DIR (default: $DATA_DIR, or ./data); checks DIR/${JOURNAL_FILE_NAME}
  --file PATH         a journal file to check, anywhere (e.g. a backup copy)
  --checkpoints PATH  its signed checkpoints (default: ${CHECKPOINT_FILE_NAME} beside the journal)
  --key FILE          the outcome key (public JWK, the answer of GET /api/v1/outcome-key, or PEM, the
                      service's private key too): also check every signature of outcomes and checkpoints`;

function usageError(message: string): never {
	process.stderr.write(`${message}\n${USAGE}\n`);
	process.exit(2);
}

let options: { 'data-dir'?: string; file?: string; checkpoints?: string; key?: string; help?: boolean };
try {
	({ values: options } = parseArgs({
		options: {
			'data-dir': { type: 'string' },
			file: { type: 'string' },
			checkpoints: { type: 'string' },
			key: { type: 'string' },
			help: { type: 'boolean', short: 'h' },
		},
		allowPositionals: false,
	}));
} catch (error) {
	usageError((error as Error).message);
}
if (options.help === true) {
	process.stdout.write(`${USAGE}\n`);
	process.exit(0);
}
if (options.file !== undefined && options['data-dir'] !== undefined) usageError('give --data-dir or --file, not both');

// Paths typed on the command line are taken from where they were typed (npm run moves to the repository
// root and says where it came from in INIT_CWD); DATA_DIR, like the server, from the working directory.
const typedFrom = process.env.INIT_CWD ?? process.cwd();
const file =
	options.file !== undefined
		? path.resolve(typedFrom, options.file)
		: options['data-dir'] !== undefined
			? path.resolve(typedFrom, options['data-dir'], JOURNAL_FILE_NAME)
			: path.resolve(process.env.DATA_DIR || 'data', JOURNAL_FILE_NAME);
const checkpointFile =
	options.checkpoints !== undefined
		? path.resolve(typedFrom, options.checkpoints)
		: path.join(path.dirname(file), CHECKPOINT_FILE_NAME);
const key = options.key === undefined ? undefined : readKey(path.resolve(typedFrom, options.key));

let report: AuditReport;
try {
	report = await auditJournalFile({ file, checkpointFile, key });
} catch (error) {
	process.stderr.write(`cannot read journal ${file}: ${(error as Error).message}\n`);
	process.exit(2);
}

process.stdout.write(`journal ${file}\n`);
if (report.ok) {
	const { outcomes } = report;
	process.stdout.write(`ok: ${report.records} records, last hash ${report.lastHash}\n`);
	process.stdout.write(`  ${report.verifications} verifications, each chained from its first record to its last\n`);
	process.stdout.write(
		`  ${outcomes.committed} signed outcomes commit to the events before them` +
			(outcomes.uncommitted > 0 ? `; ${outcomes.uncommitted} were signed before outcomes committed to events\n` : '\n'),
	);
	process.stdout.write(`  ${report.checkpoints} checkpoints (${checkpointFile}), each the journal's head at its length\n`);
	process.stdout.write(
		report.signedBy === undefined
			? '  signatures not checked: give --key to check them\n'
			: `  every signature verifies with key ${report.signedBy}\n`,
	);
	process.exit(0);
}
const { seq, line, reason } = report.firstBroken;
process.stdout.write(`BROKEN at record seq ${seq ?? 'unknown'} (line ${line}): ${reason}\n`);
process.stdout.write(`${report.records} records before it are intact\n`);
process.exit(1);

function readKey(keyFile: string): PublicKey {
	let text: string;
	try {
		text = fs.readFileSync(keyFile, 'utf8');
	} catch (error) {
		usageError(`cannot read the key ${keyFile}: ${(error as Error).message}`);
	}
	const parsed = publicKeyFromText(text);
	if ('error' in parsed) usageError(`the key ${keyFile}: ${parsed.error}`);
	return parsed;
}
