// Every UI dictionary of the app, merged. Each flow keeps its strings in its own file.
import { agentStrings } from './agent.ts';
import { applicantStrings } from './applicant.ts';
import { commonStrings } from './common.ts';

const parts = [commonStrings, agentStrings, applicantStrings] as const;

type KeysOf<T> = T extends { en: Record<infer K, string> } ? K : never;
export type UiKey = KeysOf<(typeof parts)[number]>;

export const UI_STRINGS = {
	en: Object.assign({}, ...parts.map((part) => part.en)) as Record<UiKey, string>,
	'zh-CN': Object.assign({}, ...parts.map((part) => part['zh-CN'])) as Record<UiKey, string>,
};
