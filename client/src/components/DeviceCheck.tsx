// The device check before a call: camera preview, microphone level, a live hint about light and
// sharpness, the camera choice, and for each way getUserMedia can fail a message with how to fix it.
// Shared by the applicant and the interpreter.
import type { ReactNode } from 'react';
import { useI18n } from '../i18n/useI18n.ts';
import { resolutionIsLow, shouldMirror } from '../media/deviceCheck/constraints.ts';
import type { LocalMediaView } from '../media/deviceCheck/useLocalMedia.ts';
import { DeviceCheckLighting } from './DeviceCheckLighting.tsx';
import { DeviceCheckMeter } from './DeviceCheckMeter.tsx';
import { DeviceCheckPicker } from './DeviceCheckPicker.tsx';
import { DeviceCheckProblem } from './DeviceCheckProblem.tsx';
import { VideoTile } from './VideoTile.tsx';

export function DeviceCheck({
	heading,
	media,
	onContinue,
	notice,
}: {
	/** The screen's h1, from the page (which also moves focus to it). */
	heading: ReactNode;
	media: LocalMediaView;
	onContinue: () => void;
	/** Something to say above the check: the queue position, or that the agent is already waiting. */
	notice?: ReactNode;
}) {
	const { t } = useI18n();
	const settings = media.video?.getSettings();
	const ready = media.status === 'ready' && media.video?.readyState === 'live' && media.audio?.readyState === 'live';

	return (
		<section className="applicant-panel device-check" data-testid="device-check" data-status={media.status}>
			{heading}
			{notice}
			<p>{t('device.intro')}</p>
			{media.problem ? <DeviceCheckProblem problem={media.problem} onRetry={() => void media.start()} /> : null}
			{media.status === 'starting' ? (
				<p className="status" role="status" data-testid="device-starting">
					{t('device.starting')}
				</p>
			) : null}
			<div className="device-check-grid">
				<div>
					<VideoTile
						label={t('device.preview')}
						video={media.video}
						mirrored={shouldMirror(media.camera, settings)}
						placeholder={t('device.noPicture')}
						testId="device-preview"
					/>
					{settings?.width && settings.height ? (
						<p className="hint" data-testid="camera-resolution" data-width={settings.width} data-height={settings.height}>
							{t(resolutionIsLow(settings) ? 'device.resolutionLow' : 'device.resolution', {
								width: settings.width,
								height: settings.height,
							})}
						</p>
					) : null}
				</div>
				<div className="device-check-side">
					<h2>{t('device.pictureHeading')}</h2>
					<DeviceCheckLighting track={media.video} />
					<DeviceCheckPicker media={media} />
					<h2>{t('device.soundHeading')}</h2>
					<DeviceCheckMeter track={media.audio} />
				</div>
			</div>
			<div className="applicant-actions">
				<button type="button" onClick={onContinue} disabled={!ready} data-testid="device-check-continue">
					{t('device.continue')}
				</button>
			</div>
		</section>
	);
}
