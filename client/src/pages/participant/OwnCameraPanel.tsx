// The participant's own picture during the call (applicant and interpreter alike): what the camera
// sends, a camera problem with its fix, the lighting hint, and the camera switch for documents.
import { DeviceCheckLighting } from '../../components/DeviceCheckLighting.tsx';
import { DeviceCheckPicker } from '../../components/DeviceCheckPicker.tsx';
import { DeviceCheckProblem } from '../../components/DeviceCheckProblem.tsx';
import { VideoTile } from '../../components/VideoTile.tsx';
import { useI18n } from '../../i18n/useI18n.ts';
import { shouldMirror } from '../../media/deviceCheck/constraints.ts';
import type { LocalMediaView } from '../../media/deviceCheck/useLocalMedia.ts';

export function OwnCameraPanel({ media, guide = false }: { media: LocalMediaView; guide?: boolean }) {
	const { t } = useI18n();
	return (
		<section className="applicant-self" aria-labelledby="self-title">
			<h2 id="self-title">{t('call.yourCamera')}</h2>
			<OwnPicture media={media} guide={guide} />
			<DeviceCheckPicker media={media} microphones={false} />
		</section>
	);
}

/**
 * The participant's own picture as the camera sends it, with a camera problem's fix and the lighting
 * hint; `guide`: during a document step, a frame of an ID card's shape to fit the document in.
 */
export function OwnPicture({ media, guide = false }: { media: LocalMediaView; guide?: boolean }) {
	const { t } = useI18n();
	return (
		<>
			{media.problem ? <DeviceCheckProblem problem={media.problem} onRetry={() => void media.start()} /> : null}
			<div className="own-picture">
				<VideoTile
					label={t('video.you')}
					video={media.video}
					mirrored={shouldMirror(media.camera, media.video?.getSettings())}
					placeholder={t('device.noPicture')}
					testId="local-video"
				/>
				{guide ? (
					<div className="framing-guide" data-testid="framing-guide">
						<span>{t('call.frameGuide')}</span>
					</div>
				) : null}
			</div>
			<DeviceCheckLighting track={media.video} />
		</>
	);
}
