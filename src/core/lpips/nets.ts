// The three LPIPS backbones as data: torchvision `features` indices, layer shapes in state-dict order,
// and the forward program with its tap points (post-ReLU activations the LPIPS head compares).

export type LpipsNet = 'squeeze' | 'alex' | 'vgg';
export const LPIPS_NETS: readonly LpipsNet[] = ['squeeze', 'alex', 'vgg'];

/** One step of a backbone's forward pass, in torchvision's `features` order. */
export type BackboneOp =
  | { op: 'conv'; key: string; stride: number; pad: number } // conv + bias + ReLU
  | { op: 'fire'; key: string } // SqueezeNet Fire module (three convs, each + ReLU)
  | { op: 'maxpool'; size: number; stride: number; ceil: boolean }
  | { op: 'tap' };

export interface NetSpec {
  /** Channels at each tap; also the lin layers' sizes. */
  tapChannels: number[];
  /** Backbone parameters in torchvision state-dict order (OIHW conv weights, then biases). */
  params: Array<[name: string, shape: number[]]>;
  program: BackboneOp[];
  /** Smallest input side the backbone accepts. */
  minSize: number;
}

const conv = (key: string, stride = 1, pad = 1): BackboneOp => ({ op: 'conv', key, stride, pad });
const fire = (key: string): BackboneOp => ({ op: 'fire', key });
const pool = (size: number, stride: number, ceil = false): BackboneOp => ({ op: 'maxpool', size, stride, ceil });
const tap: BackboneOp = { op: 'tap' };

function convParams(key: string, out: number, inC: number, k: number): Array<[string, number[]]> {
  return [[`${key}.weight`, [out, inC, k, k]], [`${key}.bias`, [out]]];
}

/** Fire sizes (in, squeeze, expand) of SqueezeNet 1.1, keyed by features index. */
const FIRES: Array<[string, number, number, number]> = [
  ['3', 64, 16, 64], ['4', 128, 16, 64], ['6', 128, 32, 128], ['7', 256, 32, 128],
  ['9', 256, 48, 192], ['10', 384, 48, 192], ['11', 384, 64, 256], ['12', 512, 64, 256],
];

const squeeze: NetSpec = {
  tapChannels: [64, 128, 256, 384, 384, 512, 512],
  params: [
    ...convParams('0', 64, 3, 3),
    ...FIRES.flatMap(([key, inC, s, e]) => [
      ...convParams(`${key}.squeeze`, s, inC, 1),
      ...convParams(`${key}.expand1x1`, e, s, 1),
      ...convParams(`${key}.expand3x3`, e, s, 3),
    ]),
  ],
  program: [
    conv('0', 2, 0), tap,
    pool(3, 2, true), fire('3'), fire('4'), tap,
    pool(3, 2, true), fire('6'), fire('7'), tap,
    pool(3, 2, true), fire('9'), tap,
    fire('10'), tap,
    fire('11'), tap,
    fire('12'), tap,
  ],
  // The third ceil-mode pool needs an input of at least 2 px (torch refuses smaller).
  minSize: 17,
};

const alex: NetSpec = {
  tapChannels: [64, 192, 384, 256, 256],
  params: [
    ...convParams('0', 64, 3, 11), ...convParams('3', 192, 64, 5), ...convParams('6', 384, 192, 3),
    ...convParams('8', 256, 384, 3), ...convParams('10', 256, 256, 3),
  ],
  program: [
    conv('0', 4, 2), tap,
    pool(3, 2), conv('3', 1, 2), tap,
    pool(3, 2), conv('6'), tap,
    conv('8'), tap,
    conv('10'), tap,
  ],
  minSize: 31,
};

const VGG_CONVS: Array<[string, number, number]> = [
  ['0', 64, 3], ['2', 64, 64], ['5', 128, 64], ['7', 128, 128], ['10', 256, 128], ['12', 256, 256],
  ['14', 256, 256], ['17', 512, 256], ['19', 512, 512], ['21', 512, 512], ['24', 512, 512],
  ['26', 512, 512], ['28', 512, 512],
];

const vgg: NetSpec = {
  tapChannels: [64, 128, 256, 512, 512],
  params: VGG_CONVS.flatMap(([key, out, inC]) => convParams(key, out, inC, 3)),
  program: [
    conv('0'), conv('2'), tap, // relu1_2
    pool(2, 2), conv('5'), conv('7'), tap, // relu2_2
    pool(2, 2), conv('10'), conv('12'), conv('14'), tap, // relu3_3
    pool(2, 2), conv('17'), conv('19'), conv('21'), tap, // relu4_3
    pool(2, 2), conv('24'), conv('26'), conv('28'), tap, // relu5_3
  ],
  minSize: 16,
};

export const NET_SPECS: Record<LpipsNet, NetSpec> = { squeeze, alex, vgg };

/** Lin layer key in the LPIPS v0.1 files (model.0 is an inactive Dropout). */
export const linKey = (l: number): string => `lin${l}.model.1.weight`;
