// The languages socketlings speaks. Kept apart from the schemas so that reading a language costs no zod import.
export const LANGS = ['en', 'zh-CN'] as const;
export type Lang = (typeof LANGS)[number];
