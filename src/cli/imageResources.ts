// Reads the MNIST asset, the digit classifier and the pretrained teacher from the project's public/
// folder (or --mnist-asset) for image runs in Node.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../core/config';
import { createNetwork } from '../core/models/index';
import { DigitEvaluator, MNIST_FILES, parseMnist, pretrainedParams } from '../core/run/imageData';
import { PRETRAINED_TEACHER_MODELS, pretrainedTeacherPath } from '../core/run/pretrained';
import type { SessionResources } from '../core/run/session';
import { UsageError } from './args';
import { METHOD_INFO } from '../core/methods/settings/index';

const PUBLIC = 'public';

function read(path: string, what: string, hint: string): Uint8Array {
  if (!existsSync(path)) throw new UsageError(`${what} not found at ${path} (${hint})`);
  return new Uint8Array(readFileSync(path));
}

export function loadImageResources(c: Config, assetPath?: string, evalCount = 500): SessionResources {
  const data = parseMnist(read(assetPath ?? join(PUBLIC, MNIST_FILES.asset), 'the MNIST asset', 'build it with "npm run assets"'));
  const resources: SessionResources = {
    imageData: data,
    digitEvaluator: DigitEvaluator.fromBytes(read(join(PUBLIC, MNIST_FILES.classifier), 'the digit classifier', 'it is committed; restore it with git'), data, evalCount),
  };
  if (METHOD_INFO[c.mode].teacher !== 'none' && c.teacher === 'pretrained') { // CD, sCD, ECT
    const net = createNetwork(c, data.dataShape);
    try {
      resources.pretrainedTeacher = pretrainedParams(read(join(PUBLIC, pretrainedTeacherPath(c.model)), 'the pretrained teacher', 'it is committed'), net, 'teacher');
    } catch (e) {
      if (e instanceof UsageError) throw e;
      throw new UsageError(`--teacher pretrained: ${(e as Error).message} (the shipped teachers are ${PRETRAINED_TEACHER_MODELS})`);
    }
  }
  return resources;
}
