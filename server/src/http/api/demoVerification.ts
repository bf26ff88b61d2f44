// The demo verification that `npm run demo`, the landing page's Try button and `npm start` in
// development all make: what a host would send for it, the demo agent it goes to, and the words that
// tell a person in a terminal what to open. One definition, so the three never drift apart.
import type {
	AgentTokenBody,
	CreateVerificationBody,
	Locale,
	Purpose,
	TryVariant,
	TryVerificationAnswer,
	TryVerificationBody,
} from '@vidverify/shared';
import { SIGN_LANGUAGE_SKILL } from '../../sessions/routing.ts';
import type { HostCalls } from './hostCalls.ts';

type Accessibility = { interpreter: boolean; textOnlyChallenge: boolean };

export const ACCESSIBILITY_OF_VARIANT: Record<TryVariant, Accessibility> = {
	standard: { interpreter: false, textOnlyChallenge: false },
	interpreter: { interpreter: true, textOnlyChallenge: false },
	typed_challenge: { interpreter: false, textOnlyChallenge: true },
};

/**
 * One agent for every demo: with the sign-language skill it may take the interpreter variant too, and
 * a person who tries twice keeps one agent console (a newer link replaces the older window's connection).
 */
export const DEMO_AGENT: AgentTokenBody = {
	agentId: 'demo-agent',
	displayName: 'Demo Agent',
	languages: ['en', 'zh'],
	skills: [SIGN_LANGUAGE_SKILL],
};

let demoUsers = 0;

export function demoVerificationBody(
	options: { purpose?: Purpose; locale?: Locale; accessibility?: Accessibility } = {},
): CreateVerificationBody {
	demoUsers += 1;
	return {
		// Unique per demo, as a host's user reference would be; nothing else reads it.
		externalUserRef: `demo-user-${Date.now()}-${demoUsers}`,
		purpose: options.purpose ?? 'c2c_video',
		locale: options.locale ?? 'en',
		accessibility: options.accessibility ?? ACCESSIBILITY_OF_VARIANT.standard,
	};
}

/** The try endpoint's work: a verification of the variant and a demo agent token, by the host API's calls. */
export async function createDemo(calls: HostCalls, request: TryVerificationBody): Promise<TryVerificationAnswer> {
	const verification = await calls.createVerification(
		demoVerificationBody({ locale: request.locale, accessibility: ACCESSIBILITY_OF_VARIANT[request.variant] }),
	);
	const agent = calls.createAgentToken(DEMO_AGENT);
	return {
		variant: request.variant,
		verificationId: verification.id,
		applicantUrl: verification.applicantUrl,
		agentUrl: agent.agentUrl,
		expiresAt: verification.expiresAt,
	};
}

/** What a terminal shows of a demo: which verification, then each link with where to open it. */
export function describeDemo(demo: {
	verificationId: string;
	purpose: Purpose;
	expiresAt: string;
	applicantUrl: string;
	agentUrl: string;
	interpreter: boolean;
}): string {
	const lines = [
		`Verification ${demo.verificationId} (${demo.purpose}, join before ${demo.expiresAt})`,
		'',
		'Applicant — open in one browser window:',
		`  ${demo.applicantUrl}`,
		'',
		'Agent — open in another browser (or a private window), set yourself available, accept:',
		`  ${demo.agentUrl}`,
	];
	if (demo.interpreter) {
		lines.push('', 'The applicant invites the interpreter from the call screen and hands over the link it shows.');
	}
	return `${lines.join('\n')}\n`;
}
