import { describe, expect, it } from '@jest/globals';
import { announcementTexts, renderMatchTexts, textFor } from './notification-texts.js';
import type { MatchPushContext } from './push-context.js';

const goal: MatchPushContext = {
  kind: 'goal',
  home: { abbreviation: 'SEA', name: 'Seattle Kraken' },
  away: { abbreviation: 'STL', name: 'St. Louis Blues' },
  homeScore: 2,
  awayScore: 1,
  period: 2,
  overtime: false,
  shootout: false,
  team: { abbreviation: 'SEA', name: 'Seattle Kraken' },
  clockSeconds: 725,
  scorer: 'Jared McCann',
  assists: ['Jordan Eberle', 'Matty Beniers'],
  strength: 'pp',
  emptyNet: false,
  penaltyMinutes: null,
  infraction: null,
  videoTitle: null,
};

describe('push texts', () => {
  it('renders a goal in English and French: scorer, assists, time, strength and the score it made', () => {
    const texts = renderMatchTexts(goal);
    expect(texts.en).toEqual({ title: 'SEA GOAL! STL 1–2 SEA', body: 'Jared McCann (Jordan Eberle, Matty Beniers) · 12:05 2nd · power play' });
    expect(texts.fr).toEqual({ title: 'BUT SEA ! STL 1–2 SEA', body: 'Jared McCann (Jordan Eberle, Matty Beniers) · 12:05 2e période · en avantage numérique' });
  });

  it('names overtime and the winner of a final score', () => {
    const texts = renderMatchTexts({ ...goal, kind: 'final', homeScore: 3, awayScore: 4, period: 4, overtime: true });
    expect(texts.en).toEqual({ title: 'Final (OT): STL 4–3 SEA', body: 'St. Louis Blues win 4–3' });
    expect(texts.fr.title).toBe('Score final (Prol.) : STL 4–3 SEA');
  });

  it("picks the device's language, falling back to English", () => {
    const texts = renderMatchTexts({ ...goal, kind: 'period_start', period: 1, homeScore: 0, awayScore: 0 });
    expect(textFor(texts, 'fr-CA').body).toBe('Début : 1re période · STL 0–0 SEA');
    expect(textFor(texts, 'de-DE').body).toBe('1st period under way · STL 0–0 SEA');
    expect(textFor(texts, null)).toBe(texts.en);
  });

  it("uses an announcement's translations where given, its English text elsewhere", () => {
    const texts = announcementTexts({ title: 'Tonight', body: 'Watch live at 7', titleI18n: { fr: 'Ce soir' }, bodyI18n: {} });
    expect(textFor(texts, 'fr')).toEqual({ title: 'Ce soir', body: 'Watch live at 7' });
    expect(textFor(texts, 'sv')).toEqual({ title: 'Tonight', body: 'Watch live at 7' });
  });
});
