import type { LocalizedText, MatchPushContext } from '../push-context.js';
import { clock, scoreLine, type PushTemplates } from './template-parts.js';

const periodName = (context: MatchPushContext) => {
  const period = context.period ?? 1;
  if (period <= 3) return ['1st', '2nd', '3rd'][period - 1] + ' period';
  return period === 4 ? 'Overtime' : `Overtime ${period - 3}`;
};

export const en: PushTemplates = {
  goal: (c): LocalizedText => ({
    title: `${c.team?.abbreviation ?? ''} GOAL! ${scoreLine(c)}`.trim(),
    body: [
      `${c.scorer ?? 'Goal'}${c.assists.length ? ` (${c.assists.join(', ')})` : ''}`,
      `${clock(c)} ${periodName(c).replace(' period', '')}`,
      c.strength === 'pp' ? 'power play' : c.strength === 'sh' ? 'shorthanded' : null,
      c.emptyNet ? 'empty net' : null,
    ]
      .filter(Boolean)
      .join(' · '),
  }),
  penalty: (c) => ({
    title: `Penalty ${c.team?.abbreviation ?? ''} · ${scoreLine(c)}`,
    body: `${c.scorer ?? 'Bench'}: ${c.penaltyMinutes ?? 2} min${c.infraction ? ` for ${c.infraction.replace(/-/g, ' ')}` : ''} · ${clock(c)} ${periodName(c).replace(' period', '')}`,
  }),
  period_start: (c) => ({ title: `${c.away.abbreviation} @ ${c.home.abbreviation}`, body: `${periodName(c)} under way · ${scoreLine(c)}` }),
  period_end: (c) => ({ title: `${c.away.abbreviation} @ ${c.home.abbreviation}`, body: `End of the ${periodName(c).toLowerCase()} · ${scoreLine(c)}` }),
  final: (c) => ({
    title: `Final${c.shootout ? ' (SO)' : c.overtime ? ' (OT)' : ''}: ${scoreLine(c)}`,
    body: `${c.homeScore > c.awayScore ? c.home.name : c.away.name} win ${Math.max(c.homeScore, c.awayScore)}–${Math.min(c.homeScore, c.awayScore)}`,
  }),
  video: (c) => ({ title: `New video · ${c.away.abbreviation} @ ${c.home.abbreviation}`, body: c.videoTitle ?? '' }),
};
