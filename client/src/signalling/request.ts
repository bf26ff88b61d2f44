// Typed request → Promise over socket.io: every request is acknowledged {ok, data} | {ok:false, error}.
import type { Ack, WireError } from '@vidverify/shared';
import type { Socket } from 'socket.io-client';

export class RequestError extends Error {
	override name = 'RequestError';
	readonly code: WireError['code'];

	constructor(error: WireError) {
		super(error.message);
		this.code = error.code;
	}
}

const DEFAULT_TIMEOUT_MS = 15_000;

export function request<Data>(socket: Socket, event: string, payload: unknown, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<Data> {
	return new Promise<Data>((resolve, reject) => {
		socket.timeout(timeoutMs).emit(event, payload, (timeoutError: Error | null, ack: Ack<Data>) => {
			if (timeoutError) reject(new Error(`no answer to ${event} within ${timeoutMs / 1000} s`));
			else if (ack.ok) resolve(ack.data);
			else reject(new RequestError(ack.error));
		});
	});
}
