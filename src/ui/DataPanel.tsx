// The training data: preset thumbnails, the dataset select, a brush for your own points and CSV upload.
import { useEffect, useRef, useState } from 'react';
import { parsePointsCsv } from '../core/data/dataset2d';
import type { PresetName } from '../core/data/presets2d';
import { useConfig } from '../state/configStore';
import { notify, useNotices } from '../state/notices';
import { useView } from '../state/viewStore';
import { BrushCanvas } from './BrushCanvas';
import { FieldControl } from './FieldControl';
import { drawThumbnail, PRESETS, thumbnailPoints } from './thumbnails';

function Thumbnail({ name }: { name: PresetName }) {
  const ref = useRef<HTMLCanvasElement>(null);
  const selected = useConfig((s) => s.config.dataset === name);
  const dark = useView((s) => s.dark);
  useEffect(() => {
    if (ref.current) drawThumbnail(ref.current, thumbnailPoints(name), getComputedStyle(document.documentElement).getPropertyValue('--c-data-strong'));
  }, [name, dark]);
  return (
    <button type="button" className={`thumb${selected ? ' selected' : ''}`} aria-pressed={selected} title={`Train on ${name}`}
      onClick={() => useConfig.getState().setField('dataset', name)}>
      <canvas ref={ref} aria-hidden="true" />
      <span>{name}</span>
    </button>
  );
}

export function DataPanel() {
  const dataset = useConfig((s) => s.config.dataset);
  const points = useConfig((s) => s.points);
  const [csvError, setCsvError] = useState<string | null>(null);

  const onCsv = async (file: File) => {
    try {
      const pts = parsePointsCsv(await file.text());
      setCsvError(null);
      useNotices.getState().dismissTopic('csv');
      const st = useConfig.getState();
      useConfig.setState({ points: pts });
      if (st.config.dataset !== 'custom') st.setField('dataset', 'custom');
      else st.setPoints(pts);
      notify({ kind: 'info', topic: 'csv', title: `Loaded ${pts.length / 2} points from ${file.name}`, lines: [] });
    } catch (err) {
      const msg = `${file.name}: ${(err as Error).message}. Nothing was changed.`;
      setCsvError(msg);
      notify({ kind: 'error', topic: 'csv', title: 'The CSV file could not be read', lines: [msg] });
    }
  };

  return (
    <section className="panel data" aria-labelledby="data-title">
      <h2 id="data-title">Data</h2>
      <div className="thumbs">
        {PRESETS.map((name) => <Thumbnail key={name} name={name} />)}
      </div>
      <FieldControl name="dataset" />
      {dataset === 'custom' && (
        <div className="custom-data">
          <BrushCanvas />
          <div className="row">
            <span className="muted">{points ? `${points.length / 2} points` : 'no points yet'}</span>
            <button type="button" className="secondary" disabled={!points} onClick={() => useConfig.getState().setPoints(null)}>Clear points</button>
          </div>
          <FieldControl name="pointSmoothing" />
        </div>
      )}
      <label className="upload">
        <span>Upload a CSV of points (x,y per line)</span>
        <input type="file" accept=".csv,.txt,text/csv,text/plain" onChange={(e) => {
          const f = e.target.files?.[0];
          if (f) void onCsv(f);
          e.target.value = '';
        }} />
      </label>
      {csvError && <p className="field-error" role="alert">{csvError}</p>}
    </section>
  );
}
