import type { PushTexts } from '@app/db';
import { en } from './locales/en.js';
import { fr } from './locales/fr.js';
import type { PushTemplates } from './locales/template-parts.js';
import type { LocalizedText, MatchPushContext } from './push-context.js';

/** Every locale with templates; English is the fallback. */
const LOCALES: Record<string, PushTemplates> = { en, fr };
export const FALLBACK_LOCALE = 'en';

/** A match notification in every locale, rendered once per notification (not per device). */
export function renderMatchTexts(context: MatchPushContext): PushTexts {
  return Object.fromEntries(Object.entries(LOCALES).map(([locale, templates]) => [locale, templates[context.kind](context)]));
}

/** An announcement's texts: the editor's English text, overridden per locale where given. */
export function announcementTexts(announcement: { title: string; body: string; titleI18n: Record<string, string>; bodyI18n: Record<string, string> }): PushTexts {
  const locales = new Set([FALLBACK_LOCALE, ...Object.keys(announcement.titleI18n), ...Object.keys(announcement.bodyI18n)]);
  return Object.fromEntries(
    [...locales].map((locale) => [locale, { title: announcement.titleI18n[locale] ?? announcement.title, body: announcement.bodyI18n[locale] ?? announcement.body }]),
  );
}

/** 'fr-CA' → the French text; an unknown or missing locale → English. */
export function textFor(texts: PushTexts, deviceLocale: string | null): LocalizedText {
  const language = deviceLocale?.toLowerCase().split(/[-_]/)[0];
  return (language && texts[language]) || texts[FALLBACK_LOCALE];
}
