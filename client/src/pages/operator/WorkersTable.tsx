// This server's mediasoup workers: what each costs (CPU between the last two readings and in all,
// memory now and at most) and what it carries.
import type { OperatorOverview } from '@vidverify/shared';
import { useI18n } from '../../i18n/useI18n.ts';
import { cpuPercent, formatNumber, MIB, totalCpuSeconds } from './figures.ts';
import { OperatorTable } from './OperatorTable.tsx';

export function WorkersTable({ latest, previous }: { latest: OperatorOverview; previous: OperatorOverview | undefined }) {
	const { t, locale } = useI18n();
	const none = t('operator.none');
	const mib = (bytes: number | null) =>
		bytes === null ? none : t('operator.unit.mib', { value: formatNumber(bytes / MIB, locale, 1) });
	const pair = (counts: { audio: number; video: number }) =>
		t('operator.unit.pair', { first: formatNumber(counts.audio, locale), second: formatNumber(counts.video, locale) });
	return (
		<OperatorTable
			id="operator-workers"
			testId="operator-workers"
			title={t('operator.workers.caption', { count: latest.workers.length })}
			empty={latest.workers.length === 0 ? t('operator.workers.empty') : undefined}
		>
			<thead>
				<tr>
					<th scope="col">{t('operator.workers.pid')}</th>
					<th scope="col">{t('operator.workers.cpuNow')}</th>
					<th scope="col">{t('operator.workers.cpuTotal')}</th>
					<th scope="col">{t('operator.workers.memory')}</th>
					<th scope="col">{t('operator.workers.memoryPeak')}</th>
					<th scope="col">{t('operator.workers.routers')}</th>
					<th scope="col">{t('operator.workers.transports')}</th>
					<th scope="col">{t('operator.workers.producers')}</th>
					<th scope="col">{t('operator.workers.consumers')}</th>
				</tr>
			</thead>
			<tbody>
				{latest.workers.map((worker) => {
					const share = cpuPercent(worker, latest, previous);
					return (
						<tr key={worker.pid} data-testid="operator-worker" data-pid={worker.pid}>
							<th scope="row">{worker.pid}</th>
							<td data-testid="operator-cpu-now">
								{share === null ? none : t('operator.unit.percent', { value: formatNumber(share, locale, 1) })}
							</td>
							<td>{t('operator.unit.seconds', { value: formatNumber(totalCpuSeconds(worker), locale, 1) })}</td>
							<td>{mib(worker.memory.residentBytes)}</td>
							<td>{mib(worker.memory.maxResidentBytes)}</td>
							<td data-testid="operator-routers">{formatNumber(worker.media.routers, locale)}</td>
							<td>{formatNumber(worker.media.transports, locale)}</td>
							<td>{pair(worker.media.producers)}</td>
							<td data-testid="operator-consumers">{pair(worker.media.consumers)}</td>
						</tr>
					);
				})}
			</tbody>
		</OperatorTable>
	);
}
