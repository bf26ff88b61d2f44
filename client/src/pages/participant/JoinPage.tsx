// The page behind every join link (/join#token): checks the link, connects with its token, and shows
// the applicant's or the interpreter's flow by the token's role. A reload reconnects with the same
// token (it stays in the fragment) and the server resumes the participant within the grace period.
import { useEffect } from 'react';
import { useI18n } from '../../i18n/useI18n.ts';
import { readClaims, type TokenClaims, tokenFromLocation } from '../../signalling/token.ts';
import { ApplicantFlow } from '../applicant/ApplicantFlow.tsx';
import { InterpreterFlow } from '../interpreter/InterpreterFlow.tsx';
import { JoinFrame } from './JoinFrame.tsx';
import { clientFor } from './joinClient.ts';
import { LinkProblemScreen } from './LinkProblemScreen.tsx';
import { checkLink } from './linkProblem.ts';
import { useVerificationSession } from './useVerificationSession.ts';

export function JoinPage() {
	// A new link pasted into this tab changes only the fragment: start over with it.
	useEffect(() => {
		const reload = () => window.location.reload();
		window.addEventListener('hashchange', reload);
		return () => window.removeEventListener('hashchange', reload);
	}, []);

	const token = tokenFromLocation();
	const claims = token ? readClaims(token) : undefined;
	const problem = checkLink(token, claims, new Date());
	if (problem || !token || !claims) {
		return (
			<JoinFrame>
				<LinkProblemScreen problem={problem ?? { kind: 'invalid' }} />
			</JoinFrame>
		);
	}
	return <JoinSession token={token} claims={claims} />;
}

function JoinSession({ token, claims }: { token: string; claims: TokenClaims }) {
	const { t, describeError } = useI18n();
	const session = useVerificationSession(clientFor(token));

	if (session.refusal) {
		return (
			<JoinFrame>
				<LinkProblemScreen problem={session.refusal} />
			</JoinFrame>
		);
	}
	const { snapshot } = session;
	if (!snapshot) {
		return (
			<JoinFrame connection={session.connection}>
				<section className="applicant-panel" aria-busy="true" data-testid="join-loading">
					<h1>{t('join.loading')}</h1>
					{session.loadError !== undefined ? (
						<>
							<p className="status" data-tone="error" role="alert">
								{t('error.generic', { reason: describeError(session.loadError) })}
							</p>
							<button type="button" onClick={() => void session.refresh()}>
								{t('error.retry')}
							</button>
						</>
					) : null}
				</section>
			</JoinFrame>
		);
	}
	const ready = { ...session, snapshot };
	return claims.role === 'interpreter' ? <InterpreterFlow session={ready} /> : <ApplicantFlow session={ready} />;
}
