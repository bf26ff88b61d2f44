// Small formatting helpers the console's panels share.
import type { Locale } from '@vidverify/shared';
import { useEffect, useState } from 'react';

/** A wall-clock time such as 14:05:09, in the page's locale. */
export function formatClock(at: string | Date, locale: Locale): string {
	const date = typeof at === 'string' ? new Date(at) : at;
	return date.toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

export function formatDateTime(at: Date, locale: Locale): string {
	return at.toLocaleString(locale, { dateStyle: 'medium', timeStyle: 'short' });
}

/** The current time, updated every `intervalMs` while the component is mounted (waiting times, countdowns). */
export function useNow(intervalMs = 1000): number {
	const [now, setNow] = useState(() => Date.now());
	useEffect(() => {
		const timer = setInterval(() => setNow(Date.now()), intervalMs);
		return () => clearInterval(timer);
	}, [intervalMs]);
	return now;
}
