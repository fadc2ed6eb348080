/**
 * Form fields the pages share: a day typed and shown as dd/mm/yyyy (chromium's native date input follows the
 * browser's locale, not the page's language, so it showed mm/dd/yyyy on an English-locale browser), and an OA
 * picked from the tenant's OAs when they are known.
 */
import { fmtDay, parseDay } from './format';
import { html } from './html';
import { tr } from './i18n';

/** A day field: shows and accepts dd/mm/yyyy (YYYY-MM-DD is accepted too); `onDay` gets YYYY-MM-DD, or '' when empty. */
export const DayInput = ({ name, label, value, onDay }: { name: string; label: string; value: string; onDay: (day: string) => void }) => {
  const check = (e: Event) => {
    const input = e.target as HTMLInputElement;
    const day = input.value.trim() === '' ? '' : parseDay(input.value);
    input.setCustomValidity(day === undefined ? tr('Nhập ngày dạng dd/mm/yyyy', 'Enter a day as dd/mm/yyyy') : '');
    if (day !== undefined) onDay(day);
  };
  return html`<label>${label}<input name=${name} type="text" inputmode="numeric" placeholder="dd/mm/yyyy" autocomplete="off"
    value=${value ? fmtDay(value) : ''} onInput=${check} /></label>`;
};

/** The tenant's OAs as a choice list (an OA not in it, from a link, stays chosen); a text field when none is known. */
export const OaPicker = ({ name, label, value, knownOas, onOa, any }: { name: string; label: string; value: string; knownOas: string[]; onOa: (oa: string) => void; any?: boolean }) => {
  if (knownOas.length === 0) {
    return html`<label>${label}<input name=${name} value=${value} onInput=${(e: Event) => onOa((e.target as HTMLInputElement).value)} /></label>`;
  }
  const choices = value && !knownOas.includes(value) ? [...knownOas, value] : knownOas;
  return html`<label>${label}<select name=${name} value=${value} onChange=${(e: Event) => onOa((e.target as HTMLSelectElement).value)}>
    ${any ? html`<option value="">–</option>` : null}${choices.map((oa) => html`<option value=${oa} selected=${oa === value}>${oa}</option>`)}</select></label>`;
};
