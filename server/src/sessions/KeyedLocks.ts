// In-process mutual exclusion by key: tasks for one key run one after another, in the order they
// asked; tasks for different keys run at once. Across processes, compare-and-set does the same job.
export class KeyedLocks {
	readonly #tails = new Map<string, Promise<void>>();

	async run<T>(key: string, task: () => Promise<T>): Promise<T> {
		const previous = this.#tails.get(key) ?? Promise.resolve();
		let release = () => {};
		const current = new Promise<void>((resolve) => {
			release = resolve;
		});
		const tail = previous.then(() => current);
		this.#tails.set(key, tail);
		await previous;
		try {
			return await task();
		} finally {
			release();
			if (this.#tails.get(key) === tail) this.#tails.delete(key);
		}
	}
}
