// Which screen the interpreter sees. The interpreter's consent is recorded by the server (the
// snapshot says whether it was given); the device check is this tab's own; whether they are still in
// the call is the server's.
import { CALL_DECISION_STATES, isCallOver, type VerificationSnapshot, type VerificationState } from '@vidverify/shared';
import type { LocalProgress } from '../participant/progress.ts';

export type InterpreterScreen = 'consent' | 'device_check' | 'waiting' | 'call' | 'end';

/** Why the interpreter's part is over, for the end screen. */
export type InterpreterEnding = 'left' | 'removed' | 'decided' | 'ended';

type Snapshot = Pick<VerificationSnapshot, 'state' | 'interpreter' | 'you'>;

/** The states the agent's decision leaves (`escalated` in records before review existed). */
const DECIDED: readonly VerificationState[] = [...CALL_DECISION_STATES, 'escalated'];

export function interpreterEnding(snapshot: Snapshot, progress: LocalProgress): InterpreterEnding | undefined {
	const interpreter = snapshot.interpreter;
	if (progress.left || (interpreter?.participantId === snapshot.you.participantId && interpreter.status === 'left'))
		return 'left';
	// A removed interpreter, or one replaced by a newer invitation, is no longer part of this call.
	if (interpreter && (interpreter.status === 'removed' || interpreter.participantId !== snapshot.you.participantId))
		return 'removed';
	if (DECIDED.includes(snapshot.state)) return 'decided';
	if (isCallOver(snapshot.state)) return 'ended';
	return undefined;
}

export function interpreterScreen(snapshot: Snapshot, progress: LocalProgress): InterpreterScreen {
	if (interpreterEnding(snapshot, progress)) return 'end';
	if (!snapshot.interpreter?.consented) return 'consent';
	if (!progress.deviceChecked) return 'device_check';
	return snapshot.state === 'in_call' ? 'call' : 'waiting';
}
