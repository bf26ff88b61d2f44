// Which agent may take which waiting verification, and the estimated wait an applicant is shown.
import type { VerificationRecord } from './VerificationRecord.ts';

/** The skill an agent needs for a call with an interpreter (a deaf or mute applicant). */
export const SIGN_LANGUAGE_SKILL = 'sign_language';

/** An agent whose token lists no language is taken to speak the default locale's language. */
const DEFAULT_AGENT_LANGUAGES = ['en'];

function primaryLanguage(tag: string): string {
	return (tag.split('-')[0] ?? tag).toLowerCase();
}

/** What routing reads of a verification: the queue's copies carry just this much (QueueCandidate). */
type Routed = Pick<VerificationRecord, 'locale' | 'accessibility' | 'interpreter'>;

export function needsInterpreterSkill(record: Routed): boolean {
	const interpreter = record.interpreter;
	return record.accessibility.interpreter || interpreter?.status === 'invited' || interpreter?.status === 'joined';
}

/** Why this agent may not take the verification, or undefined when it may. */
export function ineligibilityOf(agent: { languages: string[]; skills: string[] }, record: Routed): string | undefined {
	const languages = (agent.languages.length > 0 ? agent.languages : DEFAULT_AGENT_LANGUAGES).map(primaryLanguage);
	if (!languages.includes(primaryLanguage(record.locale))) return `the call is in ${record.locale}, which you do not list`;
	if (needsInterpreterSkill(record) && !agent.skills.includes(SIGN_LANGUAGE_SKILL)) {
		return `an interpreter-assisted call needs the ${SIGN_LANGUAGE_SKILL} skill`;
	}
	return undefined;
}

/**
 * A rolling average of the last waits (consent to accept). The estimate for queue position p is that
 * average times p, shared among the agents available now; before any wait is measured the configured
 * default stands in for the average.
 */
export class WaitEstimator {
	readonly #samples: number[] = [];
	readonly #capacity: number;
	readonly #defaultMs: number;

	constructor(capacity: number, defaultMs: number) {
		this.#capacity = Math.max(1, capacity);
		this.#defaultMs = defaultMs;
	}

	record(waitMs: number): void {
		this.#samples.push(Math.max(0, waitMs));
		if (this.#samples.length > this.#capacity) this.#samples.shift();
	}

	averageMs(): number {
		if (this.#samples.length === 0) return this.#defaultMs;
		return this.#samples.reduce((sum, sample) => sum + sample, 0) / this.#samples.length;
	}

	estimateSeconds(position: number, availableAgents: number): number {
		return Math.round((this.averageMs() * position) / Math.max(1, availableAgents) / 1000);
	}
}
