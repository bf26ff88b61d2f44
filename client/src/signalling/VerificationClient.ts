// The client side of the verification namespace: one socket.io connection authenticated with the
// participant's token, typed requests (verification and call media) and typed notifications, and a
// connection state a page can show ("reconnecting…") instead of going blank. The same class opens the
// media namespace of another server process with a media ticket, when a call's media is served there.
import {
	type CallNotifications,
	type CallRequestName,
	type CallResponses,
	PROTOCOL_VERSION,
	type ReviewNotifications,
	type ReviewRequestName,
	type ReviewRequestPayload,
	type ReviewResponses,
	type SessionRequestName,
	type SessionResponses,
	type StillNotifications,
	type StillRequestName,
	type StillResponses,
	VERIFICATION_NAMESPACE,
	type VerificationNotifications,
	type VerificationRequestName,
	type VerificationRequestPayload,
	type VerificationResponses,
	type WireError,
} from '@vidverify/shared';
import { io, type Socket } from 'socket.io-client';
import { RequestError, request } from './request.ts';

/**
 * `replaced`: closed because the same participant connected elsewhere (another tab or device).
 * `signedOut`: an agent's connection closed because its sign-in ran out or was revoked.
 */
export type ConnectionState = 'connecting' | 'connected' | 'reconnecting' | 'refused' | 'closed' | 'replaced' | 'signedOut';

type Notifications = VerificationNotifications & ReviewNotifications & CallNotifications & StillNotifications;
type Responses = VerificationResponses & ReviewResponses & CallResponses & StillResponses & SessionResponses;
type RequestName = VerificationRequestName | ReviewRequestName | CallRequestName | StillRequestName | SessionRequestName;

export class VerificationClient {
	readonly #socket: Socket;
	#state: ConnectionState = 'connecting';
	readonly #stateListeners = new Set<(state: ConnectionState, error?: RequestError) => void>();
	/**
	 * When the device's network comes back, try at once rather than at the next step of the backoff
	 * (up to seconds away): a participant's grace period is running.
	 */
	readonly #reconnectNow = () => {
		if (this.#state !== 'reconnecting') return;
		this.#socket.disconnect();
		this.#socket.connect();
	};

	/** `namespace`: MEDIA_NAMESPACE with a media ticket as `token`; the verification namespace otherwise. */
	constructor(token: string, options: { url?: string; namespace?: string } = {}) {
		this.#socket = io(`${options.url ?? ''}${options.namespace ?? VERIFICATION_NAMESPACE}`, {
			auth: { token, protocolVersion: PROTOCOL_VERSION },
			transports: ['websocket'],
			reconnectionDelay: 500,
			reconnectionDelayMax: 4000,
		});
		this.#socket.on('connect', () => this.#setState('connected'));
		// Told just before the server closes this connection for a newer one of the same participant.
		let replaced = false;
		this.#socket.on('connectionReplaced', () => {
			replaced = true;
		});
		// Told just before the server closes an agent's connection whose sign-in ended.
		let signedOut = false;
		this.#socket.on('signedOut', () => {
			signedOut = true;
		});
		this.#socket.on('disconnect', (reason) => {
			// The server closing us on purpose (flood, removal, a newer connection) is final; anything else is retried.
			if (reason !== 'io server disconnect') this.#setState('reconnecting');
			else this.#setState(signedOut ? 'signedOut' : replaced ? 'replaced' : 'closed');
		});
		globalThis.addEventListener?.('online', this.#reconnectNow);
		this.#socket.on('connect_error', (error: Error & { data?: Partial<WireError> }) => {
			if (error.data?.code) {
				// The server refused the handshake (bad or used token, wrong version): retrying cannot help.
				this.#socket.disconnect();
				const refusal = new RequestError({ ...error.data, code: error.data.code, message: error.data.message ?? error.message });
				this.#setState('refused', refusal);
			} else this.#setState('reconnecting');
		});
	}

	get state(): ConnectionState {
		return this.#state;
	}

	/** Resolves once connected; rejects with the server's reason when the handshake is refused. */
	ready(): Promise<void> {
		if (this.#state === 'connected') return Promise.resolve();
		return new Promise((resolve, reject) => {
			const listener = (state: ConnectionState, error?: RequestError) => {
				if (state === 'connected') {
					this.#stateListeners.delete(listener);
					resolve();
				} else if (state === 'refused' || state === 'closed' || state === 'replaced' || state === 'signedOut') {
					this.#stateListeners.delete(listener);
					reject(error ?? RequestError.disconnected());
				}
			};
			this.#stateListeners.add(listener);
		});
	}

	onState(listener: (state: ConnectionState, error?: RequestError) => void): () => void {
		this.#stateListeners.add(listener);
		return () => this.#stateListeners.delete(listener);
	}

	request<N extends RequestName>(
		name: N,
		payload: N extends VerificationRequestName
			? VerificationRequestPayload<N>
			: N extends ReviewRequestName
				? ReviewRequestPayload<N>
				: unknown,
	): Promise<Responses[N]> {
		return request<Responses[N]>(this.#socket, name, payload);
	}

	/** The token the next reconnect presents (an agent's refreshed token); this connection is unaffected. */
	setToken(token: string): void {
		const auth = typeof this.#socket.auth === 'object' ? this.#socket.auth : {};
		this.#socket.auth = { ...auth, token };
	}

	on<N extends keyof Notifications>(name: N, handler: (payload: Notifications[N]) => void): () => void {
		const listener = handler as (...args: unknown[]) => void;
		this.#socket.on(name as string, listener);
		return () => this.#socket.off(name as string, listener);
	}

	close(): void {
		globalThis.removeEventListener?.('online', this.#reconnectNow);
		this.#socket.close();
		this.#setState('closed');
	}

	#setState(state: ConnectionState, error?: RequestError): void {
		if (this.#state === state) return;
		this.#state = state;
		for (const listener of [...this.#stateListeners]) listener(state, error);
	}
}
