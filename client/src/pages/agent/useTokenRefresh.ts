// Keeps an open agent console signed in: agent tokens are short-lived, so before the current one runs
// out the console asks for the next one over its connection (refreshToken), presents it at the next
// reconnect, and puts it in the address bar's fragment so a reload keeps working. When the sign-in
// reaches its longest life the server refuses; the console then says until when it is signed in.
import { useEffect, useState } from 'react';
import { RequestError } from '../../signalling/request.ts';
import type { VerificationClient } from '../../signalling/VerificationClient.ts';

/** How much of a token's remaining life passes before the next refresh: early, so a slow network still makes it. */
const REFRESH_AT_FRACTION = 2 / 3;
/** After a refresh that failed for a passing reason (a reconnect), the next try. */
const RETRY_MS = 5_000;

/** When to ask for the next token, given when the current one runs out. */
export function refreshDelay(expiresAt: number, now: number): number {
	return Math.max(1_000, (expiresAt - now) * REFRESH_AT_FRACTION);
}

/** The moment the sign-in ends for good (once the server has said so), for the console to show. */
export function useTokenRefresh(client: VerificationClient | undefined, initialExpiresAt: Date | undefined): Date | undefined {
	const [endsAt, setEndsAt] = useState<Date | undefined>();

	useEffect(() => {
		if (!client || !initialExpiresAt) return;
		let expiresAt = initialExpiresAt.getTime();
		let timer: ReturnType<typeof setTimeout> | undefined;
		let stopped = false;
		const schedule = (delay: number) => {
			timer = setTimeout(() => void refresh(), delay);
		};
		const refresh = async () => {
			if (stopped) return;
			try {
				await client.ready();
				const fresh = await client.request('refreshToken', {});
				if (stopped) return;
				client.setToken(fresh.token);
				// replaceState fires no hashchange: the console keeps its connection and its state.
				window.history.replaceState(window.history.state, '', `#${fresh.token}`);
				expiresAt = Date.parse(fresh.expiresAt);
				schedule(refreshDelay(expiresAt, Date.now()));
			} catch (error) {
				if (stopped) return;
				if (error instanceof RequestError && error.reason === 'signInEnded') {
					// Nothing more to refresh: the current token is the sign-in's last.
					setEndsAt(new Date(expiresAt));
					return;
				}
				// Closed for good (signed out, replaced): nothing to keep alive.
				if (['closed', 'replaced', 'signedOut', 'refused'].includes(client.state)) return;
				if (expiresAt - Date.now() > 1_000) schedule(Math.min(RETRY_MS, refreshDelay(expiresAt, Date.now())));
			}
		};
		schedule(refreshDelay(expiresAt, Date.now()));
		return () => {
			stopped = true;
			if (timer) clearTimeout(timer);
		};
	}, [client, initialExpiresAt]);

	return endsAt;
}
