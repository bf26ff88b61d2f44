// What the service signs with its outcome key (ES256, compact JWS), as payloads: the outcome, which
// commits to the events before it, and checkpoints of the whole journal. Both sides use these names.
import type { EventsHead } from './records.ts';

/** The `iss` of every token the outcome key signs. */
export const OUTCOME_ISSUER = 'vidverify';
/** The JWS header `typ` of a checkpoint, so that no other token the key signs passes for one. */
export const CHECKPOINT_TYPE = 'vidverify-checkpoint+jwt';

/** What a checkpoint's signature says: the journal had `length` records and the last one's hash was `head`. */
export type Checkpoint = { length: number; head: string; at: string };

/** The payload of a signed outcome (besides iss, sub and iat): `events` is absent on outcomes signed before it. */
export type SignedOutcomePayload = { outcome: unknown; events: EventsHead };

export type SignedCheckpointPayload = { checkpoint: Checkpoint };
