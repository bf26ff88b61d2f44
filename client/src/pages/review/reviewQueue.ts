// The review queue as notifications change it: an entry that entered review takes its place by the
// time it entered (longest waiting first), one that left is taken out.
import type { ReviewQueueEntry } from '@vidverify/shared';

export function withEntry(
	items: readonly ReviewQueueEntry[],
	verificationId: string,
	entry: ReviewQueueEntry | null,
): ReviewQueueEntry[] {
	const others = items.filter((item) => item.verificationId !== verificationId);
	if (!entry) return others;
	return [...others, entry].sort((a, b) => Date.parse(a.since) - Date.parse(b.since));
}
