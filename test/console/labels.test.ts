/** The console names every code the server can answer, in both languages (console/src/labels.ts). */
import { describe, expect, it } from 'vitest';
import {
  CHANNEL_CODES, CHANNEL_LABELS, FAMILY_LABELS, OUTCOME_NAMES, STATUS_CODES, STATUS_LABELS, TELCO_LABELS,
} from '../../console/src/labels';
import { SEND_STATUS_NAME, TELCO_NAME, TYPE_ID_INFO } from '../../lib/esms/channels';
import { OUTCOMES } from '../../lib/esms/outcome';
import { ZALO_FAMILIES } from '../../lib/zalo/schema';

const bothLanguages = (names: Record<string, readonly [string, string]>) =>
  Object.values(names).every(([vi, en]) => vi.length > 0 && en.length > 0);

describe('console labels', () => {
  it('name every eSMS status (and expired), every channel and every telco the server answers', () => {
    expect(Object.keys(STATUS_LABELS).sort()).toEqual([...Object.values(SEND_STATUS_NAME), 'expired'].sort());
    expect(STATUS_CODES).toEqual({ ...Object.fromEntries(Object.entries(SEND_STATUS_NAME)), expired: 'expired' });
    expect(Object.keys(CHANNEL_LABELS).sort()).toEqual(Object.values(TYPE_ID_INFO).map((info) => info.name).sort());
    expect(CHANNEL_CODES).toEqual(Object.fromEntries(Object.entries(TYPE_ID_INFO).map(([id, info]) => [id, info.name])));
    expect(Object.keys(TELCO_LABELS).sort()).toEqual([...Object.values(TELCO_NAME), 'unknown'].sort());
  });

  it('name every outcome and every Zalo event family, in Vietnamese and English', () => {
    expect(Object.keys(OUTCOME_NAMES).sort()).toEqual([...OUTCOMES].sort());
    expect(Object.keys(FAMILY_LABELS).sort()).toEqual([...ZALO_FAMILIES].sort());
    for (const names of [STATUS_LABELS, CHANNEL_LABELS, TELCO_LABELS, FAMILY_LABELS]) expect(bothLanguages(names)).toBe(true);
    expect(STATUS_LABELS.sent).toEqual(['Đã gửi', 'Sent']);
  });
});
