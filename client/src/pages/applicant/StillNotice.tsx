// Tells the applicant that the agent took a sharp photo of their camera picture, and answers the
// agent's requests for one (stillCapture.ts). The notice stays for the step it was taken at.
import type { StepId } from '@vidverify/shared';
import { useEffect, useRef, useState } from 'react';
import { useI18n } from '../../i18n/useI18n.ts';
import type { LocalMedia } from '../../media/deviceCheck/LocalMedia.ts';
import type { VerificationClient } from '../../signalling/VerificationClient.ts';
import { answerStillRequest } from './stillCapture.ts';

/** The step at which the agent last took a photo, while a request is answered; undefined before any. */
export function useStillRequests(client: VerificationClient, localMedia: LocalMedia, stepId: StepId | null) {
	const [takenAt, setTakenAt] = useState<StepId | null | undefined>(undefined);
	const step = useRef(stepId);
	useEffect(() => {
		step.current = stepId;
	}, [stepId]);
	useEffect(
		() =>
			client.on('stillRequested', (request) => {
				void answerStillRequest(client, localMedia.snapshot.video, request, () => setTakenAt(step.current));
			}),
		[client, localMedia],
	);
	return takenAt !== undefined && takenAt === stepId;
}

export function StillNotice({ shown }: { shown: boolean }) {
	const { t } = useI18n();
	if (!shown) return null;
	return (
		<p className="status" role="status" data-testid="still-taken-note">
			{t('call.still.taken')}
		</p>
	);
}
