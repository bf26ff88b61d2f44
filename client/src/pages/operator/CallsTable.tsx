// The live calls this server carries, one group of rows per call: its id, its agent and how many
// quality samples it has, then each participant with the quality the server measured so far.
import type { OperatorAgent, OperatorCall } from '@vidverify/shared';
import { useI18n } from '../../i18n/useI18n.ts';
import { callParticipants, formatNumber } from './figures.ts';
import { OperatorTable } from './OperatorTable.tsx';

export function CallsTable({ calls, agents }: { calls: readonly OperatorCall[]; agents: readonly OperatorAgent[] }) {
	const { t, locale } = useI18n();
	const none = t('operator.none');
	const figure = (value: number | null, key: Parameters<typeof t>[0], digits = 0) =>
		value === null ? none : t(key, { value: formatNumber(value, locale, digits) });
	return (
		<OperatorTable
			id="operator-calls"
			testId="operator-calls"
			title={t('operator.calls.caption', { count: calls.length })}
			empty={calls.length === 0 ? t('operator.calls.empty') : undefined}
		>
			<thead>
				<tr>
					<th scope="col">{t('operator.calls.call')}</th>
					<th scope="col">{t('operator.calls.participant')}</th>
					<th scope="col">{t('operator.calls.bitrate')}</th>
					<th scope="col">{t('operator.calls.loss')}</th>
					<th scope="col">{t('operator.calls.rtt')}</th>
					<th scope="col">{t('operator.calls.resolution')}</th>
					<th scope="col">{t('operator.calls.score')}</th>
				</tr>
			</thead>
			{calls.map((call) => {
				const rows = callParticipants(call);
				const agent = agents.find((candidate) => candidate.verificationId === call.verificationId);
				return (
					<tbody key={call.verificationId} data-testid="operator-call" data-verification-id={call.verificationId}>
						{rows.map((row, index) => (
							<tr key={row.participantId} data-testid={`operator-call-${row.role}`} data-measured={row.quality !== undefined}>
								{index === 0 ? (
									<th scope="rowgroup" rowSpan={rows.length} className="operator-call-id">
										<code>{call.verificationId}</code>
										{agent ? <span>{t('operator.calls.agent', { name: agent.displayName })}</span> : null}
										<span className="hint">{t('operator.calls.samples', { count: call.quality.samples })}</span>
									</th>
								) : null}
								<th scope="row">{t(`role.${row.role}`)}</th>
								{row.quality ? (
									<>
										<td data-testid="operator-bitrate">{figure(row.quality.averageVideoKbps, 'operator.unit.kbps')}</td>
										<td data-testid="operator-loss">{figure(row.quality.worstPacketLossPercent, 'operator.unit.percent', 1)}</td>
										<td data-testid="operator-rtt">{figure(row.quality.averageRoundTripMs, 'operator.unit.ms')}</td>
										<td data-testid="operator-resolution">
											{row.quality.lowestResolution ? t('operator.unit.resolution', row.quality.lowestResolution) : none}
										</td>
										<td>{row.quality.lowestScore === null ? none : formatNumber(row.quality.lowestScore, locale)}</td>
									</>
								) : (
									<td colSpan={5} className="hint">
										{t('operator.calls.notMeasured')}
									</td>
								)}
							</tr>
						))}
					</tbody>
				);
			})}
		</OperatorTable>
	);
}
