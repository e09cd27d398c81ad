import type { ComponentChildren } from 'preact';
import { useId } from 'preact/hooks';
import { fieldMessage } from './Status';

interface Common {
  label: string;
  error?: string | undefined;
  /** How an error names the field, when the label is a question ("The time of awareness"). */
  errorLabel?: string;
  hint?: ComponentChildren;
  required?: boolean;
}

interface TextProps extends Common {
  value: string;
  onValue: (value: string) => void;
  type?: 'text' | 'password' | 'email' | 'number' | 'date' | 'datetime-local' | 'search' | 'url';
  name?: string;
  autoComplete?: string;
  inputMode?: 'numeric' | 'text' | 'email';
  min?: number;
  max?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  autoFocus?: boolean;
  multiline?: boolean;
  /** Lines of a multiline field (4 unless told). */
  rows?: number;
}

/** A labelled input with its hint and its error, tied together for assistive technology. */
export function TextField(p: TextProps) {
  const id = useId();
  const hintId = p.hint ? `${id}-hint` : undefined;
  const errorId = p.error ? `${id}-error` : undefined;
  const described = [hintId, errorId].filter(Boolean).join(' ') || undefined;
  const common = {
    id,
    name: p.name,
    value: p.value,
    required: p.required,
    'aria-invalid': p.error ? ('true' as const) : undefined,
    'aria-describedby': described,
  };
  return (
    <div class={p.error ? 'field field-invalid' : 'field'}>
      <label for={id}>
        {p.label}
        {p.required && <span class="required" aria-hidden="true"> *</span>}
      </label>
      {p.hint && (
        <p class="hint" id={hintId}>
          {p.hint}
        </p>
      )}
      {p.multiline ? (
        <textarea {...common} rows={p.rows ?? 4} maxLength={p.maxLength} onInput={(e) => p.onValue(e.currentTarget.value)} />
      ) : (
        <input
          {...common}
          // Preact's types narrow attributes per input type; the union of ours is still a valid type.
          type={(p.type ?? 'text') as 'text'}
          autoComplete={p.autoComplete}
          inputMode={p.inputMode}
          min={p.min}
          max={p.max}
          minLength={p.minLength}
          maxLength={p.maxLength}
          pattern={p.pattern}
          autoFocus={p.autoFocus}
          onInput={(e) => p.onValue(e.currentTarget.value)}
        />
      )}
      {p.error && (
        <p class="field-error" id={errorId}>
          {fieldMessage(p.errorLabel ?? p.label, p.error)}
        </p>
      )}
    </div>
  );
}

interface SelectProps extends Common {
  value: string;
  onValue: (value: string) => void;
  options: { value: string; label: string }[];
  name?: string;
}

export function SelectField(p: SelectProps) {
  const id = useId();
  const hintId = p.hint ? `${id}-hint` : undefined;
  const errorId = p.error ? `${id}-error` : undefined;
  const described = [hintId, errorId].filter(Boolean).join(' ') || undefined;
  return (
    <div class={p.error ? 'field field-invalid' : 'field'}>
      <label for={id}>
        {p.label}
        {p.required && <span class="required" aria-hidden="true"> *</span>}
      </label>
      {p.hint && (
        <p class="hint" id={hintId}>
          {p.hint}
        </p>
      )}
      <select
        id={id}
        name={p.name}
        value={p.value}
        required={p.required}
        aria-invalid={p.error ? 'true' : undefined}
        aria-describedby={described}
        onChange={(e) => p.onValue(e.currentTarget.value)}
      >
        {p.options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      {p.error && (
        <p class="field-error" id={errorId}>
          {fieldMessage(p.errorLabel ?? p.label, p.error)}
        </p>
      )}
    </div>
  );
}

interface ChecksProps extends Common {
  options: { value: string; label: string }[];
  selected: string[];
  onSelected: (selected: string[]) => void;
}

/** A group of checkboxes in a fieldset with its legend. */
export function CheckboxGroup(p: ChecksProps) {
  const id = useId();
  const errorId = p.error ? `${id}-error` : undefined;
  const toggle = (value: string, on: boolean) => {
    const next = on ? [...p.selected, value] : p.selected.filter((v) => v !== value);
    // Keep the options' order, whatever the order of clicks.
    p.onSelected(p.options.map((o) => o.value).filter((v) => next.includes(v)));
  };
  return (
    <fieldset class={p.error ? 'field checks field-invalid' : 'field checks'} aria-describedby={errorId}>
      <legend>{p.label}</legend>
      <div class="check-grid">
        {p.options.map((o) => (
          <label key={o.value} class="check">
            <input
              type="checkbox"
              name={o.value}
              value={o.value}
              checked={p.selected.includes(o.value)}
              onChange={(e) => toggle(o.value, e.currentTarget.checked)}
            />
            <span>{o.label}</span>
          </label>
        ))}
      </div>
      {p.error && (
        <p class="field-error" id={errorId}>
          {fieldMessage(p.errorLabel ?? p.label, p.error)}
        </p>
      )}
    </fieldset>
  );
}

interface RadioProps extends Common {
  name: string;
  value: string;
  onValue: (value: string) => void;
  options: { value: string; label: string }[];
}

/** One choice of a few, shown side by side in a fieldset with its legend. */
export function RadioGroup(p: RadioProps) {
  const id = useId();
  const hintId = p.hint ? `${id}-hint` : undefined;
  const errorId = p.error ? `${id}-error` : undefined;
  const described = [hintId, errorId].filter(Boolean).join(' ') || undefined;
  return (
    <fieldset class={p.error ? 'field checks field-invalid' : 'field checks'} aria-describedby={described}>
      <legend>
        {p.label}
        {p.required && <span class="required" aria-hidden="true"> *</span>}
      </legend>
      {p.hint && (
        <p class="hint" id={hintId}>
          {p.hint}
        </p>
      )}
      <div class="radio-row">
        {p.options.map((o) => (
          <label key={o.value} class="check">
            <input
              type="radio"
              name={p.name}
              value={o.value}
              checked={p.value === o.value}
              onChange={() => p.onValue(o.value)}
            />
            <span>{o.label}</span>
          </label>
        ))}
      </div>
      {p.error && (
        <p class="field-error" id={errorId}>
          {fieldMessage(p.errorLabel ?? p.label, p.error)}
        </p>
      )}
    </fieldset>
  );
}

interface CheckboxProps {
  label: ComponentChildren;
  checked: boolean;
  onChecked: (checked: boolean) => void;
  name?: string;
  hint?: ComponentChildren;
  error?: string | undefined;
  /** The field's name in error messages, when the label is not plain text. */
  errorLabel?: string;
}

/** A single checkbox with its label, hint and error. */
export function Checkbox(p: CheckboxProps) {
  const id = useId();
  const hintId = p.hint ? `${id}-hint` : undefined;
  const errorId = p.error ? `${id}-error` : undefined;
  const described = [hintId, errorId].filter(Boolean).join(' ') || undefined;
  return (
    <div class={p.error ? 'field field-invalid' : 'field'}>
      <label class="check" for={id}>
        <input
          id={id}
          type="checkbox"
          name={p.name}
          checked={p.checked}
          aria-describedby={described}
          aria-invalid={p.error ? 'true' : undefined}
          onChange={(e) => p.onChecked(e.currentTarget.checked)}
        />
        <span>{p.label}</span>
      </label>
      {p.hint && (
        <p class="hint hint-after" id={hintId}>
          {p.hint}
        </p>
      )}
      {p.error && (
        <p class="field-error" id={errorId}>
          {fieldMessage(p.errorLabel ?? 'This', p.error)}
        </p>
      )}
    </div>
  );
}
