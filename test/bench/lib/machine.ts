// Which machine the numbers came from, and how busy it was: the CPU is shared, so load matters.
import { cpus, hostname, loadavg, totalmem, platform, release } from 'node:os';
import { readFileSync } from 'node:fs';

export interface MachineInfo {
  hostname: string;
  /** Short name used in the results file name. */
  label: string;
  cpuModel: string;
  cores: number;
  memoryGiB: number;
  os: string;
  node: string;
  tfjs: string;
  gpu: string;
  loadAverageAtStart: number[];
}

function packageVersion(name: string): string {
  try {
    return (JSON.parse(readFileSync(`node_modules/${name}/package.json`, 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

export function machineInfo(): MachineInfo {
  const c = cpus();
  const host = hostname();
  return {
    hostname: host,
    label: `${c.length}core-${host.replace(/[^a-zA-Z0-9-]/g, '').slice(0, 24) || 'machine'}`,
    cpuModel: c[0]?.model?.trim() ?? 'unknown',
    cores: c.length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    os: `${platform()} ${release()}`,
    node: process.version,
    tfjs: packageVersion('@tensorflow/tfjs'),
    gpu: 'none (software WebGPU/WebGL adapters in Chromium)',
    loadAverageAtStart: loadavg().map((x) => Math.round(x * 100) / 100),
  };
}
