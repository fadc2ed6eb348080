/** Zalo events counted per OA and day; filled in by the Zalo webhook work (one +1 per stored event). */
import type { Contribution } from './contributions';

export const zaloContributions = (_item: Record<string, unknown>): Contribution[] => [];
