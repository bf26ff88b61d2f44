// The live call quality per participant, as the server samples it every few seconds: the figures, and a
// verdict in plain words with what to ask of the person whose connection is weak.
import type { CallNotifications, MediaQuality } from '@vidverify/shared';
import { useEffect, useState } from 'react';
import { useI18n } from '../../i18n/useI18n.ts';
import type { VerificationClient } from '../../signalling/VerificationClient.ts';
import { formatClock } from './format.ts';
import { adviceFor, assessQuality } from './quality.ts';

type Sample = CallNotifications['callQualitySampled'];

export function QualityPanel({ client, ownParticipantId }: { client: VerificationClient; ownParticipantId: string }) {
	const { t, locale } = useI18n();
	const [sample, setSample] = useState<Sample | undefined>();

	useEffect(() => client.on('callQualitySampled', setSample), [client]);

	// The agent's own row last: the people being verified matter most.
	const rows = [...(sample?.participants ?? [])].sort(
		(a, b) => Number(a.participantId === ownParticipantId) - Number(b.participantId === ownParticipantId),
	);

	return (
		<section className="agent-panel" aria-labelledby="agent-quality-title" data-testid="quality-panel">
			<div className="agent-panel-head">
				<h2 id="agent-quality-title">{t('agent.quality.title')}</h2>
				{sample ? <p className="hint">{t('agent.quality.measuredAt', { time: formatClock(sample.at, locale) })}</p> : null}
			</div>
			{rows.length === 0 ? <p className="hint">{t('agent.quality.waiting')}</p> : null}
			{rows.map((row) => (
				<QualityRow key={row.participantId} row={row} own={row.participantId === ownParticipantId} />
			))}
		</section>
	);
}

function QualityRow({ row, own }: { row: MediaQuality; own: boolean }) {
	const { t } = useI18n();
	const verdict = assessQuality(row);
	const advice = adviceFor(verdict);
	const unknown = t('agent.quality.unknown');
	const number = (value: number | null | undefined, key: Parameters<typeof t>[0], digits = 0) =>
		value === null || value === undefined ? unknown : t(key, { value: value.toFixed(digits) });
	const video = row.video;
	const name = own ? t('agent.call.you') : t(`role.${row.role}`);
	const adviceText =
		verdict.level === 'no_video'
			? t('agent.quality.advice.no_video')
			: advice.length === 0
				? t('agent.quality.advice.good')
				: advice.map((entry) => t(`agent.quality.advice.${entry}`)).join(' ');
	return (
		<div className="agent-quality-row" data-testid={`quality-${row.role}`} data-level={verdict.level}>
			<h3>
				{name}:{' '}
				<span className="agent-badge" data-level={verdict.level}>
					{t(`agent.quality.level.${verdict.level}`)}
				</span>
			</h3>
			{own ? null : <p className="agent-quality-advice">{adviceText}</p>}
			<dl className="agent-quality-figures">
				<div>
					<dt>{t('agent.quality.bitrate')}</dt>
					<dd>{number(video?.bitrateKbps, 'agent.quality.unit.kbps')}</dd>
				</div>
				<div>
					<dt>{t('agent.quality.loss')}</dt>
					<dd>{number(video?.packetLossPercent, 'agent.quality.unit.percent', 1)}</dd>
				</div>
				<div>
					<dt>{t('agent.quality.rtt')}</dt>
					<dd>{number(row.roundTripMs, 'agent.quality.unit.ms')}</dd>
				</div>
				<div>
					<dt>{t('agent.quality.jitter')}</dt>
					<dd>{number(video?.jitterMs, 'agent.quality.unit.ms')}</dd>
				</div>
				<div>
					<dt>{t('agent.quality.resolution')}</dt>
					<dd>{video?.width && video.height ? `${video.width}×${video.height}` : unknown}</dd>
				</div>
				<div>
					<dt>{t('agent.quality.fps')}</dt>
					<dd>{number(video?.framesPerSecond, 'agent.quality.unit.fps')}</dd>
				</div>
			</dl>
		</div>
	);
}
