/** The API's codes in the UI's language (the tables are console/src/labels.ts). */
import { lang } from './i18n';
import { CHANNEL_LABELS, FAMILY_LABELS, QUALITY_LABELS, REASON_LABELS, REPLAY_LABELS, STATUS_LABELS, TELCO_LABELS, TEMPLATE_STATUS_LABELS } from './labels';

const pick = (names: Record<string, readonly [string, string]>, code: string | null | undefined): string => {
  if (code === null || code === undefined || code === '') return '–';
  const found = names[code] ?? names[code.toUpperCase()];
  return found ? found[lang === 'vi' ? 0 : 1] : code;
};

export const statusLabel = (name: string | null | undefined): string => pick(STATUS_LABELS, name);
export const channelLabel = (name: string | null | undefined): string => pick(CHANNEL_LABELS, name);
export const telcoLabel = (name: string | null | undefined): string => pick(TELCO_LABELS, name);
export const familyLabel = (family: string | null | undefined): string => pick(FAMILY_LABELS, family);
export const templateStatusLabel = (status: string | null | undefined): string => pick(TEMPLATE_STATUS_LABELS, status);
export const qualityLabel = (quality: string | null | undefined): string => pick(QUALITY_LABELS, quality);
export const replayLabel = (outcome: string | null | undefined): string => pick(REPLAY_LABELS, outcome);
export const reasonLabel = (reason: string | null | undefined): string => (reason && REASON_LABELS[reason] ? pick(REASON_LABELS, reason) : reason ?? '–');
