// One setting from the schema: a select, number box or list box with its label, tooltip, the reason it
// is disabled, and the message of a rejected value. Typed values are committed on Enter, on blur, or
// after a pause in typing, since every committed change rebuilds the run.
import { useEffect, useId, useRef, useState } from 'react';
import { disabledReason, FIELDS, optionDisabledReason, type ConfigKey, type Field } from '../core/config';
import { fieldNote } from '../core/methods/settings/notes';
import { useConfig } from '../state/configStore';
import { FieldHelp } from './FieldHelp';
import { useExtraOptionReason } from './lpips/optionGate';

const COMMIT_AFTER_MS = 900;
const text = (v: unknown) => (Array.isArray(v) ? v.join(', ') : String(v));

export function FieldControl({ name, compact = false }: { name: ConfigKey; compact?: boolean }) {
  const field = FIELDS[name] as Field;
  const value = useConfig((s) => s.config[name]);
  const reason = useConfig((s) => disabledReason(name, s.config));
  const note = useConfig((s) => fieldNote(name, s.config));
  const error = useConfig((s) => s.fieldErrors[name]);
  const setField = useConfig((s) => s.setField);
  const dataset = useConfig((s) => s.config.dataset);
  const mode = useConfig((s) => s.config.mode);
  const inputId = useId();
  const helpId = useId();
  const [open, setOpen] = useState(false);

  return (
    <div
      className={`field${reason ? ' is-disabled' : ''}${compact ? ' compact' : ''}`}
      onMouseEnter={() => setOpen(true)}
      onMouseLeave={() => setOpen(false)}
      onFocus={() => setOpen(true)}
      onBlur={() => setOpen(false)}
      // Esc hides the tooltip without moving focus (WCAG 1.4.13); a typed value's own Esc still restores it.
      onKeyDown={(e) => e.key === 'Escape' && setOpen(false)}
    >
      <span className="field-label">
        {/* The label holds the name alone, so the control's accessible name is exactly the schema label. */}
        <label htmlFor={inputId}>{field.label}</label>
        <span className="help-mark" aria-hidden="true">?</span>
      </span>
      {field.kind === 'enum' ? (
        <EnumInput id={inputId} field={field} value={String(value)} disabled={!!reason} describedBy={helpId} onCommit={(v) => setField(name, v)} />
      ) : (
        <TextInput id={inputId} field={field} value={text(value)} disabled={!!reason} describedBy={helpId} invalid={!!error} onCommit={(v) => setField(name, v)} />
      )}
      {reason && <span className="field-reason">{reason}</span>}
      {!reason && note && <span className="field-reason">{note}</span>}
      {error && <span className="field-error" role="alert">{error}</span>}
      {open ? <FieldHelp field={field} id={helpId} value={String(value)} page={{ dataset, mode }} /> : <span id={helpId} className="visually-hidden">{field.help}</span>}
    </div>
  );
}

function EnumInput({ id, field, value, disabled, describedBy, onCommit }: {
  id: string; field: Extract<Field, { kind: 'enum' }>; value: string; disabled: boolean; describedBy: string; onCommit: (v: string) => void;
}) {
  const config = useConfig((s) => s.config);
  const extraReason = useExtraOptionReason();
  return (
    <select id={id} value={value} disabled={disabled} aria-describedby={describedBy} onChange={(e) => onCommit(e.target.value)}>
      {field.options.map((o) => {
        const why = optionDisabledReason(field.key, o.value, config) ?? extraReason(field.key, o.value);
        return (
          <option key={o.value} value={o.value} disabled={!!why} title={why ?? undefined}>
            {why ? `${o.label} (${why})` : o.label}
          </option>
        );
      })}
    </select>
  );
}

function TextInput({ id, field, value, disabled, describedBy, invalid, onCommit }: {
  id: string; field: Field; value: string; disabled: boolean; describedBy: string; invalid: boolean; onCommit: (v: string) => string | null;
}) {
  const [draft, setDraft] = useState(value);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  // A value set elsewhere (preset, link, reset of a rejected value) replaces the draft.
  useEffect(() => setDraft(value), [value]);
  useEffect(() => () => {
    if (timer.current) clearTimeout(timer.current);
  }, []);
  const commit = (v: string) => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = null;
    if (v.trim() === value) return;
    const err = onCommit(v);
    if (err) return;
  };
  const numeric = field.kind === 'int' || field.kind === 'number';
  return (
    <input
      id={id}
      type={numeric ? 'number' : 'text'}
      inputMode={numeric ? 'decimal' : undefined}
      step={numeric ? (field.kind === 'int' ? 1 : (field as { step?: number }).step ?? 'any') : undefined}
      min={numeric ? (field as { min: number }).min : undefined}
      max={numeric ? (field as { max: number }).max : undefined}
      value={draft}
      disabled={disabled}
      aria-invalid={invalid || undefined}
      aria-describedby={describedBy}
      onChange={(e) => {
        const v = e.target.value;
        setDraft(v);
        if (timer.current) clearTimeout(timer.current);
        timer.current = setTimeout(() => commit(v), COMMIT_AFTER_MS);
      }}
      onBlur={() => commit(draft)}
      onKeyDown={(e) => {
        if (e.key === 'Enter') commit(draft);
        if (e.key === 'Escape') setDraft(value);
      }}
    />
  );
}
