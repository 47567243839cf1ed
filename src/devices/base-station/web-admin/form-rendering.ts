/**
 * Settings forms drawn from the parameters table (src/devices/base-station/parameters.ts): one panel per section, one row
 * per parameter whose visible label is the exact parameter name of the guide, the unit beside the input, the hint,
 * and the error (if any) beside the field. Field names are the setting keys, because a label such as `Method` or
 * `Interval` appears in two sections.
 *
 * The hint column is the simulator's tutorial (it gives the guide's values, the Teams ConfigURL among them): the real
 * device has none, so training mode (`FormLook.hints` false) leaves it out and the form looks like the device's.
 */
import type { ParameterDef, ParameterSection } from '../parameters.ts';
import { html, type SafeHtml } from '../../../kernel/html.ts';
import type { Notice } from './layout.ts';
import type { SettingsFormState } from './settings-form.ts';

/** How a settings form is drawn: with the simulator's hint column (outside training mode) or as on the device. */
export interface FormLook {
  hints: boolean;
}

export function renderInput(def: ParameterDef, value: string, error: string | undefined, look: FormLook): SafeHtml {
  const describedBy = [...(look.hints ? [`${def.key}-hint`] : []), ...(error ? [`${def.key}-error`] : [])].join(' ');
  const invalid = error ? html` aria-invalid="true"` : '';
  if (def.options) {
    const options = def.options.includes(value) ? def.options : [value, ...def.options];
    return html`<select id="${def.key}" name="${def.key}" ${describedBy ? html` aria-describedby="${describedBy}"` : ''}${invalid}>${options.map(
      (o) => html`<option value="${o}"${o === value ? html` selected` : ''}>${o}</option>`,
    )}</select>`;
  }
  return html`<input type="${def.secret ? 'password' : 'text'}" id="${def.key}" name="${def.key}" value="${value}"${describedBy ? html` aria-describedby="${describedBy}"` : ''}${invalid} autocomplete="off" spellcheck="false">`;
}

export function renderField(def: ParameterDef, value: string, error: string | undefined, look: FormLook): SafeHtml {
  return html`<tr class="field${error ? ' invalid' : ''}"><th scope="row"><label for="${def.key}">${def.label}</label></th>
<td class="value">${renderInput(def, value, error, look)}${def.unit ? html`<span class="unit">${def.unit}</span>` : ''}${
    error ? html`<div class="field-error" id="${def.key}-error">${error}</div>` : ''
  }</td>${look.hints ? html`<td class="hint" id="${def.key}-hint">${def.hint}</td>` : ''}</tr>`;
}

export function renderSection(section: ParameterSection, state: SettingsFormState, look: FormLook): SafeHtml {
  return html`<section class="panel" id="section-${section.id}"><h2>${section.title}</h2>
<table class="form"><tbody>${section.params.map((p) => renderField(p, state.values[p.key], state.errors[p.key], look))}</tbody></table></section>`;
}

/** The summary at the top of a refused form: what is wrong, where, and that nothing was saved. */
export function errorSummary(sections: readonly ParameterSection[], state: SettingsFormState): Notice | undefined {
  const items = [
    ...state.problems,
    ...sections.flatMap((s) => s.params.flatMap((p) => (state.errors[p.key] ? [`${s.title} › ${state.errors[p.key]}`] : []))),
  ];
  if (items.length === 0) return undefined;
  return {
    kind: 'error',
    text: html`<strong>Settings not saved</strong>: nothing was changed. ${items.length === 1 ? 'One problem' : `${items.length} problems`}:<ul>${items.map((i) => html`<li>${i}</li>`)}</ul>`,
  };
}
