// Weight files whose SHA-256 we know (lpips.md; ../shared/lpips/README.md). A file with the right
// tensor names and shapes but another hash is still usable, labelled "unverified".

import type { LpipsNet } from './nets';

export interface KnownWeightFile {
  label: string;
  net: LpipsNet;
  provides: Array<'lin' | 'backbone'>;
}

export const KNOWN_LPIPS_FILES: Readonly<Record<string, KnownWeightFile>> = {
  '4a5350f23600cb79923ce65bb07cbf57dca461329894153e05a1346bd531cf76': {
    label: 'LPIPS v0.1 lin layers, SqueezeNet (PerceptualSimilarity v0.1.4)', net: 'squeeze', provides: ['lin'],
  },
  'df73285e35b22355a2df87cdb6b70b343713b667eddbda73e1977e0c860835c0': {
    label: 'LPIPS v0.1 lin layers, AlexNet (PerceptualSimilarity v0.1.4)', net: 'alex', provides: ['lin'],
  },
  'a78928a0af1e5f0fcb1f3b9e8f8c3a2a5a3de244d830ad5c1feddc79b8432868': {
    label: 'LPIPS v0.1 lin layers, VGG16 (PerceptualSimilarity v0.1.4)', net: 'vgg', provides: ['lin'],
  },
  'b8a52dc049b60e4b6ab68ad0df457362afab8b6304b2febdc1650a5dab4d7e7b': {
    label: 'torchvision squeezenet1_1-b8a52dc0.pth (ImageNet)', net: 'squeeze', provides: ['backbone'],
  },
  '435cedb387e95bc8291893f61a3a64f0345b8c23a05139aceef43947efb3d52d': {
    label: 'torchvision SqueezeNet 1.1 ImageNet weights, features only', net: 'squeeze', provides: ['backbone'],
  },
  'adec5c02d429069b6f16bab5a19fc0d713db8d144ea0e681991b66d446672efb': {
    label: 'LPIPS-squeeze v0.1 bundle (backbone + lin, safetensors)', net: 'squeeze', provides: ['backbone', 'lin'],
  },
};
