// Why a host platform asks for a verification; the purpose selects the checklist template.
import type { MessageKey } from './messages.en.ts';

export const PURPOSES = ['c2c_video', 'identity_reset', 'manual_review'] as const;
export type Purpose = (typeof PURPOSES)[number];

export const PURPOSE_LABEL_KEYS: Record<Purpose, MessageKey> = {
	c2c_video: 'purpose.c2c_video',
	identity_reset: 'purpose.identity_reset',
	manual_review: 'purpose.manual_review',
};
