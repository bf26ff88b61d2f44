// React state over the tab's remembered progress (progress.ts), written through on every change.
import { useCallback, useState } from 'react';
import { type LocalProgress, loadProgress, saveProgress } from './progress.ts';

export function useProgress(participantId: string): [LocalProgress, (patch: Partial<LocalProgress>) => void] {
	const [progress, setProgress] = useState<LocalProgress>(() => loadProgress(participantId));
	const update = useCallback(
		(patch: Partial<LocalProgress>) => {
			setProgress((previous) => {
				const next = { ...previous, ...patch };
				saveProgress(participantId, next);
				return next;
			});
		},
		[participantId],
	);
	return [progress, update];
}
