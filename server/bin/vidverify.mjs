#!/usr/bin/env node
// Entry point of the vidverify server process. Plain JavaScript so that it can refuse, with a clear
// message, a Node version that cannot run the TypeScript sources (Node strips their types itself).
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 18)) {
	process.stderr.write(
		`vidverify needs Node.js 22.18 or newer (24 LTS recommended); this is ${process.version} at ${process.execPath}.\n` +
			'Run it with `npm start` from the repository root, which installs and uses the Node 24 the project pins.\n',
	);
	process.exit(1);
}
await import('../src/index.ts');
