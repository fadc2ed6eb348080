/** The suppressions routes (lib/api/suppressions.ts) over the messages table. */
import { buildReadApi } from '../api/read-api';
import { clearSuppression, getSuppression, listSuppressions } from '../api/suppressions';
import { buildSuppressionStore } from '../store/suppressions';
import { withSecrets } from './lambda';
import { lazy } from './lazy';
import { readKeyOwner } from './registry';
import { config, doc } from './shared';

const keyed = buildReadApi(readKeyOwner);
const api: typeof keyed = (handle) => withSecrets(['api-keys', 'admin-api-keys'], keyed(handle));
const store = () => buildSuppressionStore(doc, config.messagesTable);

export const listHandler = lazy(() => api(listSuppressions(store())));
export const getHandler = lazy(() => api(getSuppression(store())));
export const clearHandler = lazy(() => api(clearSuppression(store(), Date.now)));
