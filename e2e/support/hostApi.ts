// The host platform's side of a journey: creating verifications, minting agent tokens and reading
// outcomes over the real HTTP API, and the webhooks the server delivered. Calls go to the journeys'
// shared server unless a journey that runs its own names it (`{ url, apiKey }`).
import type { CreateVerificationBody } from '@vidverify/shared';
import { type ReceivedWebhook, receivedWebhooks } from './webhookReceiver.ts';

export type HostTarget = { url: string; apiKey: string };

function environment(name: string): string {
	const value = process.env[name];
	if (!value)
		throw new Error(`${name} is not set: run the journeys through the Playwright config (its globalSetup starts the server)`);
	return value;
}

export const baseUrl = () => environment('VIDVERIFY_E2E_URL');

function sharedServer(): HostTarget {
	return { url: baseUrl(), apiKey: environment('VIDVERIFY_E2E_API_KEY') };
}

async function call<T>(target: HostTarget, method: 'GET' | 'POST', pathname: string, body?: unknown): Promise<T> {
	const response = await fetch(`${target.url}/api/v1${pathname}`, {
		method,
		headers: { authorization: `Bearer ${target.apiKey}`, 'content-type': 'application/json' },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	const text = await response.text();
	if (!response.ok) throw new Error(`${method} ${pathname} answered ${response.status}: ${text}`);
	return JSON.parse(text) as T;
}

export type CreatedVerification = { id: string; state: string; applicantUrl: string; applicantToken: string; expiresAt: string };

let users = 0;

export function createVerification(
	body: Partial<CreateVerificationBody> = {},
	target = sharedServer(),
): Promise<CreatedVerification> {
	users += 1;
	return call(target, 'POST', '/verifications', {
		externalUserRef: `e2e-user-${process.pid}-${Date.now()}-${users}`,
		purpose: 'c2c_video',
		...body,
	});
}

export function agentLink(
	profile: { agentId?: string; displayName?: string; languages?: string[]; skills?: string[]; permissions?: 'review'[] } = {},
	target = sharedServer(),
): Promise<{ token: string; tokenId: string; agentUrl: string; expiresAt: string }> {
	const agentId = profile.agentId ?? `e2e-agent-${process.pid}-${Date.now()}`;
	return call(target, 'POST', '/agent-tokens', {
		agentId,
		displayName: `Agent ${agentId.slice(-6)}`,
		languages: ['en', 'zh'],
		...profile,
	});
}

/** The host revokes one agent sign-in by the token id it minted (its link leaked). */
export function revokeAgentToken(tokenId: string, target = sharedServer()): Promise<{ tokenId: string; revokedAt: string }> {
	return call(target, 'POST', `/agent-tokens/${encodeURIComponent(tokenId)}/revoke`);
}

export function getVerification<T = Record<string, unknown>>(id: string, target = sharedServer()): Promise<T> {
	return call(target, 'GET', `/verifications/${id}`);
}

export function webhooksFor(verificationId: string): ReceivedWebhook[] {
	return receivedWebhooks(environment('VIDVERIFY_E2E_WEBHOOKS')).filter((webhook) => webhook.verificationId === verificationId);
}
