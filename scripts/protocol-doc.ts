// Writes docs/protocol.md from the protocol's schemas; with --check, only reports whether the file
// is up to date (exit 1 when stale), for CI and the test suite.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderProtocolDoc } from '../server/scripts/protocolDoc.ts';

const file = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'docs', 'protocol.md');
const rendered = renderProtocolDoc();

if (process.argv.includes('--check')) {
	const current = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
	if (current !== rendered) {
		process.stderr.write('docs/protocol.md is stale: run `node scripts/protocol-doc.ts`\n');
		process.exit(1);
	}
	process.stdout.write('docs/protocol.md is up to date\n');
} else {
	fs.mkdirSync(path.dirname(file), { recursive: true });
	fs.writeFileSync(file, rendered);
	process.stdout.write(`wrote ${path.relative(process.cwd(), file)}\n`);
}
