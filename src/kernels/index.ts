// Kernels: loops over flat typed arrays (and ndarray views for layout). No tensors, no gradients;
// the layers above import them from here.
export { allocate, dtypeOf, sizeOf, rowMajorStrides, sameShape, view, isPacked, packed, packedCopy, copyStrided, broadcastView, packedAs, broadcastShapes, permuted, aroundAxis, unravelIndex } from "./layout.js";
export type { DType, Data, FloatData } from "./layout.js";
export { neg, exp, log, sqrt, abs, sign, tanh, relu, notAtMostZero, sigmoid, softplus, add, sub, mul, div, pow, maximum, minimum, less, greater, equal, secondIsZero, zeroBaseNonNegativeExponent, select, clamp, inside, kernelFor, perDType } from "./elementwise.js";
export type { Unary, Binary, FloatDTypeName, PerDType } from "./elementwise.js";
export { sumRows, sumColumns, maxRows, minRows, argmaxRows, argminRows, equalOrBothNaN, logsumexpRows } from "./reduce.js";
export { softmaxAlong, temperedSoftmaxAlong, logSoftmaxAlong, softmaxBackwardAlong, shiftedPerturbationAlong, setWasmSoftmax, softmaxRowsReference, softmaxBackwardRowsReference, shiftedPerturbationReference } from "./softmax.js";
export { softmaxRowsWasm, softmaxBackwardRowsWasm, shiftedPerturbationRowsWasm, wasmSoftmaxAvailable, wasmExpInPlace } from "./softmaxWasm.js";
export { exp32 } from "./exp32.js";
export { squaredNormsOfRows, distancesFromProducts } from "./distances.js";
export { packedOperand, copyOut } from "./matrixOperand.js";
export type { MatrixOperand } from "./matrixOperand.js";
export { matmulKernel, matmulSmall, setWasmMatmul, matmulStrided, matmulReference } from "./matmul.js";
export { wasmMatmulAvailable, matmulWasm, wasmMatmulMemoryBytes } from "./matmulWasm.js";
export { gumbelWasm, wasmGumbelAvailable } from "./gumbelWasm.js";
export { log32 } from "./log32.js";
export { withWasm, setWasmElementwise, wasmElementwiseAvailable } from "./elementwiseWasm.js";
export type { ArithmeticOp } from "./elementwiseWasm.js";
