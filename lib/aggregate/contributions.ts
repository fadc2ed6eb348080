/**
 * What one stored item contributes to the counters. Reports sum current contributions, so a record's
 * effect is contribution(new image) − contribution(old image): retries, duplicates and out-of-order
 * statuses change the counters only when they change a message's winning callback.
 */
import { telcoName } from '../esms/channels';
import { messageStatus, messageTotals } from '../esms/state';
import { vietnamDay } from '../time';
import { readEsmsItem } from '../esms/stored';
import { KIND } from '../table/names';
import type { CounterKey } from './counter-key';
import { zaloContributions } from './zalo-contributions';

export type Metrics = Record<string, number>;

export interface Contribution {
  key: CounterKey;
  metrics: Metrics;
}

const NONE = '-';

const esmsContributions = (item: Record<string, unknown>): Contribution[] => {
  const message = readEsmsItem(item);
  const current = messageStatus(message);
  if (!current) return [];
  const { requests, receivers, sent, success, failed, priceE4 } = messageTotals(message);
  return [{
    key: {
      scope: 'esms',
      day: vietnamDay(message.firstSeen),
      dims: {
        channel: String(message.typeId),
        telco: message.telcoId === undefined ? NONE : telcoName(message.telcoId),
        status: String(current.status),
        oa: message.oaId ?? NONE,
        template: message.templateId ?? NONE,
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
