// One connection per join token for the page's life, and the handshake refusal it met, kept from the
// moment the connection is made: the server can refuse before React has subscribed to anything.
// Created outside React's effects so a re-render (or StrictMode's double mount in development) never
// opens a second connection: for an interpreter a second one would count as a second device.
import type { RequestError } from '../../signalling/request.ts';
import { VerificationClient } from '../../signalling/VerificationClient.ts';

const clients = new Map<string, VerificationClient>();
const refusals = new WeakMap<VerificationClient, RequestError>();

export function clientFor(token: string): VerificationClient {
	let client = clients.get(token);
	if (!client) {
		const created = new VerificationClient(token);
		created.onState((state, error) => {
			if (state === 'refused' && error) refusals.set(created, error);
		});
		clients.set(token, created);
		client = created;
	}
	return client;
}

export function refusalOf(client: VerificationClient): RequestError | undefined {
	return refusals.get(client);
}
