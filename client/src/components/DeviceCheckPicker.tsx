// Choosing the camera (and microphone): a list of this device's cameras, and on phones one button for
// the back camera, which shows a document better than the selfie camera.
import { useEffect, useState } from 'react';
import { useI18n } from '../i18n/useI18n.ts';
import type { LocalMediaView } from '../media/deviceCheck/useLocalMedia.ts';

function usesTouch(): boolean {
	return globalThis.matchMedia?.('(pointer: coarse)').matches ?? false;
}

export function DeviceCheckPicker({ media, microphones = true }: { media: LocalMediaView; microphones?: boolean }) {
	const { t } = useI18n();
	const [busy, setBusy] = useState(false);
	const [touch, setTouch] = useState(usesTouch);
	useEffect(() => setTouch(usesTouch()), []);

	const cameraId = media.video?.getSettings().deviceId ?? '';
	const microphoneId = media.audio?.getSettings().deviceId ?? '';
	const facing = media.video?.getSettings().facingMode ?? ('facingMode' in media.camera ? media.camera.facingMode : undefined);
	const back = facing === 'environment';

	async function run(action: () => Promise<void>) {
		setBusy(true);
		try {
			await action();
		} finally {
			setBusy(false);
		}
	}

	return (
		<div className="device-picker">
			{touch ? (
				<button
					type="button"
					className="applicant-secondary"
					disabled={busy || !media.video}
					onClick={() => void run(() => media.switchCamera({ facingMode: back ? 'user' : 'environment' }))}
					data-testid="camera-facing"
					data-facing={back ? 'environment' : 'user'}
				>
					{back ? t('device.useFrontCamera') : t('device.useBackCamera')}
				</button>
			) : null}
			{media.devices.cameras.length > 1 ? (
				<label className="device-field">
					<span>{t('device.camera')}</span>
					<select
						value={cameraId}
						disabled={busy}
						onChange={(event) => void run(() => media.switchCamera({ deviceId: event.target.value }))}
						data-testid="camera-select"
					>
						{media.devices.cameras.map((camera, index) => (
							<option key={camera.deviceId} value={camera.deviceId}>
								{camera.label || t('device.cameraNumber', { number: index + 1 })}
							</option>
						))}
					</select>
				</label>
			) : null}
			{microphones && media.devices.microphones.length > 1 ? (
				<label className="device-field">
					<span>{t('device.microphone')}</span>
					<select
						value={microphoneId}
						disabled={busy}
						onChange={(event) => void run(() => media.switchMicrophone(event.target.value))}
						data-testid="microphone-select"
					>
						{media.devices.microphones.map((microphone, index) => (
							<option key={microphone.deviceId} value={microphone.deviceId}>
								{microphone.label || t('device.microphoneNumber', { number: index + 1 })}
							</option>
						))}
					</select>
				</label>
			) : null}
		</div>
	);
}
