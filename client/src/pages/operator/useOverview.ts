// Keeps the overview fresh while the page has a key: one reading at once, then one every
// REFRESH_INTERVAL_MS after the previous answered (never two at a time, however slow the server).
// refresh() reads at once and starts the interval again. A refused key or a server without an
// operator view stops it: trying again cannot help.
import { useCallback, useEffect, useState } from 'react';
import { afterReading, NOTHING_READ, type OverviewState } from './overviewState.ts';
import { readOverview, worthRetrying } from './readOverview.ts';

export const REFRESH_INTERVAL_MS = 3000;

export function useOverview(key: string | undefined): OverviewState & { refresh: () => void } {
	// Each state belongs to the key that read it: what one key read (a refusal, say) is never shown
	// under the next one.
	const [read, setRead] = useState<{ key: string | undefined; state: OverviewState }>({ key: undefined, state: NOTHING_READ });
	const [round, setRound] = useState(0);

	// biome-ignore lint/correctness/useExhaustiveDependencies: round changes only to read again at once (refresh)
	useEffect(() => {
		if (key === undefined) return;
		let stopped = false;
		let timer: ReturnType<typeof setTimeout> | undefined;
		const readOnce = async () => {
			const reading = await readOverview(key);
			if (stopped) return;
			setRead((current) => ({
				key,
				state: afterReading(current.key === key ? current.state : NOTHING_READ, reading, new Date()),
			}));
			if (reading.ok || worthRetrying(reading.problem)) timer = setTimeout(() => void readOnce(), REFRESH_INTERVAL_MS);
		};
		void readOnce();
		return () => {
			stopped = true;
			clearTimeout(timer);
		};
	}, [key, round]);

	const refresh = useCallback(() => setRound((value) => value + 1), []);
	return { ...(read.key === key ? read.state : NOTHING_READ), refresh };
}
