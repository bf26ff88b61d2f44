// Every socket request is acknowledged with one of these two shapes.
import type { WireError } from '../errors.ts';

export type Ack<Data> = { ok: true; data: Data } | { ok: false; error: WireError };

export type AckCallback<Data> = (ack: Ack<Data>) => void;
