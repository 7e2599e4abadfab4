import type { MatchPushContext } from '../push-context.js';
import { clock, scoreLine, type PushTemplates } from './template-parts.js';

const periodName = (context: MatchPushContext) => {
  const period = context.period ?? 1;
  if (period <= 3) return `${period === 1 ? '1re' : `${period}e`} période`;
  return period === 4 ? 'Prolongation' : `Prolongation ${period - 3}`;
};

export const fr: PushTemplates = {
  goal: (c) => ({
    title: `BUT ${c.team?.abbreviation ?? ''} ! ${scoreLine(c)}`.replace('  ', ' '),
    body: [
      `${c.scorer ?? 'But'}${c.assists.length ? ` (${c.assists.join(', ')})` : ''}`,
      `${clock(c)} ${periodName(c)}`,
      c.strength === 'pp' ? 'en avantage numérique' : c.strength === 'sh' ? 'en désavantage numérique' : null,
      c.emptyNet ? 'filet désert' : null,
    ]
      .filter(Boolean)
      .join(' · '),
  }),
  penalty: (c) => ({
    title: `Pénalité ${c.team?.abbreviation ?? ''} · ${scoreLine(c)}`,
    body: `${c.scorer ?? 'Banc'} : ${c.penaltyMinutes ?? 2} min${c.infraction ? ` (${c.infraction.replace(/-/g, ' ')})` : ''} · ${clock(c)} ${periodName(c)}`,
  }),
  period_start: (c) => ({ title: `${c.away.abbreviation} @ ${c.home.abbreviation}`, body: `Début : ${periodName(c)} · ${scoreLine(c)}` }),
  period_end: (c) => ({ title: `${c.away.abbreviation} @ ${c.home.abbreviation}`, body: `Fin : ${periodName(c)} · ${scoreLine(c)}` }),
  final: (c) => ({
    title: `Score final${c.shootout ? ' (TB)' : c.overtime ? ' (Prol.)' : ''} : ${scoreLine(c)}`,
    body: `Victoire ${Math.max(c.homeScore, c.awayScore)}–${Math.min(c.homeScore, c.awayScore)} de ${c.homeScore > c.awayScore ? c.home.name : c.away.name}`,
  }),
  video: (c) => ({ title: `Nouvelle vidéo · ${c.away.abbreviation} @ ${c.home.abbreviation}`, body: c.videoTitle ?? '' }),
};
