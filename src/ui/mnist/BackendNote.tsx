// Where digits can train (every backend; on WASM the U-Net brings its own conv2d filter gradient), how many
// WASM threads run, and how slow a U-Net is without a GPU, with a one-click smaller batch.
import { useConfig } from '../../state/configStore';
import { isSoftwareRendering, useRun } from '../../state/runStore';

const SMALL_BATCH = 4;

export function BackendNote() {
  const backend = useRun((s) => s.backend);
  const adapter = useRun((s) => s.adapter);
  const msPerStep = useRun((s) => s.msPerStep);
  const batchSize = useConfig((s) => s.config.batchSize);
  const model = useConfig((s) => s.config.model);
  const software = isSoftwareRendering(backend, adapter);
  return (
    <div className={`mnist-note${software ? ' is-warning' : ''}`} role="note" aria-label="Image backend note">
      <p>
        Image training runs on every backend: WebGPU or WebGL on a graphics card, and on the CPU through WASM, where
        tfjs 4.22 has no gradient for conv2d filters and the U-Net brings its own.
        {backend && <> Running on <strong>{backend}</strong>{adapter ? ` (${adapter})` : ''}.</>}
      </p>
      {software && (
        <p>
          <strong>No GPU here:</strong> every U-Net call runs in software, so a training step of the {model} model at batch {batchSize}{' '}
          {msPerStep > 0 ? `takes ${(msPerStep / 1000).toFixed(1)} s here` : backend === 'wasm' ? 'takes a second or more (a unet step at batch 64 about 1 s on a 2-core CPU with both threads, 1.7 s on one; unet-large about 1.5x that)' : 'can take a minute or more'},
          each digit drawn costs up to a second, and every quality evaluation takes minutes.
          The pretrained models show what training on a GPU gives; to train here, use a small batch (or the unet-tiny model)
          {backend === 'wasm' ? '.' : ', or pick the WASM backend, which ran a default U-Net step at batch 64 in about 1 s on a 2-core CPU (both threads).'}{' '}
          {batchSize > SMALL_BATCH && (
            <button type="button" className="secondary" onClick={() => useConfig.getState().setField('batchSize', SMALL_BATCH)}>
              Use batch size {SMALL_BATCH}
            </button>
          )}
        </p>
      )}
    </div>
  );
}
