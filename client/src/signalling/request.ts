// Typed request → Promise over socket.io: every request is acknowledged {ok, data} | {ok:false, error}.
// Whatever goes wrong reaches the page as a RequestError with a reason key it translates: the server's
// refusal as sent, a missing answer or a dropped connection as reasons of the client's own.
import {
	type Ack,
	DEFAULT_REASON_OF,
	type ErrorCode,
	type ErrorReason,
	isErrorReason,
	type ReasonParams,
	type WireError,
} from '@vidverify/shared';
import type { Socket } from 'socket.io-client';

export class RequestError extends Error {
	override name = 'RequestError';
	readonly code: ErrorCode;
	readonly reason: ErrorReason;
	readonly params: ReasonParams;

	/** `error.message` is the server's English, kept for logs; people are shown the reason. */
	constructor(error: Pick<WireError, 'code' | 'message'> & Partial<Pick<WireError, 'reason' | 'params'>>) {
		super(error.message);
		this.code = error.code;
		// A server that names no reason (or one this page does not know yet) still has the code's own.
		this.reason = isErrorReason(error.reason) ? error.reason : DEFAULT_REASON_OF[error.code];
		this.params = error.params ?? {};
	}

	/** No acknowledgement within the time allowed, on a connection that still looks up. */
	static timedOut(request: string, timeoutMs: number): RequestError {
		return new RequestError({
			code: 'UNAVAILABLE',
			message: `no answer to ${request} within ${timeoutMs / 1000} s`,
			reason: 'requestTimedOut',
			params: { request, seconds: timeoutMs / 1000 },
		});
	}

	/** The connection is down (or was closed), so the request cannot be answered. */
	static disconnected(request?: string): RequestError {
		return new RequestError({
			code: 'UNAVAILABLE',
			message: request ? `not connected: ${request} was not answered` : 'the connection was closed',
			reason: 'disconnected',
			params: request ? { request } : {},
		});
	}
}

/** The reason and parameters to show for any failure; a failure that is no RequestError is ours. */
export function reasonOf(error: unknown): { reason: ErrorReason; params: ReasonParams } {
	if (error instanceof RequestError) return { reason: error.reason, params: error.params };
	return { reason: 'internal', params: {} };
}

export function codeOf(error: unknown): ErrorCode | undefined {
	return error instanceof RequestError ? error.code : undefined;
}

const DEFAULT_TIMEOUT_MS = 15_000;

export function request<Data>(socket: Socket, event: string, payload: unknown, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<Data> {
	return new Promise<Data>((resolve, reject) => {
		socket.timeout(timeoutMs).emit(event, payload, (timeoutError: Error | null, ack: Ack<Data>) => {
			// socket.io holds a request sent while disconnected until it reconnects; if the time runs out
			// first, the connection is what to fix, not the server.
			if (timeoutError) reject(socket.connected ? RequestError.timedOut(event, timeoutMs) : RequestError.disconnected(event));
			else if (ack.ok) resolve(ack.data);
			else reject(new RequestError(ack.error));
		});
	});
}
