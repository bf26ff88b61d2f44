// Turns a group of request schemas and their response types into the socket.io event map that both
// ends are typed with, so the wire contract has one source: the zod schemas.
import type { z } from 'zod';
import type { AckCallback } from './ack.ts';

export type RequestSchemas = Record<string, z.ZodType>;

export type RequestEvents<Schemas extends RequestSchemas, Responses extends { [K in keyof Schemas]: unknown }> = {
	[K in keyof Schemas & string]: (payload: z.input<Schemas[K]>, ack: AckCallback<Responses[K]>) => void;
};
