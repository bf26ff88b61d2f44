// Says why this link cannot be used and what to do instead, in the person's language.
import { useI18n } from '../../i18n/useI18n.ts';
import type { LinkProblem } from './linkProblem.ts';
import { ScreenHeading } from './ScreenHeading.tsx';

export function LinkProblemScreen({ problem }: { problem: LinkProblem }) {
	const { t, describeError } = useI18n();
	const { kind, refusal } = problem;
	return (
		<section className="applicant-panel" data-testid="link-problem" data-kind={kind} data-reason={refusal?.reason}>
			<ScreenHeading>{t(`link.problem.${kind}.title`)}</ScreenHeading>
			<p>{t(`link.problem.${kind}.body`)}</p>
			{kind === 'agent_link' ? (
				<p>
					<a href={`/agent${window.location.hash}`}>{t('link.problem.agent_link.action')}</a>
				</p>
			) : null}
			{kind === 'outdated_page' || kind === 'unavailable' ? (
				<button type="button" onClick={() => window.location.reload()}>
					{t('link.reload')}
				</button>
			) : null}
			{refusal ? (
				<p className="hint" data-testid="link-problem-reason">
					{t('link.serverSaid')} {describeError(refusal)}
				</p>
			) : null}
		</section>
	);
}
