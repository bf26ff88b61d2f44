// UI strings are defined in pairs: the Chinese dictionary must have exactly the English keys, so a
// missing translation is a type error, not a blank on screen.
export type Strings<Keys extends string> = { en: Record<Keys, string>; 'zh-CN': Record<Keys, string> };

export function defineStrings<const English extends Record<string, string>>(
	en: English,
	zhCN: { [K in keyof English]: string },
): Strings<keyof English & string> {
	return { en, 'zh-CN': zhCN };
}
