// The one error type of the domain. It carries a shared ErrorCode, so the same error answers an HTTP
// request and a socket acknowledgement, and a reason key (with parameters) that the client translates
// for the person in front of it; toWireError is the single mapper to the wire shape.
import {
	DEFAULT_REASON_OF,
	ErrorCode,
	type ErrorReason,
	type FieldError,
	HTTP_STATUS_OF,
	type ReasonParams,
	type WireError,
} from '@vidverify/shared';
import type { z } from 'zod';

export type AppErrorDetails = { reason?: ErrorReason; params?: ReasonParams; fields?: FieldError[] };

export class AppError extends Error {
	override name = 'AppError';
	readonly code: ErrorCode;
	readonly reason: ErrorReason;
	readonly params: ReasonParams | undefined;
	readonly fields: FieldError[] | undefined;

	constructor(code: ErrorCode, message: string, details: AppErrorDetails = {}) {
		super(message);
		this.code = code;
		this.reason = details.reason ?? DEFAULT_REASON_OF[code];
		this.params = details.params;
		this.fields = details.fields;
	}

	get status(): number {
		return HTTP_STATUS_OF[this.code];
	}

	static unauthenticated(message = 'a valid token is required', reason?: ErrorReason, params?: ReasonParams): AppError {
		return new AppError(ErrorCode.UNAUTHENTICATED, message, { reason, params });
	}
	static forbidden(message: string, reason?: ErrorReason, params?: ReasonParams): AppError {
		return new AppError(ErrorCode.FORBIDDEN, message, { reason, params });
	}
	static notFound(message: string, reason?: ErrorReason, params?: ReasonParams): AppError {
		return new AppError(ErrorCode.NOT_FOUND, message, { reason, params });
	}
	static invalidState(message: string, reason?: ErrorReason, params?: ReasonParams): AppError {
		return new AppError(ErrorCode.INVALID_STATE, message, { reason, params });
	}
	static conflict(message: string, reason?: ErrorReason, params?: ReasonParams): AppError {
		return new AppError(ErrorCode.CONFLICT, message, { reason, params });
	}
	static rateLimited(message = 'too many requests; slow down'): AppError {
		return new AppError(ErrorCode.RATE_LIMITED, message);
	}
	static unavailable(message: string, reason?: ErrorReason, params?: ReasonParams): AppError {
		return new AppError(ErrorCode.UNAVAILABLE, message, { reason, params });
	}
	static invalidPayload(message: string, fields?: FieldError[]): AppError {
		return new AppError(ErrorCode.INVALID_PAYLOAD, message, { fields });
	}
	static fromZod(error: z.ZodError, what = 'payload'): AppError {
		const fields = error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
		const summary = fields.map((field) => (field.path ? `${field.path}: ${field.message}` : field.message)).join('; ');
		return AppError.invalidPayload(`invalid ${what}: ${summary}`, fields);
	}
}

/** Maps any thrown value to the wire shape; unknown errors become INTERNAL without their details. */
export function toWireError(error: unknown): WireError {
	if (!(error instanceof AppError)) return { code: ErrorCode.INTERNAL, message: 'internal error', reason: 'internal' };
	const wire: WireError = { code: error.code, message: error.message, reason: error.reason };
	if (error.params) wire.params = error.params;
	if (error.fields) wire.fields = error.fields;
	return wire;
}
