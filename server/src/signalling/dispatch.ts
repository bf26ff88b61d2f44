// The one parse-and-dispatch point of a socket: every incoming event is looked up, its payload
// admitted (rate limit), checked against the caller's permissions, validated with its zod schema, its
// handler run, and the outcome acknowledged as {ok, data} or {ok:false, error}. Unknown events,
// refused callers and payloads that do not parse never reach a handler. Each outcome is also told to
// the request observer of the socket's server, if it has one (metrics).
import { ErrorCode, type RequestSchemas } from '@vidverify/shared';
import type { Server, Socket } from 'socket.io';
import type { z } from 'zod';
import { AppError, toWireError } from '../errors.ts';
import type { Logger } from '../logger.ts';

export type RequestHandlers<Schemas extends RequestSchemas> = {
	[K in keyof Schemas]: (payload: z.output<Schemas[K]>) => Promise<unknown> | unknown;
};

export type DispatchOptions = {
	logger: Logger;
	/** Called before each request; throws or rejects (e.g. RATE_LIMITED) to refuse it. */
	admit?: (event: string) => void | Promise<void>;
	/**
	 * Called for a known request before its payload is parsed; throws (e.g. FORBIDDEN) to refuse it.
	 * Permission comes first so a caller learns nothing about the shape of a request it may not send.
	 */
	authorize?: (event: string) => void;
};

/** One request as metrics see it: `request` is UNKNOWN_REQUEST for a name no schema has, so that the set stays closed. */
export type RequestObservation = { namespace: string; request: string; outcome: 'ok' | ErrorCode; seconds: number };
export type RequestObserver = (observation: RequestObservation) => void;

export const UNKNOWN_REQUEST = '(unknown)';

// Kept per socket.io server: the service that owns a server observes the requests of all its
// namespaces, and the namespaces need not pass an observer through their options to this point.
const observers = new WeakMap<Server, RequestObserver>();

/** Tells `observer` the outcome and duration of every request dispatched on this server's sockets. */
export function observeRequests(io: Server, observer: RequestObserver): void {
	observers.set(io, observer);
}

export function dispatchRequests<Schemas extends RequestSchemas>(
	socket: Socket,
	schemas: Schemas,
	handlers: RequestHandlers<Schemas>,
	options: DispatchOptions,
): void {
	socket.onAny((event: unknown, ...args: unknown[]) => {
		const ack = args.at(-1);
		const respond = typeof ack === 'function' ? (ack as (answer: unknown) => void) : undefined;
		const payload = respond ? args.slice(0, -1)[0] : args[0];
		const name = String(event);
		const startedAt = performance.now();
		void handle(name, payload).then((answer) => {
			respond?.(answer);
			observers.get(socket.nsp.server)?.({
				namespace: socket.nsp.name,
				request: Object.hasOwn(schemas, name) ? name : UNKNOWN_REQUEST,
				outcome: answer.ok ? 'ok' : answer.error.code,
				seconds: (performance.now() - startedAt) / 1000,
			});
		});
	});

	async function handle(event: string, payload: unknown) {
		try {
			await options.admit?.(event);
			if (!Object.hasOwn(schemas, event)) {
				throw new AppError(ErrorCode.INVALID_PAYLOAD, `unknown request ${JSON.stringify(event.slice(0, 60))}`);
			}
			options.authorize?.(event);
			const schema = schemas[event] as z.ZodType;
			const parsed = schema.safeParse(payload ?? {});
			if (!parsed.success) throw AppError.fromZod(parsed.error, `${event} payload`);
			const handler = handlers[event as keyof Schemas];
			const data = await handler(parsed.data as never);
			return { ok: true as const, data: data ?? {} };
		} catch (error) {
			// A refusal is the client's doing and costs one debug line; only a fault of ours is an error.
			if (error instanceof AppError) options.logger.debug({ event, code: error.code, reason: error.reason }, 'request refused');
			else options.logger.error({ err: error, event }, 'request failed');
			return { ok: false as const, error: toWireError(error) };
		}
	}
}
