// The Node versions the server runs on: 22.18+ strips TypeScript types by default; 24 LTS is the
// one the project pins and tests.
export const MINIMUM_NODE = { major: 22, minor: 18 };

/** Returns why this Node cannot run the server, or undefined when it can. */
export function unsupportedNodeReason(version, execPath = '') {
	const [major = 0, minor = 0] = version.replace(/^v/, '').split('.').map(Number);
	if (major > MINIMUM_NODE.major || (major === MINIMUM_NODE.major && minor >= MINIMUM_NODE.minor)) return undefined;
	return (
		`vidverify needs Node.js ${MINIMUM_NODE.major}.${MINIMUM_NODE.minor} or newer (24 LTS recommended); ` +
		`this is v${version.replace(/^v/, '')}${execPath ? ` at ${execPath}` : ''}.\n` +
		'Run it with `npm start` from the repository root, which installs and uses the Node 24 the project pins.'
	);
}
