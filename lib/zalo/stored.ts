// Transitional: the Zalo keys and stored-item schemas live in lib/table/zalo.ts. Kept only for
// lib/aggregate/zalo-contributions.ts until it imports `readZaloItem` from there; then delete this file.
export { readZaloItem, type StoredZaloEvent } from '../table/zalo';
