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

interface FileRowProps {
  noun: string;
  ready: boolean;
  /** Shared by the rows: one export at a time. */
  busy: boolean;
  setBusy(b: boolean): void;
  exportFile(): Promise<{ bytes: ArrayBuffer; fileName: string } | null>;
  importFile(f: File): Promise<boolean>;
}

/** "Export <noun>" downloads the file the session makes; "Import <noun>" hands a chosen file to the session. */
function FileRow({ noun, ready, busy, setBusy, exportFile, importFile }: FileRowProps) {
  return (
    <div className="row">
      <button type="button" disabled={!ready || busy} onClick={async () => {
        setBusy(true);
        const r = await exportFile();
        setBusy(false);
        if (r) downloadBlob(new Blob([r.bytes], { type: 'application/octet-stream' }), r.fileName);
      }}>Export {noun}</button>
      <label className={`file-button${!ready ? ' disabled' : ''}`}>
        Import {noun}
        <input type="file" accept=".safetensors,application/octet-stream" disabled={!ready} aria-label={`Import ${noun}`} onChange={(e) => {
          const f = e.target.files?.[0];
          e.target.value = '';
          if (f) void importFile(f);
        }} />
      </label>
    </div>
  );
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
      <FileRow noun="weights" ready={ready} busy={busy} setBusy={setBusy}
        exportFile={() => session().exportWeights()} importFile={(f) => session().importWeights(f)} />
      <FileRow noun="run" ready={ready} busy={busy} setBusy={setBusy}
        exportFile={() => session().exportRun()} importFile={(f) => session().importRun(f)} />
      <p className="hint">Weights are a .safetensors file for the current settings; importing them into the same settings reproduces the same samples.
        A run carries its settings, optimiser and random streams too: continue it with PyTorch on GPUs
        (<code>scripts/torch/continue.py</code>) and import the result here.</p>
    </section>
  );
}
