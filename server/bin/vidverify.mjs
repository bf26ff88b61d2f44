#!/usr/bin/env node
// Entry point of the vidverify server process. Plain JavaScript so that it can refuse, with a clear
// message, a Node version that cannot run the TypeScript sources (Node strips their types itself).
import { unsupportedNodeReason } from './nodeVersion.mjs';

const reason = unsupportedNodeReason(process.versions.node, process.execPath);
if (reason) {
	process.stderr.write(`${reason}\n`);
	process.exit(1);
}
await import('../src/index.ts');
