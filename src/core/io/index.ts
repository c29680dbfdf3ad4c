// Weight and checkpoint containers: safetensors (read/write), torch legacy and zip (read).
export { readSafetensors, writeSafetensors, SafetensorsError, type SafetensorsFile, type TensorToWrite } from './safetensors';
export { detectWeightFormat, readTorchStateDict, readWeightFile, WeightFileError, type WeightFormat } from './weightFile';
export { readTorchLegacy, readTorchZip } from './torch/containers';
export { TorchFormatError } from './torch/tensors';
export { ZipError } from './zip';
export { PickleError } from './torch/pickle';
export { sha256Hex } from './sha256';
export { toFloat32, type DType, type HostTensor, type TensorData } from './tensor';
