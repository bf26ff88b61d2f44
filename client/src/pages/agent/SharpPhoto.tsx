// The agent's "Take a sharp photo": asks the applicant's camera for one full-resolution still during
// a face or document step, receives it in chunks (stillTransfer.ts) and shows it in the applicant's
// viewer with the same zoom and pan as the video. The photo exists only as an object URL of this page:
// dismissing it, taking another, or leaving the call (the call view goes away) revokes it.
import { mayTakeStillAt, type VerificationSnapshot } from '@vidverify/shared';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useI18n } from '../../i18n/useI18n.ts';
import type { VerificationClient } from '../../signalling/VerificationClient.ts';
import { addChunk, blobOf, isComplete, type StillAssembly, startAssembly } from './stillTransfer.ts';

/** What the viewer shows in place of the video. */
export type ShownStill = { url: string; width: number; height: number };

export type SharpPhoto = {
	status: 'idle' | 'taking' | 'shown' | 'failed';
	still: ShownStill | undefined;
	/** What to tell the agent, already translated. */
	message: string | undefined;
	canTake: boolean;
	take: () => void;
	dismiss: () => void;
};

export function useSharpPhoto(client: VerificationClient, snapshot: VerificationSnapshot): SharpPhoto {
	const { t, describeError } = useI18n();
	const [status, setStatus] = useState<SharpPhoto['status']>('idle');
	const [still, setStill] = useState<ShownStill | undefined>();
	const [message, setMessage] = useState<string | undefined>();
	const taking = useRef(false);
	const assembly = useRef<StillAssembly | undefined>(undefined);
	const shownUrl = useRef<string | undefined>(undefined);

	const show = useCallback((next: ShownStill | undefined) => {
		if (shownUrl.current) URL.revokeObjectURL(shownUrl.current);
		shownUrl.current = next?.url;
		setStill(next);
	}, []);

	const fail = useCallback((text: string) => {
		taking.current = false;
		assembly.current = undefined;
		setStatus('failed');
		setMessage(text);
	}, []);

	useEffect(() => {
		const stops = [
			client.on('stillOffered', (offer) => {
				if (taking.current) assembly.current = startAssembly(offer);
			}),
			client.on('stillChunkRelayed', (chunk) => {
				const current = assembly.current;
				if (current && !addChunk(current, chunk)) assembly.current = undefined;
			}),
			client.on('stillEnded', ({ stillId, outcome, reason }) => {
				const current = assembly.current;
				if (!taking.current || (current && current.offer.stillId !== stillId)) return;
				if (outcome !== 'delivered' || !current || !isComplete(current)) {
					fail(t(`agent.still.failed.${reason ?? 'transfer_broken'}`));
					return;
				}
				const { width, height } = current.offer;
				show({ url: URL.createObjectURL(blobOf(current)), width, height });
				taking.current = false;
				assembly.current = undefined;
				setStatus('shown');
				setMessage(t('agent.still.arrived', { width, height }));
			}),
		];
		return () => {
			for (const stop of stops) stop();
		};
	}, [client, fail, show, t]);

	// Gone with the call view: the call ended, or the agent left it.
	useEffect(() => () => show(undefined), [show]);

	const take = useCallback(() => {
		if (taking.current) return;
		taking.current = true;
		assembly.current = undefined;
		setStatus('taking');
		setMessage(t('agent.still.taking'));
		client.request('takeStill', {}).catch((error: unknown) => {
			fail(t('agent.still.refused', { reason: describeError(error) }));
		});
	}, [client, describeError, fail, t]);

	const dismiss = useCallback(() => {
		show(undefined);
		setStatus('idle');
		setMessage(undefined);
	}, [show]);

	// The call is over (ended, interrupted) even if this view is still on screen: the photo goes with it.
	const inCall = snapshot.state === 'in_call';
	useEffect(() => {
		if (!inCall) dismiss();
	}, [inCall, dismiss]);

	const canTake = snapshot.state === 'in_call' && mayTakeStillAt(snapshot.currentStepId) && status !== 'taking';
	return { status, still, message, canTake, take, dismiss };
}

/** The buttons, among the applicant viewer's tools. */
export function SharpPhotoControls({ photo }: { photo: SharpPhoto }) {
	const { t } = useI18n();
	return (
		<>
			<button
				type="button"
				className="agent-tool"
				onClick={photo.take}
				disabled={!photo.canTake}
				title={photo.canTake ? undefined : t('agent.still.onlyAtSteps')}
				data-testid="sharp-photo"
			>
				{t('agent.still.take')}
			</button>
			{photo.still ? (
				<button type="button" className="agent-tool" onClick={photo.dismiss} data-testid="sharp-photo-dismiss">
					{t('agent.still.dismiss')}
				</button>
			) : null}
		</>
	);
}

export function SharpPhotoStatus({ photo }: { photo: SharpPhoto }) {
	if (!photo.message) return null;
	return (
		<p
			className="status"
			data-tone={photo.status === 'failed' ? 'error' : 'ok'}
			role="status"
			data-testid="sharp-photo-status"
			data-status={photo.status}
		>
			{photo.message}
		</p>
	);
}
