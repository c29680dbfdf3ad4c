// A changed setting restarts the run; a changed method says which method's run stopped and where it is kept.
import { describe, expect, it } from 'vitest';
import { DEFAULTS } from '../../../src/core/config';
import { restartNotice } from '../../../src/state/restartNotice';

describe('restart notice', () => {
  it('names both methods when the training mode changes', () => {
    const n = restartNotice({ ...DEFAULTS, mode: 'meanflow' }, { ...DEFAULTS, mode: 'sct' }, 52);
    expect(n.title).toBe('Training mode changed to sCT: a new run starts from step 0');
    expect(n.lines.join(' ')).toContain('The MeanFlow run stopped at step 52');
  });

  it('keeps the plain message for any other setting', () => {
    expect(restartNotice(DEFAULTS, { ...DEFAULTS, lr: 0.001 }, 10)).toEqual({ title: 'Settings changed: the run restarted from step 0', lines: [] });
  });
});
