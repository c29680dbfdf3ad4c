// LPIPS weights: what is loaded and what is missing, download from the pinned sources with progress, or
// files the user picks or drops (recognised by content); the weights' terms and the metric's cost.
import { useEffect, useState, type DragEvent } from 'react';
// Direct module imports: the package index also exports the metric, which would pull tfjs onto the main thread.
import { LPIPS_NETS, type LpipsNet } from '../../core/lpips/nets';
import { LPIPS_WEIGHT_TERMS } from '../../core/lpips/sources';
import type { LpipsPart } from '../../core/lpips/weights';
import { useConfig } from '../../state/configStore';
import { addLpipsFiles, connectLpips, downloadLpips, lpipsMetricReason, setLpipsNet, useLpips } from '../../state/lpipsStore';
import type { LpipsCost, LpipsFileInfo } from '../../worker/protocol';
import { formatBytes } from './format';

const NET_LABEL: Record<LpipsNet, string> = { squeeze: 'SqueezeNet 1.1', alex: 'AlexNet', vgg: 'VGG16' };
/** Approximate download sizes (lin file + torchvision backbone), so nobody starts 528 MB by surprise. */
const DOWNLOAD_SIZE: Record<LpipsNet, string> = { squeeze: 'about 4.7 MiB', alex: 'about 233 MiB, unverified', vgg: 'about 528 MiB, unverified' };
const PART_LABEL: Record<LpipsPart, string> = { lin: 'Lin layers', backbone: 'Backbone' };

export function LpipsPanel() {
  const net = useLpips((s) => s.net);
  const status = useLpips((s) => s.statusByNet[s.net]);
  const busy = useLpips((s) => s.busy);
  const error = useLpips((s) => s.error);
  const progress = useLpips((s) => s.progress);
  const ready = useLpips((s) => s.readyNets.includes(s.net));
  const config = useConfig((s) => s.config);
  const applyPatch = useConfig((s) => s.applyPatch);
  const [dragging, setDragging] = useState(false);

  useEffect(() => connectLpips(), []);

  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setDragging(false);
    void addLpipsFiles([...e.dataTransfer.files]);
  };
  const inUse = config.metric === 'lpips' && config.lpipsNet === net;
  const useReason = config.dataset !== 'mnist' ? 'LPIPS is for images: choose the mnist dataset first' : null;
  const missing = status?.missing ?? ['lin', 'backbone'];

  return (
    <section className={`panel lpips${dragging ? ' is-dragging' : ''}`} aria-labelledby="lpips-title"
      onDragOver={(e) => { e.preventDefault(); setDragging(true); }}
      onDragLeave={() => setDragging(false)}
      onDrop={onDrop}
      data-testid="lpips-drop-zone"
      style={dragging ? { outline: '2px dashed var(--accent)' } : undefined}>
      <h2 id="lpips-title">LPIPS weights</h2>
      <p className="hint">
        The perceptual metric needs a frozen ImageNet backbone and LPIPS v0.1 lin layers. They are not shipped with the
        page: download them from the pinned sources (checked by SHA-256, kept for offline visits), or choose or drop the
        files (torch .pth or safetensors, recognised by content).
      </p>
      <label className="row">
        <span>Backbone</span>
        <select aria-label="LPIPS weights backbone" value={net} disabled={busy !== null}
          onChange={(e) => setLpipsNet(e.target.value as LpipsNet)}>
          {LPIPS_NETS.map((n) => <option key={n} value={n}>{NET_LABEL[n]}</option>)}
        </select>
      </label>
      <p role="status" aria-label="LPIPS weights status" className={ready ? '' : 'muted'}>
        {status ? status.summary : 'checking the cache…'}
        {status && status.loaded.length > 0 && (status.verified ? ' · verified' : status.summary.includes('unverified') ? '' : ' · unverified')}
      </p>
      <ul className="lpips-parts" aria-label="LPIPS parts" style={{ margin: '0 0 6px', paddingLeft: '1.2em', fontSize: '0.85em' }}>
        {(['lin', 'backbone'] as LpipsPart[]).map((part) => (
          <li key={part}>{PART_LABEL[part]}: {missing.includes(part) ? 'missing' : describeFiles(status?.files.filter((f) => f.provides.includes(part)) ?? [])}</li>
        ))}
      </ul>
      <div className="row">
        <button type="button" disabled={busy !== null || missing.length === 0} onClick={() => void downloadLpips()}
          title={`Downloads ${DOWNLOAD_SIZE[net]} from the pinned sources, in order`}>
          {busy === 'download' ? 'Downloading…' : 'Download weights'}
        </button>
        <label className="file-button">
          Choose files
          <input type="file" multiple aria-label="LPIPS weight files" className="visually-hidden" disabled={busy !== null}
            onChange={(e) => {
              const files = [...(e.target.files ?? [])];
              e.target.value = '';
              void addLpipsFiles(files);
            }} />
        </label>
      </div>
      <p className="hint">{DOWNLOAD_SIZE[net]}{status && !status.cacheAvailable ? ' · this browser cannot cache downloads' : ''} · or drop files on this panel</p>
      {progress && <DownloadProgress part={progress.part} url={progress.url} received={progress.received} total={progress.total} active={busy === 'download'} />}
      {error && <p className="field-error" role="alert" aria-label="LPIPS problem" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>{error}</p>}
      {ready && !inUse && (
        <div className="row">
          <button type="button" className="secondary" disabled={!!useReason} title={useReason ?? undefined}
            onClick={() => applyPatch({ metric: 'lpips', lpipsNet: net })}>
            Use LPIPS ({NET_LABEL[net]})
          </button>
          {useReason && <span className="field-reason">{useReason}</span>}
        </div>
      )}
      {!ready && config.metric !== 'lpips' && (
        <p className="field-reason">LPIPS stays disabled in the Metric setting until both parts are loaded ({lpipsMetricReason({ lpipsNet: net }, useLpips.getState())}).</p>
      )}
      {status?.cost && <CostLine cost={status.cost} />}
      <p className="hint">{LPIPS_WEIGHT_TERMS}</p>
    </section>
  );
}

function describeFiles(files: LpipsFileInfo[]): string {
  if (files.length === 0) return 'loaded';
  return files.map((f) => `${f.name} (${f.origin === 'cache' ? 'from cache' : f.origin === 'download' ? 'downloaded' : 'your file'}, ${f.verified ? 'verified' : 'unverified'})`).join(', ');
}

function DownloadProgress({ part, url, received, total, active }: { part: LpipsPart; url: string; received: number; total: number | null; active: boolean }) {
  const host = (() => {
    try {
      return new URL(url).host;
    } catch {
      return url;
    }
  })();
  return (
    <div className="lpips-progress" style={{ fontSize: '0.85em' }}>
      <progress aria-label="LPIPS download progress" value={received} max={total ?? undefined} style={{ width: '100%' }} />
      <span aria-label="LPIPS download bytes">
        {PART_LABEL[part]} from {host}: {formatBytes(received)}{total !== null ? ` of ${formatBytes(total)}` : ''}{active ? '' : ' (last transfer)'}
      </span>
    </div>
  );
}

function CostLine({ cost }: { cost: LpipsCost }) {
  const ratio = cost.l2Ms > 0 ? cost.lpipsMs / cost.l2Ms : Number.POSITIVE_INFINITY;
  return (
    <p role="status" aria-label="LPIPS cost per step" style={{ fontSize: '0.85em' }}>
      Cost per step (d and its gradient, batch {cost.batch}, {cost.resolution} px, {cost.backend}):
      {' '}LPIPS {cost.lpipsMs.toFixed(1)} ms · l2 {cost.l2Ms.toFixed(1)} ms{Number.isFinite(ratio) ? ` (×${ratio.toFixed(0)})` : ''}
    </p>
  );
}
