// The JVP route of the continuous-time methods (sCT, sCD, MeanFlow): see ../jvp.ts and README "JVP".
import type { EnumField } from '../../config';

export interface JvpSettings {
  jvpRoute: 'auto' | 'exact' | 'fd';
}

export const JVP_DEFAULTS: JvpSettings = { jvpRoute: 'auto' };

export const JVP_FIELDS: { [K in keyof JvpSettings]: EnumField<K> } = {
  jvpRoute: { key: 'jvpRoute', kind: 'enum', label: 'JVP route', group: 'method', url: 'jr',
    options: [{ value: 'auto', label: 'auto (FD; exact for ReLU)' }, { value: 'exact', label: 'exact (double VJP)' }, { value: 'fd', label: 'finite difference' }],
    help: 'TensorFlow.js has no forward-mode autodiff. exact differentiates a vector-Jacobian product again (exact to float32, about 4.5x the cost of the difference on WASM); fd is a central difference at h = 0.01 (2 forward passes, within 1e-4 of exact for SiLU networks with low-frequency time inputs, 3-24 % off for ReLU). auto: fd, except exact for ReLU.',
    formula: 'J v = \\nabla_u \\langle J^\\top u, v\\rangle \\quad\\text{or}\\quad \\tfrac{G(p + h v) - G(p - h v)}{2h}', paper: 'few-step-methods.md section 2' },
};

export const JVP_KEYS = ['jvpRoute'] as const;
