// Runs the media operations of one owner (a participant in a call, or one connection check) one after
// another. A check made at the start of an operation (one camera, one consumer per producer) then
// still holds when its awaits finish, so requests racing each other cannot all pass it. Operations
// waiting their turn are bounded: past that, a client is flooding and is refused at once.
import { AppError } from '../errors.ts';

export class SerialQueue {
	readonly #maxWaiting: number;
	#tail: Promise<unknown> = Promise.resolve();
	#waiting = 0;

	constructor(maxWaiting: number) {
		this.#maxWaiting = maxWaiting;
	}

	run<T>(operation: () => Promise<T> | T): Promise<T> {
		if (this.#waiting >= this.#maxWaiting) {
			return Promise.reject(AppError.rateLimited('too many media requests of yours at once; wait for their answers'));
		}
		this.#waiting += 1;
		const result = this.#tail.then(() => operation());
		// The next operation waits for this one whether it succeeds or fails.
		this.#tail = result.then(
			() => this.#settled(),
			() => this.#settled(),
		);
		return result;
	}

	#settled(): void {
		this.#waiting -= 1;
	}
}
