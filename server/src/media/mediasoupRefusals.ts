// mediasoup's refusals of what a client asked for, answered as the client's errors. Inside an
// operation that carries a client's request (connect, produce, consume, resume, key frame, ICE
// restart), mediasoup throws for two reasons only: parameters it cannot use (TypeError, or
// UnsupportedError for a codec the router lacks), or the state of what the client named (a second
// connect, an ssrc or MID already in use, a producer that is gone, a consumer or transport that closed
// meanwhile). Neither is a fault of the server: they answer INVALID_PAYLOAD or INVALID_STATE and are
// not logged as errors. Anything else is rethrown as it is, a real fault.
import { AppError } from '../errors.ts';

/** The worker refusing a request names the request it refused, e.g. "[method:webRtcTransport.connect]". */
const WORKER_REFUSAL = /\[method:[\w.]+\]$/;
/** mediasoup's own check before it asks the worker to consume. */
const MISSING_PRODUCER = /^Producer with id "[^"]*" not found$/;

export async function refusingClientMistakes<T>(operation: () => Promise<T>): Promise<T> {
	try {
		return await operation();
	} catch (error) {
		throw asClientMistake(error) ?? error;
	}
}

function asClientMistake(error: unknown): AppError | undefined {
	if (!(error instanceof Error)) return undefined;
	if (error instanceof TypeError || error.name === 'UnsupportedError') return AppError.invalidPayload(error.message);
	if (error.name === 'InvalidStateError' || WORKER_REFUSAL.test(error.message) || MISSING_PRODUCER.test(error.message)) {
		return AppError.invalidState(error.message);
	}
	return undefined;
}
