// The method's part of a one-line run summary (saved runs, embedded figures): the settings that shape its
// target. N, mu and the metric belong to CD and CT only; the other methods show their own settings where
// they differ from the defaults (a default run says just its method's name).
import { DEFAULTS, FIELDS, valueLabel, type Config, type ConfigKey, type Field } from '../../config';
import { METHOD_INFO } from './index';

/** The option label of an enum setting (e.g. 'Heun'), or the value itself. */
export function optionLabel(key: ConfigKey, config: Config): string {
  return valueLabel(FIELDS[key] as Field, config[key]);
}

/** Uses CD and CT's discretised loss (N, mu, metric, ...)? */
export const usesDiscreteLoss = (c: Pick<Config, 'mode'>) => c.mode === 'cd' || c.mode === 'ct';

/** "label = value" for each of the method's own settings that differs from its default. */
export function changedMethodSettings(c: Config): string[] {
  return METHOD_INFO[c.mode].own
    .filter((key) => String(c[key]) !== String(DEFAULTS[key]))
    .map((key) => `${FIELDS[key].label} = ${optionLabel(key, c)}`);
}
