// Every method by its id. To add one: import it and add one entry (see the top of types.ts).
// CD and CT train in cm/consistencyTrainer.ts; their entries serve sampling, views and the flow-map error.
import type { FlowMapMethod, MethodId, TrainingMethod } from './types';
import { isTrainingMethod } from './types';
import { cdMethod, ctMethod } from './consistency';
import { ectMethod } from './ect';
import { flowMethod } from './flow';
import { meanflowMethod } from './meanflow';
import { scdMethod, sctMethod } from './scm';
import { shortcutMethod } from './shortcut';

const METHODS: Partial<Record<MethodId, FlowMapMethod>> = {
  cd: cdMethod,
  ct: ctMethod,
  ect: ectMethod as FlowMapMethod,
  flow: flowMethod as FlowMapMethod,
  shortcut: shortcutMethod as FlowMapMethod,
  sct: sctMethod as FlowMapMethod,
  scd: scdMethod as FlowMapMethod,
  meanflow: meanflowMethod as FlowMapMethod,
};

/** The method for a mode, or null where it is not built yet. */
export function methodFor(id: MethodId): FlowMapMethod | null {
  return METHODS[id] ?? null;
}

/** A method the generic trainer (methodTrainer.ts) trains; throws for CD/CT and for ids not built yet. */
export function trainingMethodFor(id: MethodId): TrainingMethod {
  const m = METHODS[id];
  if (!m || !isTrainingMethod(m)) throw new Error(`no generic training method "${id}"`);
  return m;
}
