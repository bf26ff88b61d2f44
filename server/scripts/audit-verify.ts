// `npm run audit:verify`: checks the whole hash chain of the embedded journal, read-only, and names the
// first broken record. Exit status: 0 intact, 1 broken, 2 usage error or unreadable file.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { JOURNAL_FILE_NAME, verifyJournalFile } from '../src/store/embedded/EmbeddedJournal.ts';

const USAGE = `usage: node server/scripts/audit-verify.ts [--data-dir DIR] [--file PATH]
  --data-dir DIR  the service's DATA_DIR (default: $DATA_DIR, or ./data); checks DIR/${JOURNAL_FILE_NAME}
  --file PATH     a journal file to check, anywhere (e.g. a backup copy)`;

function usageError(message: string): never {
	process.stderr.write(`${message}\n${USAGE}\n`);
	process.exit(2);
}

let options: { 'data-dir'?: string; file?: string; help?: boolean };
try {
	({ values: options } = parseArgs({
		options: { 'data-dir': { type: 'string' }, file: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
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

let report: Awaited<ReturnType<typeof verifyJournalFile>>;
try {
	report = await verifyJournalFile(file);
} catch (error) {
	process.stderr.write(`cannot read journal ${file}: ${(error as Error).message}\n`);
	process.exit(2);
}

process.stdout.write(`journal ${file}\n`);
if (report.ok) {
	process.stdout.write(`ok: ${report.records} records, last hash ${report.lastHash}\n`);
	process.exit(0);
}
const { seq, line, reason } = report.firstBroken;
process.stdout.write(`BROKEN at record seq ${seq ?? 'unknown'} (line ${line}): ${reason}\n`);
process.stdout.write(`${report.records} records before it are intact\n`);
process.exit(1);
