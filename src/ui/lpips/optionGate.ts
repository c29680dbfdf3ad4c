// Keeps the LPIPS option of the Metric select disabled, with the reason, until both weight parts are
// loaded for the run's backbone. Lives in the UI layer: the schema does not know about loaded files.
import type { ConfigKey } from '../../core/config';
import { useConfig } from '../../state/configStore';
import { lpipsMetricReason, useLpips } from '../../state/lpipsStore';

export function useExtraOptionReason(): (key: ConfigKey, value: string) => string | null {
  const lpipsNet = useConfig((s) => s.config.lpipsNet);
  const reason = useLpips((s) => lpipsMetricReason({ lpipsNet }, s));
  return (key, value) => (key === 'metric' && value === 'lpips' ? reason : null);
}
