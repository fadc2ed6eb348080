/** A message's outcome beside eSMS's processing status (lib/esms/outcome.ts), in the UI's language. */
import { html } from './html';
import { lang } from './i18n';
import { OUTCOME_NAMES } from './labels';

export interface OutcomeReason { code: number | null; vi: string; en: string }
export interface WithOutcome { outcome?: string | null; outcomeReason?: OutcomeReason | null }

export { OUTCOME_NAMES } from './labels';

export const outcomeName = (outcome: string | null | undefined): string => {
  if (!outcome) return '–';
  const names = OUTCOME_NAMES[outcome];
  return names ? names[lang === 'vi' ? 0 : 1] : outcome;
};

/** The outcome's name, and for a failure the reason (its code first when there is one). */
export const OutcomeText = ({ row }: { row: WithOutcome }) => {
  const reason = row.outcomeReason;
  return html`<span class=${`outcome outcome-${row.outcome ?? 'none'}`} data-outcome=${row.outcome ?? ''}>${outcomeName(row.outcome)}${reason
    ? html`: ${reason.code !== null && html`<code>${reason.code}</code> `}${lang === 'vi' ? reason.vi : reason.en}` : ''}</span>`;
};
