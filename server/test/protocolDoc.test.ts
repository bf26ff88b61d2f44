// docs/protocol.md is generated from the schemas; this fails whenever the two disagree.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { REQUEST_ROLES, verificationNotificationSchemas, verificationRequestSchemas } from '@vidverify/shared';
import { describe, expect, it } from 'vitest';
import { renderProtocolDoc } from '../scripts/protocolDoc.ts';
import { API_PREFIX, HOST_API_ENDPOINTS } from '../src/http/api/endpoints.ts';

const docFile = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'docs', 'protocol.md');

describe('docs/protocol.md', () => {
	const rendered = renderProtocolDoc();

	it('is what `node scripts/protocol-doc.ts` renders from the current schemas', () => {
		expect(fs.readFileSync(docFile, 'utf8'), 'docs/protocol.md is stale: run `node scripts/protocol-doc.ts`').toBe(rendered);
	});

	it('lists every request with who may send it, every notification and every endpoint', () => {
		for (const name of Object.keys(verificationRequestSchemas) as (keyof typeof REQUEST_ROLES)[]) {
			expect(rendered).toContain(`### \`${name}\``);
			expect(rendered).toContain(`| [\`${name}\`](#${name.toLowerCase()}) | ${REQUEST_ROLES[name].join(', ')} |`);
		}
		for (const name of Object.keys(verificationNotificationSchemas)) expect(rendered).toContain(`### \`${name}\``);
		for (const endpoint of Object.values(HOST_API_ENDPOINTS)) {
			expect(rendered).toContain(`### \`${endpoint.method.toUpperCase()} ${API_PREFIX}${endpoint.path}\``);
		}
	});
});
