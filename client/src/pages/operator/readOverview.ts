// The operator page's one request: the overview, with the operator key as a bearer token, read into
// what the page can say about it. A refusal of the key and a server without an operator view end the
// polling (trying again cannot help); anything else is tried again at the next refresh.
import { OPERATOR_OVERVIEW_PATH, type OperatorOverview, operatorOverviewSchema } from '@vidverify/shared';

/** A server that does not answer within this is as good as unreachable for a live view. */
const READ_TIMEOUT_MS = 10_000;

export type OverviewProblem =
	/** 401: the key is wrong (or was changed on the server). */
	| { kind: 'refused' }
	/** 404: this server has no operator key, so no operator view. */
	| { kind: 'absent' }
	| { kind: 'rateLimited' }
	/** No answer at all: the server is down, or the network between. */
	| { kind: 'unreachable' }
	/** An answer that is an error of the server's own (or of a proxy in front). */
	| { kind: 'server'; status: number }
	/** An answer this page cannot read: the page and the server are of different versions. */
	| { kind: 'unexpected' };

export type OverviewReading = { ok: true; overview: OperatorOverview } | { ok: false; problem: OverviewProblem };

/** Whether the page should keep polling after this problem. */
export function worthRetrying(problem: OverviewProblem): boolean {
	return problem.kind !== 'refused' && problem.kind !== 'absent';
}

export async function readOverview(key: string): Promise<OverviewReading> {
	let response: Response;
	try {
		response = await fetch(OPERATOR_OVERVIEW_PATH, {
			headers: { authorization: `Bearer ${key}`, accept: 'application/json' },
			cache: 'no-store',
			signal: AbortSignal.timeout(READ_TIMEOUT_MS),
		});
	} catch {
		return { ok: false, problem: { kind: 'unreachable' } };
	}
	if (response.status === 401) return { ok: false, problem: { kind: 'refused' } };
	if (response.status === 404) return { ok: false, problem: { kind: 'absent' } };
	if (response.status === 429) return { ok: false, problem: { kind: 'rateLimited' } };
	if (!response.ok) return { ok: false, problem: { kind: 'server', status: response.status } };
	const body: unknown = await response.json().catch(() => undefined);
	const parsed = operatorOverviewSchema.safeParse(body);
	return parsed.success ? { ok: true, overview: parsed.data } : { ok: false, problem: { kind: 'unexpected' } };
}
