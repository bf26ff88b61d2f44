// What went wrong with the camera or microphone and how to fix it in the browser in use, with a retry.
import { useI18n } from '../i18n/useI18n.ts';
import { browserFamily, type MediaProblem } from '../media/deviceCheck/mediaErrors.ts';

export function DeviceCheckProblem({ problem, onRetry }: { problem: MediaProblem; onRetry: () => void }) {
	const { t } = useI18n();
	const family = browserFamily(navigator.userAgent);
	const { kind } = problem;
	return (
		<section
			className="device-problem"
			role="alert"
			data-testid="device-problem"
			data-kind={kind}
			aria-labelledby="device-problem-title"
		>
			<h2 id="device-problem-title">{t(`device.problem.${kind}.title`)}</h2>
			<p>{t(`device.problem.${kind}.body`)}</p>
			{kind === 'permission_denied' ? <p data-testid="device-problem-fix">{t(`device.fix.permission.${family}`)}</p> : null}
			{kind === 'device_busy' ? <p data-testid="device-problem-fix">{t('device.fix.busy')}</p> : null}
			{kind === 'no_camera' || kind === 'no_microphone' ? (
				<p data-testid="device-problem-fix">{t('device.fix.missing')}</p>
			) : null}
			{kind === 'other' ? (
				<p className="hint">
					{t('device.problem.detail')} <span lang="en">{problem.detail}</span>
				</p>
			) : null}
			{kind === 'no_rear_camera' || kind === 'no_webrtc' ? null : (
				<button type="button" onClick={onRetry} data-testid="device-retry">
					{t('error.retry')}
				</button>
			)}
		</section>
	);
}
