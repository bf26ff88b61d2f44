// The closed set of error codes shared by HTTP answers and socket acknowledgements, with the HTTP
// status each maps to, so one error type serves both transports.
export const ErrorCode = {
	UNAUTHENTICATED: 'UNAUTHENTICATED',
	FORBIDDEN: 'FORBIDDEN',
	INVALID_PAYLOAD: 'INVALID_PAYLOAD',
	INVALID_STATE: 'INVALID_STATE',
	NOT_FOUND: 'NOT_FOUND',
	CONFLICT: 'CONFLICT',
	RATE_LIMITED: 'RATE_LIMITED',
	PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
	PROTOCOL_MISMATCH: 'PROTOCOL_MISMATCH',
	UNAVAILABLE: 'UNAVAILABLE',
	INTERNAL: 'INTERNAL',
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export const HTTP_STATUS_OF: Record<ErrorCode, number> = {
	UNAUTHENTICATED: 401,
	FORBIDDEN: 403,
	INVALID_PAYLOAD: 400,
	INVALID_STATE: 409,
	NOT_FOUND: 404,
	CONFLICT: 409,
	RATE_LIMITED: 429,
	PAYLOAD_TOO_LARGE: 413,
	PROTOCOL_MISMATCH: 426,
	UNAVAILABLE: 503,
	INTERNAL: 500,
};

export type FieldError = { path: string; message: string };

export type WireError = { code: ErrorCode; message: string; fields?: FieldError[] };
