/**
 * What one stored item contributes to the counters. Reports sum current contributions, so a record's
 * effect is contribution(new image) − contribution(old image): retries, duplicates and out-of-order
 * statuses change the counters only when they change a message's winning callback. Only an eSMS head
 * counts (one per SMSID, whatever its recipients); overflow callbacks are history. Its `outcome` is a
 * dimension like its status (the one the `outcome=` search filter computes from the head), so a callback that
 * changes a message's outcome moves its counts from one outcome's counter to the other's.
 */
import { telcoName } from '../esms/channels';
import { currentState, messageTotals } from '../esms/state';
import { headOutcome } from '../esms/search';
import { readHead } from '../table/esms';
import { KIND } from '../table/names';
import { vietnamDay } from '../time';
import type { Contribution } from '../table/counters';
import { zaloContributions } from './zalo-contributions';

const NONE = '-';

const esmsContributions = (item: Record<string, unknown>): Contribution[] => {
  const head = readHead(item);
  const state = currentState(head);
  if (!state) return [];
  const { requests, receivers, sent, success, failed, priceE4 } = messageTotals(head);
  const telco = state.winner.entry.tc ?? head.telcoId;
  return [{
    key: {
      tenant: head.tenant,
      scope: 'esms',
      day: vietnamDay(head.firstSeen),
      dims: {
        channel: String(state.winner.entry.t),
        telco: telco === undefined ? NONE : telcoName(telco),
        status: String(state.status),
        outcome: headOutcome(head) ?? 'unknown',
        oa: head.oaId ?? NONE,
        template: head.templateId ?? NONE,
      },
    },
    metrics: { requests, receivers, sent, success, failed, priceE4 },
  }];
};

export const contributionsOf = (item: Record<string, unknown> | undefined): Contribution[] => {
  if (!item) return [];
  switch (item.kind) {
    case KIND.esms: return esmsContributions(item);
    case KIND.zalo: return zaloContributions(item);
    default: return [];
  }
};
