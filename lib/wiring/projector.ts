import { toChange } from '../aws/stream-records';
import { logger, telemetry } from '../observability/telemetry';
import { buildProjector } from '../projector/projector';
import { buildDeadLetterStore } from '../store/dead-letters';
import { buildMessageEraser } from '../store/esms-erasure';
import { erasedPhone } from '../esms/erasure';
import { buildHeadProjection } from '../store/esms-heads';
import { buildPhoneIndexWriter } from '../store/esms-phone-index';
import { config, doc } from './shared';

const project = buildProjector({
  heads: buildHeadProjection(doc, config.messagesTable),
  phoneIndex: buildPhoneIndexWriter(doc, config.messagesTable, buildMessageEraser(doc, config.messagesTable, erasedPhone)),
  deadLetters: buildDeadLetterStore(doc, config.countersTable),
  telemetry,
  log: logger,
  now: Date.now,
  toChange,
});

export const projectorHandler: typeof project = async (event) => {
  try {
    return await project(event);
  } finally {
    telemetry.flush({ force: true });
  }
};
