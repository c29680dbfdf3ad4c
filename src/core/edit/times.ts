// Default times for an edit: a Karras grid from t_1 down to eps (section 1), without eps itself
// (a step at eps adds no noise and f(x, eps) = x, so it would change nothing).
import { karrasSigmasAscending } from '../schedule';
import { EditError } from './errors';

export function editTimes(t1: number, steps: number, range: { eps: number; rho?: number }): number[] {
  if (!Number.isInteger(steps) || steps < 1) throw new EditError('bad-times', `the number of steps must be an integer >= 1 (got ${steps})`);
  if (!Number.isFinite(t1) || t1 <= range.eps) throw new EditError('bad-times', `t_1 = ${t1} must be above eps = ${range.eps}`);
  const grid = karrasSigmasAscending(steps + 1, { eps: range.eps, T: t1, rho: range.rho ?? 7 });
  return Array.from(grid).slice(1).reverse();
}
