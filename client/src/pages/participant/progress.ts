// What this tab remembers of a participant's own progress, so a reload (or a dropped and restored
// connection) lands on the same screen: the device check already passed, the camera chosen, the
// interpreter link already made. sessionStorage: kept across reloads of this tab, gone with the tab,
// and never sent anywhere. Keyed by participant, so two links in one tab do not mix.
import type { CameraChoice } from '../../media/deviceCheck/constraints.ts';

export type LocalProgress = {
	consentDeclined?: boolean;
	deviceChecked?: boolean;
	camera?: CameraChoice;
	microphoneId?: string;
	/** The applicant's invitation link for the interpreter; the snapshot does not carry it. */
	interpreterLink?: { invitationId: string; url: string; expiresAt: string };
	/** The interpreter left on purpose: show the end, not a refusal, if the page reloads. */
	left?: boolean;
};

const PREFIX = 'vidverify.progress.';

export function loadProgress(
	participantId: string,
	storage: Pick<Storage, 'getItem'> | undefined = globalThis.sessionStorage,
): LocalProgress {
	try {
		const stored = storage?.getItem(PREFIX + participantId);
		return stored ? (JSON.parse(stored) as LocalProgress) : {};
	} catch {
		return {};
	}
}

export function saveProgress(
	participantId: string,
	progress: LocalProgress,
	storage: Pick<Storage, 'setItem'> | undefined = globalThis.sessionStorage,
): void {
	try {
		storage?.setItem(PREFIX + participantId, JSON.stringify(progress));
	} catch {
		// Private modes may refuse storage; the flow still works, a reload just asks again.
	}
}
