// The operator view's one endpoint: what the service is doing now (live calls with their quality, the
// agents online, the queue, the media workers), for the person running it. It takes the operator key
// as a bearer token; a server without OPERATOR_KEY has no such endpoint and answers 404. Only staff
// and technical data cross it: ids, roles, agents' display names, figures; never an applicant's
// reference or anything the applicant declared.
import { z } from 'zod';
import { callQualitySummarySchema } from './call.ts';
import { id } from './media.ts';
import { purposeSchema, roleSchema } from './verification.ts';

export const OPERATOR_OVERVIEW_PATH = '/api/operator/overview';

/** available: free to take a call; busy: in one; away: online but not taking calls. */
export const OPERATOR_AGENT_STATES = ['available', 'busy', 'away'] as const;
export type OperatorAgentState = (typeof OPERATOR_AGENT_STATES)[number];

const count = z.number().int().nonnegative();
const instant = z.iso.datetime({ offset: true });

export const operatorCallSchema = z.strictObject({
	verificationId: id,
	participants: z.array(z.strictObject({ participantId: id, role: roleSchema })),
	/** Averages and worst values over the call so far, per participant that has been measured. */
	quality: callQualitySummarySchema,
});

export const operatorAgentSchema = z.strictObject({
	agentId: id,
	displayName: z.string(),
	state: z.enum(OPERATOR_AGENT_STATES),
	/** The call the agent is in, when busy. */
	verificationId: id.nullable(),
	/** Open connections (a console in two windows counts twice). */
	connections: count,
});

export const operatorQueueItemSchema = z.strictObject({
	verificationId: id,
	purpose: purposeSchema,
	/** The language the applicant's page is in (a locale code). */
	locale: z.string(),
	waitingSince: instant,
	waitingSeconds: z.number().nonnegative(),
});

export const operatorWorkerSchema = z.strictObject({
	pid: count,
	cpu: z.strictObject({ userSeconds: z.number().nonnegative(), systemSeconds: z.number().nonnegative() }),
	/** residentBytes is null where the system does not tell it (no /proc). */
	memory: z.strictObject({ residentBytes: count.nullable(), maxResidentBytes: count }),
	media: z.strictObject({
		routers: count,
		transports: count,
		producers: z.strictObject({ audio: count, video: count }),
		consumers: z.strictObject({ audio: count, video: count }),
	}),
});

export const operatorOverviewSchema = z.strictObject({
	/** When the server took this reading. */
	at: instant,
	/** The calls whose media the answering process serves. */
	calls: z.array(operatorCallSchema),
	/** Agents with an open connection, on any process of the deployment. */
	agents: z.array(operatorAgentSchema),
	/** The deployment's waiting verifications, longest waiting first. */
	queue: z.strictObject({ length: count, items: z.array(operatorQueueItemSchema) }),
	/** The answering process's media workers. */
	workers: z.array(operatorWorkerSchema),
});
export type OperatorOverview = z.infer<typeof operatorOverviewSchema>;
export type OperatorCall = z.infer<typeof operatorCallSchema>;
export type OperatorAgent = z.infer<typeof operatorAgentSchema>;
export type OperatorQueueItem = z.infer<typeof operatorQueueItemSchema>;
export type OperatorWorker = z.infer<typeof operatorWorkerSchema>;
