// Which screen the applicant sees, from the server's state and what this tab remembers. The server's
// state decides where the verification is; the tab's progress only adds the steps the server does not
// track (the device check, a "not now" on the consent).
import { isCallOver, type VerificationSnapshot } from '@vidverify/shared';
import type { LocalProgress } from '../participant/progress.ts';

export type ApplicantScreen = 'consent' | 'declined' | 'device_check' | 'waiting' | 'call' | 'end';

export function applicantScreen(snapshot: Pick<VerificationSnapshot, 'state'>, progress: LocalProgress): ApplicantScreen {
	const { state } = snapshot;
	if (isCallOver(state)) return 'end';
	if (state === 'created') return progress.consentDeclined ? 'declined' : 'consent';
	// After consent the applicant is already in the queue; the device check runs while they wait, and
	// one that is still open when an agent accepts must finish before the call (the agent waits).
	if (!progress.deviceChecked) return 'device_check';
	return state === 'in_call' ? 'call' : 'waiting';
}
