// The deployment's waiting verifications in the order agents take them, with how long each has waited
// (as of the reading: the table moves with the refreshes, not in between).
import { isLocale, type OperatorOverview } from '@vidverify/shared';
import { useI18n } from '../../i18n/useI18n.ts';
import { formatClock } from '../agent/format.ts';
import { formatWait } from './figures.ts';
import { OperatorTable } from './OperatorTable.tsx';

export function QueueTable({ queue }: { queue: OperatorOverview['queue'] }) {
	const { t, tm, locale } = useI18n();
	const longest = queue.items[0];
	return (
		<OperatorTable
			id="operator-queue"
			testId="operator-queue"
			title={
				longest
					? t('operator.queue.captionLongest', { count: queue.length, wait: formatWait(longest.waitingSeconds) })
					: t('operator.queue.caption', { count: queue.length })
			}
			empty={queue.items.length === 0 ? t('operator.queue.empty') : undefined}
		>
			<thead>
				<tr>
					<th scope="col">{t('operator.queue.position')}</th>
					<th scope="col">{t('operator.queue.verification')}</th>
					<th scope="col">{t('operator.queue.purpose')}</th>
					<th scope="col">{t('operator.queue.language')}</th>
					<th scope="col">{t('operator.queue.since')}</th>
					<th scope="col">{t('operator.queue.waited')}</th>
				</tr>
			</thead>
			<tbody>
				{queue.items.map((item, index) => (
					<tr key={item.verificationId} data-testid="operator-queue-item" data-verification-id={item.verificationId}>
						<td>{index + 1}</td>
						<th scope="row">
							<code>{item.verificationId}</code>
						</th>
						<td>{tm(`purpose.${item.purpose}`)}</td>
						<td>{isLocale(item.locale) ? t(`language.${item.locale}`) : item.locale}</td>
						<td>
							<time dateTime={item.waitingSince}>{formatClock(item.waitingSince, locale)}</time>
						</td>
						<td data-testid="operator-waited">{formatWait(item.waitingSeconds)}</td>
					</tr>
				))}
			</tbody>
		</OperatorTable>
	);
}
