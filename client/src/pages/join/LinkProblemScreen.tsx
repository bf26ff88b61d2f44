// Says why this link cannot be used and what to do instead, in the person's language.
import { useI18n } from '../../i18n/I18n.tsx';
import type { LinkProblem } from './linkProblem.ts';
import { ScreenHeading } from './ScreenHeading.tsx';

export function LinkProblemScreen({ problem }: { problem: LinkProblem }) {
	const { t } = useI18n();
	const { kind } = problem;
	return (
		<section className="applicant-panel" data-testid="link-problem" data-kind={kind}>
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
			{problem.detail ? (
				<p className="hint">
					{t('link.serverSaid')} <span lang="en">{problem.detail}</span>
				</p>
			) : null}
		</section>
	);
}
