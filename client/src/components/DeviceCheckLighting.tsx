// The live lighting and sharpness hint for the camera picture, judged in this page (never recorded).
import { useI18n } from '../i18n/useI18n.ts';
import { useFrameHint } from '../media/deviceCheck/useFrameHint.ts';

export function DeviceCheckLighting({ track }: { track: MediaStreamTrack | undefined }) {
	const { t } = useI18n();
	const hint = useFrameHint(track);
	return (
		<p
			className="status device-lighting"
			data-tone={hint === undefined || hint === 'ok' ? 'ok' : 'warning'}
			role="status"
			aria-live="polite"
			data-testid="lighting-hint"
			data-hint={hint ?? 'pending'}
		>
			{t(`device.lighting.${hint ?? 'pending'}`)}
		</p>
	);
}
