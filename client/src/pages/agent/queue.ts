// The live queue as the agent console shows it: waiting times that tick between server updates, why a
// verification is not this agent's to take, and a short sentence for screen readers when it changes.
import type { AgentQueueView, QueueEntry } from '@vidverify/shared';
import type { AgentProfile } from './agentToken.ts';

/** "0:42", "12:05", "1:02:03": compact enough for a table column, exact enough to spot a long wait. */
export function formatDuration(totalSeconds: number): string {
	const seconds = Math.max(0, Math.floor(totalSeconds));
	const hours = Math.floor(seconds / 3600);
	const minutes = Math.floor((seconds % 3600) / 60);
	const rest = String(seconds % 60).padStart(2, '0');
	return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${rest}` : `${minutes}:${rest}`;
}

/**
 * The entry's waiting time now: the server's count when the view arrived plus the time since. Counting
 * from the server's figure rather than from `waitingSince` keeps a skewed desktop clock out of it.
 */
export function waitingSecondsNow(entry: QueueEntry, receivedAtMs: number, nowMs: number): number {
	return entry.waitingSeconds + Math.max(0, Math.floor((nowMs - receivedAtMs) / 1000));
}

/** The languages' primary subtags, as the server's routing compares them ("zh-CN" → "zh"). */
function primaryLanguage(tag: string): string {
	return (tag.split('-')[0] ?? tag).toLowerCase();
}

// The server's routing rules, mirrored only to explain a refusal the server already made.
const DEFAULT_AGENT_LANGUAGES = ['en'];
const SIGN_LANGUAGE_SKILL = 'sign_language';

export type Ineligibility = 'language' | 'skill' | 'other';

/** Why the server marked `entry` as not this agent's to take; undefined for eligible entries. */
export function ineligibilityOf(entry: QueueEntry, profile: AgentProfile | undefined): Ineligibility | undefined {
	if (entry.eligible) return undefined;
	if (!profile) return 'other';
	const languages = (profile.languages.length > 0 ? profile.languages : DEFAULT_AGENT_LANGUAGES).map(primaryLanguage);
	if (!languages.includes(primaryLanguage(entry.locale))) return 'language';
	if (entry.interpreterNeeded && !profile.skills.includes(SIGN_LANGUAGE_SKILL)) return 'skill';
	return 'other';
}

export type QueueChange = { arrived: number; left: number; waiting: number; eligible: number };

/** What changed between two views, for an aria-live announcement; undefined when nothing did. */
export function queueChange(previous: AgentQueueView | undefined, next: AgentQueueView): QueueChange | undefined {
	const before = new Set(previous?.items.map((entry) => entry.verificationId) ?? []);
	const after = new Set(next.items.map((entry) => entry.verificationId));
	const arrived = [...after].filter((id) => !before.has(id)).length;
	const left = [...before].filter((id) => !after.has(id)).length;
	if (previous && arrived === 0 && left === 0) return undefined;
	return { arrived, left, waiting: next.items.length, eligible: next.items.filter((entry) => entry.eligible).length };
}
