// The tooltip of a setting: what it does, its formula, its default and where the paper defines it.
import { DEFAULTS, type Field } from '../core/config';
import { Formula } from './Formula';

const show = (v: unknown) => (Array.isArray(v) ? v.join(', ') : String(v));

export function FieldHelp({ field, id }: { field: Field; id: string }) {
  return (
    <div className="tooltip" role="tooltip" id={id}>
      <p>{field.help}</p>
      {field.formula && (
        <div className="tooltip-formula">
          <Formula tex={field.formula} display />
        </div>
      )}
      <p className="tooltip-meta">
        Default <code>{show(DEFAULTS[field.key])}</code>
        {field.unit ? ` ${field.unit}` : ''}
        {'kind' in field && (field.kind === 'int' || field.kind === 'number') ? ` · range ${field.minExclusive ? '(' : '['}${field.min}, ${field.max}${field.maxExclusive ? ')' : ']'}` : ''}
        {field.paper ? ` · ${field.paper}` : ''}
        {` · link key `}<code>{field.url}</code>
      </p>
    </div>
  );
}
