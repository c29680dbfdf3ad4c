// The tooltip of a setting: what it does, its formula, its default and where the paper defines it.
import { DEFAULTS, valueLabel, withDatasetDefaults, type Config, type Field } from '../core/config';
import { Formula } from './Formula';

// The formula boxes scroll sideways; tabIndex -1 keeps Chrome from putting them in the Tab order, where
// focus moving into the tooltip would close it and drop the focus on <body>.
/**
 * The default as the control shows it: an enum's option label ("CD", "Heun"), not its link value. With the
 * page's dataset and mode it is the value this page starts from (their own defaults: CD and CT on 2D data use
 * width 128, CT batch 512, digits lr 2e-4), not the schema's, which the tooltip used to show (width 256).
 */
export function defaultText(field: Field, page?: Pick<Config, 'dataset' | 'mode'>): string {
  const own = page && field.key !== 'dataset' && field.key !== 'mode';
  return valueLabel(field, (own ? withDatasetDefaults({ ...DEFAULTS, dataset: page.dataset, mode: page.mode }, new Set()) : DEFAULTS)[field.key]);
}

export function FieldHelp({ field, id, value, page }: { field: Field; id: string; value?: string; page?: Pick<Config, 'dataset' | 'mode'> }) {
  // The selected option's own help (the methods of the mode setting): what it learns, its target, its paper.
  const option = field.kind === 'enum' ? field.options.find((o) => o.value === value && o.help) : undefined;
  return (
    <div className="tooltip" role="tooltip" id={id}>
      <p>{field.help}</p>
      {option && (
        <>
          <p><strong>{option.label}:</strong> {option.help}{option.paper ? ` (${option.paper})` : ''}</p>
          {option.formula && (
            <div className="tooltip-formula" tabIndex={-1}>
              <Formula tex={option.formula} display />
            </div>
          )}
        </>
      )}
      {field.formula && (
        <div className="tooltip-formula" tabIndex={-1}>
          <Formula tex={field.formula} display />
        </div>
      )}
      <p className="tooltip-meta">
        Default <code>{defaultText(field, page)}</code>
        {field.unit ? ` ${field.unit}` : ''}
        {'kind' in field && (field.kind === 'int' || field.kind === 'number') ? ` · range ${field.minExclusive ? '(' : '['}${field.min}, ${field.max}${field.maxExclusive ? ')' : ']'}` : ''}
        {field.paper ? ` · ${field.paper}` : ''}
        {` · link key `}<code>{field.url}</code>
      </p>
    </div>
  );
}
