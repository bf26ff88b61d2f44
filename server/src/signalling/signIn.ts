// An agent's sign-in on a connection: the room every connection of one sign-in is in (so revoking the
// sign-in closes them on every process), and the watch that closes a connection when its token runs
// out — a token is checked at the handshake only, so without it an open socket would outlive it.

export const signInRoom = (signInId: string) => `sign-in:${signInId}`;

/** setTimeout's longest delay; a later expiry is waited for in steps. */
const LONGEST_TIMER_MS = 2 ** 31 - 1;

export type ExpiryWatch = {
	/** The token was refreshed: wait for the new expiry instead. */
	moveTo(expiresAt: Date): void;
	stop(): void;
};

export function watchExpiry(expiresAt: Date, onExpired: () => void, now: () => number = Date.now): ExpiryWatch {
	let timer: ReturnType<typeof setTimeout> | undefined;
	let deadline = expiresAt.getTime();
	const arm = () => {
		if (timer) clearTimeout(timer);
		const left = deadline - now();
		if (left <= 0) {
			timer = undefined;
			onExpired();
			return;
		}
		timer = setTimeout(arm, Math.min(left, LONGEST_TIMER_MS));
		timer.unref?.();
	};
	arm();
	return {
		moveTo(next) {
			deadline = next.getTime();
			arm();
		},
		stop() {
			if (timer) clearTimeout(timer);
			timer = undefined;
		},
	};
}
