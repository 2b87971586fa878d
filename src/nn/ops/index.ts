export { add, sub, mul, div, mask, type Operand } from "./binary.ts";
export { exp, log, sigmoid, tanh, relu, leakyRelu, elu, softplus, square, sqrt, abs, neg, scale, addScalar, logSigmoid } from "./unary.ts";
export { sum, mean, type ReduceOptions } from "./reduce.ts";
export { reshape, transpose, concat, slice, gatherColumns, detach } from "./shape.ts";
export { matmul, linear, ACTIVATIONS, type Activation, type ActivationOptions } from "./matmul.ts";
export { mse, linearMse } from "./loss.ts";
