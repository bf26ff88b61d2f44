// The one error type of the domain. It carries a shared ErrorCode, so the same error answers an HTTP
// request and a socket acknowledgement; toWireError is the single mapper to the wire shape.
import { ErrorCode, type FieldError, HTTP_STATUS_OF, type WireError } from '@vidverify/shared';
import type { z } from 'zod';

export class AppError extends Error {
	override name = 'AppError';
	readonly code: ErrorCode;
	readonly fields: FieldError[] | undefined;

	constructor(code: ErrorCode, message: string, fields?: FieldError[]) {
		super(message);
		this.code = code;
		this.fields = fields;
	}

	get status(): number {
		return HTTP_STATUS_OF[this.code];
	}

	static unauthenticated(message = 'a valid token is required'): AppError {
		return new AppError(ErrorCode.UNAUTHENTICATED, message);
	}
	static forbidden(message: string): AppError {
		return new AppError(ErrorCode.FORBIDDEN, message);
	}
	static notFound(message: string): AppError {
		return new AppError(ErrorCode.NOT_FOUND, message);
	}
	static invalidState(message: string): AppError {
		return new AppError(ErrorCode.INVALID_STATE, message);
	}
	static conflict(message: string): AppError {
		return new AppError(ErrorCode.CONFLICT, message);
	}
	static rateLimited(message = 'too many requests; slow down'): AppError {
		return new AppError(ErrorCode.RATE_LIMITED, message);
	}
	static unavailable(message: string): AppError {
		return new AppError(ErrorCode.UNAVAILABLE, message);
	}
	static invalidPayload(message: string, fields?: FieldError[]): AppError {
		return new AppError(ErrorCode.INVALID_PAYLOAD, message, fields);
	}
	static fromZod(error: z.ZodError, what = 'payload'): AppError {
		const fields = error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
		const summary = fields.map((field) => (field.path ? `${field.path}: ${field.message}` : field.message)).join('; ');
		return AppError.invalidPayload(`invalid ${what}: ${summary}`, fields);
	}
}

/** Maps any thrown value to the wire shape; unknown errors become INTERNAL without their details. */
export function toWireError(error: unknown): WireError {
	if (error instanceof AppError) {
		return error.fields
			? { code: error.code, message: error.message, fields: error.fields }
			: { code: error.code, message: error.message };
	}
	return { code: ErrorCode.INTERNAL, message: 'internal error' };
}
