// Loads what a session needs beyond its config (custom points, image data, pretrained weights).
import type { Config } from '../core/config';
import type { SessionResources } from '../core/run/session';

export async function loadSessionResources(c: Config, points?: Float64Array): Promise<SessionResources> {
  const resources: SessionResources = { points };
  if (c.dataset === 'mnist') {
    throw new Error('MNIST in the page is not wired yet');
  }
  return resources;
}
