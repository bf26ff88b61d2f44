// The error every Redis-backed store raises when Redis cannot serve a request: unreachable, the
// connection lost mid-request, or Redis refusing writes (out of memory, a failing disk). It is an
// AppError with code UNAVAILABLE, so an HTTP request or socket acknowledgement that meets it answers 503
// with a clear message instead of an internal error, and the caller may try again later.
import { ErrorCode } from '@vidverify/shared';
import { AppError } from '../../errors.ts';

export class StoreUnavailableError extends AppError {
	override name = 'StoreUnavailableError';
	/**
	 * True when the request reached Redis before the connection broke: it may or may not have been
	 * applied. False when it was never sent, or Redis refused it.
	 */
	readonly outcomeUnknown: boolean;

	constructor(message: string, outcomeUnknown: boolean, cause: unknown) {
		super(ErrorCode.UNAVAILABLE, message);
		this.outcomeUnknown = outcomeUnknown;
		this.cause = cause;
	}

	static unreachable(cause: unknown): StoreUnavailableError {
		return new StoreUnavailableError('the store (Redis) is unreachable; try again shortly', false, cause);
	}

	static lost(cause: unknown): StoreUnavailableError {
		return new StoreUnavailableError(
			'the connection to the store (Redis) broke before it answered; the change may or may not have been made',
			true,
			cause,
		);
	}

	static refused(cause: unknown): StoreUnavailableError {
		return new StoreUnavailableError('the store (Redis) refused the request for now; try again shortly', false, cause);
	}
}
