// An agent's sign-in as the agent lives it, on a server of its own with a short token lifetime and a
// short sign-in: the open console refreshes its token by itself (the link in the address bar follows,
// so a reload still works) and stays connected past the first token's expiry; near the sign-in's end
// it says until when the agent is signed in; at the end it says the agent is signed out. Revoking one
// sign-in over the host API signs that console out at once.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { startServer } from '../../server/test/support/serverProcess.ts';
import { expectAccessible } from '../support/a11y.ts';
import { agentLink, revokeAgentToken } from '../support/hostApi.ts';
import { agentGoesAvailable, participant } from '../support/journey.ts';

const API_KEY = 'e2e-sign-in-api-key-0123456789abcdef';

// biome-ignore lint/correctness/noEmptyPattern: Playwright requires the fixtures argument to be a destructuring pattern
test('the agent console keeps its sign-in alive, says when it ends, and is signed out when it ends or is revoked', async ({}) => {
	test.setTimeout(120_000);
	const server = await startServer({
		API_KEYS: API_KEY,
		DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'vidverify-e2e-sign-in-')),
		AGENT_TOKEN_TTL_MS: '8000',
		AGENT_SIGN_IN_MAX_MS: '20000',
	});
	const target = { url: server.url, apiKey: API_KEY };
	const agent = await participant('agent');
	const other = await participant('agent');
	try {
		const link = await agentLink({ agentId: 'shift-agent', displayName: 'Shift Agent' }, target);
		await agentGoesAvailable(agent.page, link.agentUrl);
		const firstHash = await agent.page.evaluate(() => window.location.hash);

		// The console asks for the next token itself, and the address bar carries it for a reload.
		await expect.poll(() => agent.page.evaluate(() => window.location.hash), { timeout: 15_000 }).not.toBe(firstHash);
		await expect.poll(() => Date.now() > Date.parse(link.expiresAt) + 500, { timeout: 20_000, intervals: [250] }).toBe(true);
		// Past the first token's expiry: still connected, still available.
		await expect(agent.page.getByTestId('connection-banner')).toHaveAttribute('data-state', 'connected');
		await expect(agent.page.getByTestId('availability-toggle')).toHaveAttribute('data-availability', 'available');

		// Near the sign-in's longest life the server refuses another token; the console says until when.
		const endsNotice = agent.page.getByTestId('sign-in-ends');
		await expect(endsNotice).toBeVisible({ timeout: 30_000 });
		await expect(endsNotice).toContainText('Your sign-in ends at');
		await expectAccessible(agent.page, 'agent console near the end of its sign-in');
		// Then the last token runs out and the server closes the console's connection, saying why.
		await expect(agent.page.getByTestId('connection-banner')).toHaveAttribute('data-state', 'signedOut', {
			timeout: 30_000,
		});
		await expect(agent.page.getByTestId('connection-banner')).toContainText('You are signed out of the agent console');
		await expect(agent.page.getByText('Signed out. Open a new agent link from your platform to continue.')).toBeVisible();

		// A second sign-in whose link leaked: the host revokes it by its token id, and that console is signed out.
		const leaked = await agentLink({ agentId: 'leaky-agent', displayName: 'Leaky Agent' }, target);
		await agentGoesAvailable(other.page, leaked.agentUrl);
		await revokeAgentToken(leaked.tokenId, target);
		await expect(other.page.getByTestId('connection-banner')).toHaveAttribute('data-state', 'signedOut');
		// A reload with the revoked link is refused with a message the agent can act on.
		await other.page.reload();
		await expect(other.page.getByTestId('agent-link-problem')).toBeVisible();
	} finally {
		await agent.close();
		await other.close();
		await server.stop();
	}
});
