import { inboundDrainHandler } from '../lib/wiring/drain';

/** The inbound buffer's queue → provider requests storage could not take in time, stored now. */
export const handler = inboundDrainHandler;
