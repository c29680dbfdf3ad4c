// Flow matching's own setting (few-step-methods.md section 7): how t is drawn.
import type { EnumField } from '../../config';

export interface FlowSettings {
  flowTimeSampling: 'uniform' | 'logit-normal';
}

export const FLOW_DEFAULTS: FlowSettings = { flowTimeSampling: 'uniform' };

export const FLOW_FIELDS: { [K in keyof FlowSettings]: EnumField<K> } = {
  flowTimeSampling: { key: 'flowTimeSampling', kind: 'enum', label: 'Flow-matching t', group: 'method', url: 'ft',
    options: [{ value: 'uniform', label: 't ~ U(0, 1)' }, { value: 'logit-normal', label: 'logit-normal sigmoid(N(-0.4, 1))' }],
    help: 'Distribution of the time of each flow-matching training row (shortcut models draw t on their grid of step sizes).',
    formula: 't = \\operatorname{sigmoid}(\\xi),\\ \\xi \\sim \\mathcal N(-0.4, 1)', paper: 'MeanFlow section 4; few-step-methods.md section 7' },
};

export const FLOW_KEYS = ['flowTimeSampling'] as const;
