// The one pending snapshot fetch of a page. Several notices of one change arrive together, and a
// getState answer that a notification overtook asks for another fetch: each of them pushes the same
// timer back, so the page asks once, and unmounting clears that one timer.

/** A page's pending fetch, kept in a ref so every path (notices, stale answers, cleanup) shares it. */
export type RefetchTimer = { current: ReturnType<typeof setTimeout> | undefined };

const REFETCH_DELAY_MS = 150;

export function refetchLater(timer: RefetchTimer, fetch: () => void): void {
	clearTimeout(timer.current);
	timer.current = setTimeout(fetch, REFETCH_DELAY_MS);
}
