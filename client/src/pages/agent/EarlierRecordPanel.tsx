// The earlier record an identity reset is compared with: how the earlier verification ended and when,
// its reasons, the type of the document recorded then, and whether the document checked in this call
// is that same one — what the renewal step asks the agent to compare.
import { type DocumentCheckView, type EarlierRecordView, REASON_CODE_INFO } from '@vidverify/shared';
import { useI18n } from '../../i18n/useI18n.ts';
import { earlierDocumentMatch } from './earlierRecord.ts';
import { formatDateTime } from './format.ts';

export function EarlierRecordPanel({
	earlier,
	checks,
}: {
	earlier: EarlierRecordView;
	checks: readonly DocumentCheckView[] | null;
}) {
	const { t, tm, locale } = useI18n();
	const match = earlierDocumentMatch(earlier, checks);
	const reasons = earlier.reasonCodes.map((code) => tm(REASON_CODE_INFO[code].labelKey)).join(t('error.listSeparator'));
	return (
		<section className="agent-panel" aria-labelledby="agent-earlier-title" data-testid="earlier-record">
			<div className="agent-panel-head">
				<h2 id="agent-earlier-title">{t('agent.earlier.title')}</h2>
			</div>
			<dl className="agent-facts">
				<dt>{t('agent.earlier.decision')}</dt>
				<dd data-testid="earlier-decision" data-state={earlier.state}>
					{tm(`state.${earlier.state}`)}
					{reasons ? ` (${reasons})` : ''}
				</dd>
				<dt>{t('agent.earlier.date')}</dt>
				<dd data-testid="earlier-date">{formatDateTime(new Date(earlier.decidedAt), locale)}</dd>
				<dt>{t('agent.earlier.documentType')}</dt>
				<dd data-testid="earlier-document-type">
					{earlier.documentType ? t(`agent.document.type.${earlier.documentType}`) : t('agent.earlier.noDocument')}
				</dd>
				<dt>{t('agent.earlier.match')}</dt>
				<dd data-testid="earlier-document-match" data-match={match}>
					{t(`agent.earlier.match.${match}`)}
				</dd>
			</dl>
		</section>
	);
}
