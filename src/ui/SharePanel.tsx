// Share the settings as a link; save and reload trained weights.
import { useState } from 'react';
import { session } from '../state/session';
import { useRun } from '../state/runStore';
import { shareUrl } from '../state/urlSync';
import { downloadBlob } from './download';

async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}

export function SharePanel() {
  const [copied, setCopied] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const ready = useRun((s) => s.configured);
  return (
    <section className="panel share" aria-labelledby="share-title">
      <h2 id="share-title">Share and keep</h2>
      <div className="row">
        <button type="button" onClick={async () => {
          const url = shareUrl();
          const ok = await copyText(url);
          setCopied(ok ? 'Link copied.' : url);
        }}>Copy link</button>
        {copied && <span className="muted copied" role="status">{copied === 'Link copied.' ? copied : <>Copy this link: <input readOnly value={copied} aria-label="Link to these settings" onFocus={(e) => e.target.select()} /></>}</span>}
      </div>
      <div className="row">
        <button type="button" disabled={!ready || busy} onClick={async () => {
          setBusy(true);
          const r = await session().exportWeights();
          setBusy(false);
          if (r) downloadBlob(new Blob([r.bytes], { type: 'application/octet-stream' }), r.fileName);
        }}>Export weights</button>
        <label className={`file-button${!ready ? ' disabled' : ''}`}>
          Import weights
          <input type="file" accept=".safetensors,application/octet-stream" disabled={!ready} aria-label="Import weights" onChange={(e) => {
            const f = e.target.files?.[0];
            e.target.value = '';
            if (f) void session().importWeights(f);
          }} />
        </label>
      </div>
      <div className="row">
        <button type="button" disabled={!ready || busy} onClick={async () => {
          setBusy(true);
          const r = await session().exportRun();
          setBusy(false);
          if (r) downloadBlob(new Blob([r.bytes], { type: 'application/octet-stream' }), r.fileName);
        }}>Export run</button>
        <label className={`file-button${!ready ? ' disabled' : ''}`}>
          Import run
          <input type="file" accept=".safetensors,application/octet-stream" disabled={!ready} aria-label="Import run" onChange={(e) => {
            const f = e.target.files?.[0];
            e.target.value = '';
            if (f) void session().importRun(f);
          }} />
        </label>
      </div>
      <p className="hint">Weights are a .safetensors file for the current settings; importing them into the same settings reproduces the same samples.
        A run carries its settings, optimiser and random streams too: continue it with PyTorch on GPUs
        (<code>scripts/torch/continue.py</code>) and import the result here.</p>
    </section>
  );
}
