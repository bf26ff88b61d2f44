// The microphone's live level as a meter, with a note when nothing has been heard for a while.
import { useEffect, useState } from 'react';
import { useI18n } from '../i18n/useI18n.ts';
import { useMicrophoneLevel } from '../media/deviceCheck/useMicrophoneLevel.ts';

/** Level under which the microphone counts as silent; room noise on a working microphone is above it. */
const HEARD = 0.05;
const SILENCE_NOTE_AFTER_MS = 6000;

export function DeviceCheckMeter({ track }: { track: MediaStreamTrack | undefined }) {
	const { t } = useI18n();
	const level = useMicrophoneLevel(track);
	const [heard, setHeard] = useState(false);
	const [waitedLong, setWaitedLong] = useState(false);

	useEffect(() => {
		setHeard(false);
		setWaitedLong(false);
		if (!track) return;
		const timer = setTimeout(() => setWaitedLong(true), SILENCE_NOTE_AFTER_MS);
		return () => clearTimeout(timer);
	}, [track]);

	useEffect(() => {
		if (level >= HEARD) setHeard(true);
	}, [level]);

	return (
		<div className="device-meter">
			<label htmlFor="device-mic-level">{t('device.micLevel')}</label>
			<meter
				id="device-mic-level"
				min={0}
				max={1}
				low={0.15}
				optimum={0.5}
				value={level}
				data-testid="mic-level"
				data-level={level}
				data-heard={heard}
			/>
			<p className="hint">{heard ? t('device.micHeard') : t('device.micSpeak')}</p>
			{!heard && waitedLong ? (
				<p className="hint" role="status" data-testid="mic-silent">
					{t('device.micSilent')}
				</p>
			) : null}
		</div>
	);
}
