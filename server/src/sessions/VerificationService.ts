// The verification domain: every verification's state machine, the waiting queue, agents' presence
// and routing, checklist, challenges, interpreters, decisions and outcomes. It knows no transport:
// the signalling and HTTP layers call it and forward its notifications.
import { EventEmitter } from 'node:events';
import type {
	CreateVerificationBody,
	ListVerificationsQuery,
	Outcome,
	VerificationRequestPayload,
	VerificationResponses,
	VerificationView,
} from '@vidverify/shared';
import { AppError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import type { Journal, JournalRecord } from '../store/Journal.ts';
import type { LiveState } from '../store/LiveState.ts';
import type { WebhookOutbox } from '../webhooks/WebhookOutbox.ts';
import type { Actor, DomainSettings, InterpreterInvitation, Notification, RequestName } from './types.ts';

export type VerificationServiceDeps = {
	journal: Journal;
	liveState: LiveState;
	outbox: Pick<WebhookOutbox, 'enqueue'>;
	logger: Logger;
	settings: DomainSettings;
	clock?: () => Date;
	randomInt?: (maxExclusive: number) => number;
	/** The outcome as a compact JWS, for the host to check offline. */
	signOutcome: (outcome: Outcome) => string;
	/** Keyed hash of a document; the number itself is never kept. */
	hashDocument: (type: string, number: string) => string;
	/** Mints the interpreter's one-time token for an invitation and returns the link that carries it. */
	interpreterLink: (invitation: InterpreterInvitation) => string;
};

export class VerificationService extends EventEmitter<{ notification: [Notification] }> {
	static async create(deps: VerificationServiceDeps): Promise<VerificationService> {
		return new VerificationService(deps);
	}

	readonly #deps: VerificationServiceDeps;

	private constructor(deps: VerificationServiceDeps) {
		super();
		this.#deps = deps;
	}

	async createVerification(
		input: CreateVerificationBody,
	): Promise<{ verification: VerificationView; applicantParticipantId: string }> {
		void input;
		void this.#deps;
		throw AppError.invalidState('not yet');
	}

	async getVerification(id: string): Promise<VerificationView> {
		throw AppError.notFound(`no verification ${id}`);
	}

	async listVerifications(query: ListVerificationsQuery): Promise<{ items: VerificationView[]; nextCursor: string | null }> {
		void query;
		throw AppError.invalidState('not yet');
	}

	async getEvents(id: string): Promise<JournalRecord[]> {
		throw AppError.notFound(`no verification ${id}`);
	}

	async handle<N extends RequestName>(
		name: N,
		actor: Actor,
		payload: VerificationRequestPayload<N>,
	): Promise<VerificationResponses[N]> {
		void actor;
		void payload;
		throw AppError.invalidState(`${name}: not yet`);
	}

	/** First join, or a resume within the grace period. Returns the verification the participant is in. */
	async participantConnected(actor: Actor): Promise<{ verificationId: string | undefined }> {
		return { verificationId: actor.verificationId };
	}

	/** Starts the participant's grace period. */
	async participantDisconnected(actor: Actor): Promise<void> {
		void actor;
	}

	async close(): Promise<void> {}
}
