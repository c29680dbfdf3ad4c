// Pinned download sources for LPIPS weights, tried in order (lpips.md, "Where the weights come from").
// The app never bundles these files; the user's browser fetches them (or the user supplies them).

import type { WeightSource } from './download';
import type { LpipsNet } from './nets';

/** PerceptualSimilarity tag whose v0.1 lin files we pin (BSD-2-Clause). */
const LPIPS_TAG = 'v0.1.4';
const LIN_SHA256: Record<LpipsNet, string> = {
  squeeze: '4a5350f23600cb79923ce65bb07cbf57dca461329894153e05a1346bd531cf76',
  alex: 'df73285e35b22355a2df87cdb6b70b343713b667eddbda73e1977e0c860835c0',
  vgg: 'a78928a0af1e5f0fcb1f3b9e8f8c3a2a5a3de244d830ad5c1feddc79b8432868',
};

function linSources(net: LpipsNet): WeightSource[] {
  const path = `lpips/weights/v0.1/${net}.pth`;
  const sha256 = LIN_SHA256[net];
  return [
    // jsDelivr's gh/ path serves GitHub files with CORS headers; raw GitHub is the fallback.
    { url: `https://cdn.jsdelivr.net/gh/richzhang/PerceptualSimilarity@${LPIPS_TAG}/${path}`, sha256 },
    { url: `https://raw.githubusercontent.com/richzhang/PerceptualSimilarity/${LPIPS_TAG}/${path}`, sha256 },
  ];
}

export const LPIPS_LIN_SOURCES: Readonly<Record<LpipsNet, WeightSource[]>> = {
  squeeze: linSources('squeeze'),
  alex: linSources('alex'),
  vgg: linSources('vgg'),
};

/** A features-only copy of torchvision's SqueezeNet 1.1 weights, pinned to one commit. */
const SQUEEZE_FEATURES_MIRROR = {
  repo: 'delldu/LPIPS',
  commit: '77473a15f51969d567c0e03bf31c7f116a152777',
  path: 'project/image_likeness/models/squeeze.backbone.pth',
  sha256: '435cedb387e95bc8291893f61a3a64f0345b8c23a05139aceef43947efb3d52d',
};

/**
 * Backbone weights (torchvision ImageNet weights: research use). The full torchvision checkpoints
 * prefix keys with 'features.' and add 'classifier.*', which the weight assembler strips / ignores.
 * AlexNet and VGG16 have no full SHA-256 pinned here, so they download as "unverified".
 */
export const LPIPS_BACKBONE_SOURCES: Readonly<Record<LpipsNet, WeightSource[]>> = {
  squeeze: [
    {
      url: 'https://download.pytorch.org/models/squeezenet1_1-b8a52dc0.pth',
      sha256: 'b8a52dc049b60e4b6ab68ad0df457362afab8b6304b2febdc1650a5dab4d7e7b',
    },
    {
      url: `https://cdn.jsdelivr.net/gh/${SQUEEZE_FEATURES_MIRROR.repo}@${SQUEEZE_FEATURES_MIRROR.commit}/${SQUEEZE_FEATURES_MIRROR.path}`,
      sha256: SQUEEZE_FEATURES_MIRROR.sha256,
    },
    {
      url: `https://raw.githubusercontent.com/${SQUEEZE_FEATURES_MIRROR.repo}/${SQUEEZE_FEATURES_MIRROR.commit}/${SQUEEZE_FEATURES_MIRROR.path}`,
      sha256: SQUEEZE_FEATURES_MIRROR.sha256,
    },
  ],
  alex: [{ url: 'https://download.pytorch.org/models/alexnet-owt-7be5be79.pth' }],
  vgg: [{ url: 'https://download.pytorch.org/models/vgg16-397923af.pth' }],
};

export const LPIPS_WEIGHT_TERMS =
  'LPIPS lin layers: BSD-2-Clause (Zhang et al., PerceptualSimilarity). Backbone: torchvision ImageNet weights, research use.';
