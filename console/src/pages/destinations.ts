/**
 * Event destinations (docs/destinations.md): the tenant's endpoints, creating one (its secret shown once,
 * with a copy button), and per destination its attempts (paged), a test event, a replay of a Vietnam-time
 * window, enable/disable, a new secret (shown once too) and delete after a confirmation.
 */
import { useEffect, useState } from 'preact/hooks';
import { ApiError, call, type Session } from '../api';
import { EVENT_TYPES } from '../event-types';
import { fmtTime } from '../format';
import { html } from '../html';
import { t, tr } from '../i18n';
import { go, href, type Route } from '../router';

interface Destination { id: string; url: string; events: string[] | null; description?: string; enabled: boolean; disabledReason?: string; previousSecretUntil?: string; createdAt: string }
interface Attempt { eventId: string; type: string; at: string; attempt: number; ok: boolean; status?: number; error?: string; durationMs: number; failed?: boolean }

const ATTEMPTS_PAGE = '20';

/** An API refusal in the page's language; the server's own words follow for the detail. */
const failure = (error: unknown): string => {
  const status = error instanceof ApiError ? error.status : 0;
  const head = status === 400 ? tr('Dữ liệu không hợp lệ', 'Invalid input')
    : status === 404 ? tr('Không tìm thấy điểm nhận này', 'No such destination')
      : status === 409 ? tr('Không thực hiện được lúc này', 'Not possible now')
        : tr('Lỗi', 'Error');
  return `${head}: ${(error as Error).message}`;
};

/** Vietnam time as a datetime-local value (`2026-12-07T04:10`), `deltaMs` from now. */
const vnLocal = (deltaMs = 0): string => new Date(Date.now() + deltaMs + 7 * 3_600_000).toISOString().slice(0, 16);
/** A datetime-local value read as Vietnam time. */
const vnIso = (local: string): string => `${local.length === 16 ? `${local}:00` : local}+07:00`;

const eventsText = (events: string[] | null): string => (events === null ? tr('Tất cả sự kiện', 'All events') : events.join(', '));

const stateText = (d: Destination): string => (d.enabled ? tr('Đang bật', 'Enabled')
  : d.disabledReason === 'patch' ? tr('Đã tắt (thủ công)', 'Disabled (by hand)') : tr('Đã tắt (tự động, lỗi liên tục)', 'Disabled (automatically, failing)'));

/** A secret shown once: copy it now, it is never shown again. */
const SecretBox = ({ secret, note, onDone }: { secret: string; note?: string; onDone: () => void }) => {
  const [copied, setCopied] = useState<boolean>();
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(secret);
      setCopied(true);
    } catch {
      setCopied(false);
    }
  };
  return html`<div class="secret" role="status">
    <p class="warn"><strong>${tr('Khóa bí mật chỉ hiển thị một lần.', 'The secret is shown only once.')}</strong>
      ${' '}${tr('Hãy chép và lưu nó vào hệ thống nhận ngay bây giờ: sau khi đóng, không ai xem lại được (kể cả quản trị).', 'Copy it into your receiving system now: once closed, nobody can see it again (not even an admin).')}</p>
    ${note && html`<p class="muted">${note}</p>`}
    <code class="secret-value">${secret}</code>
    <div class="actions">
      <button type="button" class="copy" onClick=${() => void copy()}>${tr('Chép khóa', 'Copy secret')}</button>
      <button type="button" class="secret-done" onClick=${onDone}>${tr('Tôi đã lưu khóa, đóng lại', 'I saved it, close')}</button>
      ${copied === true && html`<span class="ok copied">${tr('Đã chép', 'Copied')}</span>`}
      ${copied === false && html`<span class="bad">${tr('Trình duyệt không cho chép: hãy chọn khóa và chép tay.', 'The browser refused: select the secret and copy it by hand.')}</span>`}
    </div>
  </div>`;
};

const CreateForm = ({ session, onCreated }: { session: Session; onCreated: (secret: string) => void }) => {
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const field = (name: string) => (form.elements.namedItem(name) as HTMLInputElement).value.trim();
    const events = [...form.querySelectorAll<HTMLInputElement>('input[name="event"]:checked')].map((box) => box.value);
    setBusy(true);
    setError(undefined);
    try {
      const answer = await call<{ secret: string }>(session, 'api/destinations', {}, {
        url: field('url'), ...(events.length > 0 && { events }), ...(field('description') && { description: field('description') }),
      });
      form.reset();
      onCreated(answer.secret);
    } catch (err) {
      setError(failure(err));
    } finally {
      setBusy(false);
    }
  };
  return html`<form class="create-destination" onSubmit=${submit}>
    <h2>${tr('Thêm điểm nhận', 'Add a destination')}</h2>
    <label>URL<input name="url" type="url" required placeholder="https://example.vn/webhooks" /></label>
    <label>${tr('Mô tả', 'Description')}<input name="description" maxlength="200" /></label>
    <fieldset class="event-types"><legend>${tr('Sự kiện (không chọn: mọi sự kiện)', 'Events (none chosen: every event)')}</legend>
      ${EVENT_TYPES.map((e) => html`<label class="check"><input type="checkbox" name="event" value=${e.type} /><span><code>${e.type}</code> <span class="muted">${tr(e.vi, e.en)}</span></span></label>`)}
    </fieldset>
    ${error && html`<p class="error" role="alert">${error}</p>`}
    <button type="submit" disabled=${busy}>${tr('Tạo điểm nhận', 'Create destination')}</button>
  </form>`;
};

const Attempts = ({ session, id, reload }: { session: Session; id: string; reload: number }) => {
  const [items, setItems] = useState<Attempt[]>([]);
  const [next, setNext] = useState<string>();
  const [error, setError] = useState<string>();
  const [loading, setLoading] = useState(true);
  const load = async (cursor?: string) => {
    setLoading(true);
    setError(undefined);
    try {
      const page = await call<{ attempts: Attempt[]; next?: string }>(session, `api/destinations/${encodeURIComponent(id)}/attempts`, { limit: ATTEMPTS_PAGE, next: cursor });
      setItems((before) => (cursor ? [...before, ...page.attempts] : page.attempts));
      setNext(page.next);
    } catch (err) {
      setError(failure(err));
    } finally {
      setLoading(false);
    }
  };
  useEffect(() => void load(), [id, reload]);
  return html`<div class="attempts">
    ${error && html`<p class="error" role="alert">${error}</p>`}
    ${loading && items.length === 0 && html`<p>${t('loading')}</p>`}
    ${!loading && !error && items.length === 0 && html`<p class="no-attempts">${tr('Chưa có lượt gửi nào.', 'No delivery attempt yet.')}</p>`}
    ${items.length > 0 && html`<div class="scroll"><table class="attempts"><thead><tr>
        <th>${tr('Thời điểm', 'Time')}</th><th>${tr('Loại sự kiện', 'Event type')}</th><th>${tr('Mã sự kiện', 'Event id')}</th><th>${tr('Lần', 'Attempt')}</th><th>${t('result')}</th><th>${tr('Thời gian (ms)', 'Duration (ms)')}</th></tr></thead>
      <tbody>${items.map((a) => html`<tr data-event=${a.eventId}>
        <td>${fmtTime(a.at)}</td><td><code>${a.type}</code></td><td><code>${a.eventId}</code></td><td class="num">${a.attempt}</td>
        <td class=${a.ok ? 'ok' : 'bad'}>${a.status !== undefined ? `HTTP ${a.status}` : ''}${a.error ? ` ${a.error}` : ''}${a.failed ? ` · ${tr('hết lượt thử', 'gave up')}` : ''}</td>
        <td class="num">${a.durationMs}</td></tr>`)}</tbody></table></div>`}
    ${next && html`<button type="button" class="more-attempts" disabled=${loading} onClick=${() => void load(next)}>${t('more')}</button>`}
  </div>`;
};

const Detail = ({ session, destination, onChanged }: { session: Session; destination: Destination; onChanged: () => void }) => {
  const path = `api/destinations/${encodeURIComponent(destination.id)}`;
  const [notice, setNotice] = useState<string>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [secret, setSecret] = useState<{ value: string; until: string }>();
  const [confirming, setConfirming] = useState(false);
  const [reload, setReload] = useState(0);
  const [replayFrom, setReplayFrom] = useState(vnLocal(-3_600_000));
  const [replayTo, setReplayTo] = useState(vnLocal());
  const [replayNext, setReplayNext] = useState<string>();
  const act = async (work: () => Promise<string | undefined>) => {
    setBusy(true);
    setError(undefined);
    setNotice(undefined);
    try {
      setNotice(await work());
    } catch (err) {
      setError(failure(err));
    } finally {
      setBusy(false);
    }
  };
  const sendTest = () => act(async () => {
    const answer = await call<{ eventId: string }>(session, `${path}/test`, {}, undefined, 'POST');
    setReload((n) => n + 1);
    return tr(`Đã xếp hàng sự kiện thử ${answer.eventId}.`, `Test event ${answer.eventId} queued.`);
  });
  const toggle = () => act(async () => {
    await call(session, path, {}, { enabled: !destination.enabled }, 'PATCH');
    onChanged();
    return destination.enabled ? tr('Đã tắt điểm nhận.', 'Destination disabled.') : tr('Đã bật điểm nhận.', 'Destination enabled.');
  });
  const rotate = () => act(async () => {
    const answer = await call<{ secret: string; previousSecretUntil: string }>(session, `${path}/rotate-secret`, {}, undefined, 'POST');
    setSecret({ value: answer.secret, until: answer.previousSecretUntil });
    onChanged();
    return undefined;
  });
  const remove = () => act(async () => {
    await call(session, path, {}, undefined, 'DELETE');
    go('destinations');
    onChanged();
    return undefined;
  });
  const replay = (from: string) => act(async () => {
    const answer = await call<{ queued: number; next?: string }>(session, `${path}/replay`, {}, { from, to: vnIso(replayTo) });
    setReplayNext(answer.next);
    setReload((n) => n + 1);
    return tr(`Đã xếp hàng ${answer.queued} sự kiện để gửi lại.`, `${answer.queued} event(s) queued again.`)
      + (answer.next ? tr(` Còn sự kiện từ ${fmtTime(answer.next)}: bấm "Tiếp tục".`, ` More from ${fmtTime(answer.next)}: press "Continue".`) : '');
  });
  return html`<section class="destination" data-id=${destination.id}>
    <h2>${destination.url}</h2>
    <dl class="facts">
      <dt>${tr('Mô tả', 'Description')}</dt><dd>${destination.description ?? '–'}</dd>
      <dt>${tr('Sự kiện', 'Events')}</dt><dd>${eventsText(destination.events)}</dd>
      <dt>${t('status')}</dt><dd class=${destination.enabled ? 'ok state' : 'bad state'}>${stateText(destination)}</dd>
      <dt>${tr('Tạo lúc', 'Created')}</dt><dd>${fmtTime(destination.createdAt)}</dd>
      ${destination.previousSecretUntil && html`<dt>${tr('Khóa cũ còn ký đến', 'Old secret signs until')}</dt><dd>${fmtTime(destination.previousSecretUntil)}</dd>`}
    </dl>
    ${secret && html`<${SecretBox} secret=${secret.value} note=${tr(`Khóa cũ vẫn ký song song đến ${fmtTime(secret.until)}.`, `The old secret keeps signing beside it until ${fmtTime(secret.until)}.`)} onDone=${() => setSecret(undefined)} />`}
    <div class="actions">
      <button type="button" class="send-test" disabled=${busy || !destination.enabled} onClick=${() => void sendTest()}>${tr('Gửi sự kiện thử', 'Send a test event')}</button>
      <button type="button" class="toggle" disabled=${busy} onClick=${() => void toggle()}>${destination.enabled ? tr('Tắt', 'Disable') : tr('Bật', 'Enable')}</button>
      <button type="button" class="rotate" disabled=${busy} onClick=${() => void rotate()}>${tr('Đổi khóa bí mật', 'Rotate secret')}</button>
      <button type="button" class="delete danger" disabled=${busy} onClick=${() => setConfirming(true)}>${tr('Xóa', 'Delete')}</button>
    </div>
    ${confirming && html`<div class="confirm" role="alertdialog" aria-label=${tr('Xác nhận xóa', 'Confirm delete')}>
      <p>${tr('Xóa điểm nhận này? Nó sẽ không nhận thêm sự kiện nào và khóa bí mật của nó mất hiệu lực.', 'Delete this destination? It gets no more events and its secret stops working.')}</p>
      <button type="button" class="confirm-delete danger" disabled=${busy} onClick=${() => void remove()}>${tr('Xóa hẳn', 'Delete for good')}</button>
      <button type="button" class="cancel-delete" onClick=${() => setConfirming(false)}>${tr('Hủy', 'Cancel')}</button>
    </div>`}
    ${notice && html`<p class="ok notice" role="status">${notice}</p>`}
    ${error && html`<p class="error" role="alert">${error}</p>`}
    <h2>${tr('Gửi lại một khoảng thời gian', 'Replay a window')}</h2>
    <form class="filters replay" onSubmit=${(e: Event) => { e.preventDefault(); void replay(vnIso(replayFrom)); }}>
      <label>${tr('Từ (giờ Việt Nam, +07:00)', 'From (Vietnam time, +07:00)')}<input type="datetime-local" name="from" required value=${replayFrom} onInput=${(e: Event) => setReplayFrom((e.target as HTMLInputElement).value)} /></label>
      <label>${tr('Đến (giờ Việt Nam, +07:00)', 'To (Vietnam time, +07:00)')}<input type="datetime-local" name="to" required value=${replayTo} onInput=${(e: Event) => setReplayTo((e.target as HTMLInputElement).value)} /></label>
      <button type="submit" disabled=${busy || !destination.enabled}>${tr('Gửi lại', 'Replay')}</button>
      <p class="muted window">${fmtTime(vnIso(replayFrom))} → ${fmtTime(vnIso(replayTo))}</p>
      ${replayNext && html`<button type="button" class="replay-next" disabled=${busy} onClick=${() => void replay(replayNext)}>${tr('Tiếp tục', 'Continue')}</button>`}
    </form>
    <h2>${tr('Lượt gửi', 'Attempts')} <button type="button" class="refresh-attempts" onClick=${() => setReload((n) => n + 1)}>${t('refresh')}</button></h2>
    <${Attempts} session=${session} id=${destination.id} reload=${reload} />
  </section>`;
};

export const DestinationsPage = ({ session, route }: { session: Session; route: Route }) => {
  const [reload, setReload] = useState(0);
  const [secret, setSecret] = useState<string>();
  // The last list stays shown while it reloads, so an open destination (and a new secret in it) stays mounted.
  const [data, setData] = useState<{ destinations: Destination[] }>();
  const [error, setError] = useState<string>();
  const [loading, setLoading] = useState(true);
  useEffect(() => {
    let live = true;
    setLoading(true);
    call<{ destinations: Destination[] }>(session, 'api/destinations').then(
      (answer) => { if (live) { setData(answer); setError(undefined); setLoading(false); } },
      (err: unknown) => { if (live) { setError(failure(err)); setLoading(false); } },
    );
    return () => {
      live = false;
    };
  }, [reload]);
  const items = data?.destinations ?? [];
  const selected = route.arg === undefined ? undefined : items.find((d) => d.id === route.arg);
  return html`<section>
    <h1>${t('destinations')}</h1>
    <p class="muted">${tr('Hệ thống của bạn nhận mọi thay đổi trạng thái, có chữ ký theo Standard Webhooks, được gửi lại khi lỗi.', 'Your systems receive every state change, signed per Standard Webhooks, retried on failure.')}</p>
    ${secret && html`<${SecretBox} secret=${secret} onDone=${() => setSecret(undefined)} />`}
    ${error && html`<p class="error" role="alert">${error}</p>`}
    ${loading && !data && html`<p>${t('loading')}</p>`}
    ${data && items.length === 0 && html`<p class="no-destinations">${tr('Chưa có điểm nhận nào.', 'No destination yet.')}</p>`}
    ${items.length > 0 && html`<div class="scroll"><table class="destinations"><thead><tr>
        <th>URL</th><th>${tr('Mô tả', 'Description')}</th><th>${tr('Sự kiện', 'Events')}</th><th>${t('status')}</th><th>${tr('Tạo lúc', 'Created')}</th></tr></thead>
      <tbody>${items.map((d) => html`<tr data-id=${d.id} aria-current=${d.id === route.arg ? 'true' : undefined}>
        <td><a href=${href('destinations', d.id)}>${d.url}</a></td><td>${d.description ?? ''}</td><td>${eventsText(d.events)}</td>
        <td class=${d.enabled ? 'ok' : 'bad'}>${stateText(d)}</td><td>${fmtTime(d.createdAt)}</td></tr>`)}</tbody></table></div>`}
    ${route.arg !== undefined && data && !selected && html`<p class="error" role="alert">${tr('Không tìm thấy điểm nhận này', 'No such destination')}</p>`}
    ${selected && html`<${Detail} key=${selected.id} session=${session} destination=${selected} onChanged=${() => setReload((n) => n + 1)} />`}
    <${CreateForm} session=${session} onCreated=${(s: string) => { setSecret(s); setReload((n) => n + 1); }} />
  </section>`;
};
