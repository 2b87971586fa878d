/**
 * PersonaX nn: float32 tensors with reverse-mode autodiff, layers, Adam and checkpoints,
 * running on src/linalg (OpenBLAS addon, or the portable fallback).
 *
 * Tensors (tensor.ts)
 *   new Tensor(data: Float32Array, shape, requiresGrad?)      row-major; t.shape, t.size, t.data, t.grad
 *   Tensor.from(values, shape?, requiresGrad?) / zeros / full / scalar / uniform(shape, lo, hi, rng) / normal(shape, mean, std, rng)
 *   t.rows, t.cols (2-D), t.item(), t.toArray(), t.detach() (stop-gradient), t.clone()
 *   loss.backward()            scalar loss; grads ACCUMULATE into leaves (zero them with optimizer.zeroGrad());
 *                              the graph is freed afterwards (intermediates' grads are null; a second backward throws)
 *   noGrad(() => …)            evaluate without recording the graph
 *   const arena = new StepArena(); arena.step(() => { …forward, backward… })   reuse op-output memory between
 *                              training steps (no page faults); tensors of the previous step expire (reading them throws)
 *
 * Ops (ops/, all differentiable; a plain number is a constant operand)
 *   add, sub, mul, div          NumPy broadcasting ([n, m] with [m], [n, 1], [1, m], scalars, …)
 *   mask(x, m)                  x·m with a constant mask (no gradient into m), e.g. a strictly lower-triangular adjacency mask
 *   exp, log, sigmoid, tanh, relu, leakyRelu(x, 0.01), elu(x, 1), softplus, logSigmoid, square, sqrt, abs, neg,
 *   scale(x, c), addScalar(x, c)
 *   sum(x, axis?, { keepDims }), mean(x, axis?, { keepDims })   axis: number | number[] | omitted (all → scalar)
 *   matmul(a, b)                2-D
 *   linear(x, W[out, in], b | null, activation?, { negativeSlope, eluAlpha })   fused act(x·Wᵀ + b)
 *   concat([a, b, …], axis = -1), slice(x, axis, start, end), gatherColumns(x, indices), reshape, transpose, detach
 *   mse(pred, target)           mean squared error over all elements
 *   linearMse(h, W, b | null, target)   fused mse(linear(h, W, b), target): one GEMM + one pass, no output tensor
 *
 * Modules (PyTorch-like; parameters registered explicitly by name → checkpoint keys "layers.0.weight")
 *   class M extends Module { w = this.param("w", Tensor…); sub = this.module("sub", new Linear(…)) }
 *   m.parameters(), m.namedParameters(), m.parameterCount(), m.zeroGrad(), m.stateDict(), m.loadStateDict(state)
 *   new Linear(in, out, rng, { bias = true, init: "torch" | "kaiming" | "xavier" | "zeros" }).forward(x, activation?)
 *   new MLP([in, h1, …, out], rng, { activation = "relu", finalActivation = "none", negativeSlope, eluAlpha, init, finalInit })
 *     .forward(x); .forwardHidden(x) (all layers but the last); .mseLoss(x, target) (= mse(forward(x), target), last layer fused)
 *   activations: "none" | "relu" | "leaky_relu" | "elu" | "sigmoid" | "tanh"
 *
 * Optimisation
 *   const opt = new Adam(model.parameters(), { lr = 1e-3, betas = [0.9, 0.999], eps = 1e-8, weightDecay = 0 })
 *   opt.zeroGrad(); loss.backward(); opt.step();      new StepLR(opt, stepSize, gamma = 0.1).step() once per epoch
 *
 * Checkpoints (safetensors format: 8-byte LE header length, JSON header, raw little-endian data)
 *   await saveCheckpoint(path, model | model.stateDict(), metadata?);  await loadModule(model, path)  (or loadCheckpoint(path) → { tensors, metadata })
 *
 * Backend: setNnLinalg(fallbackLinalg | nativeLinalg()!) switches the path (tests); default = linalgBackend().
 * Randomness only from a passed-in seeded Rng (src/util/rng.ts): same seed + same backend and thread count → same run.
 */
export { Tensor, StepArena, noGrad, releaseGradientPool } from "./tensor.ts";
export * from "./ops/index.ts";
export { Module } from "./module.ts";
export { Linear, type LinearInit, type LinearOptions } from "./linear.ts";
export { MLP, Sequence, type MlpOptions } from "./mlp.ts";
export { Optimizer, Adam, StepLR, type AdamOptions } from "./optim.ts";
export { saveCheckpoint, loadCheckpoint, loadModule, encodeSafetensors, decodeSafetensors, type Checkpoint, type StoredTensor } from "./checkpoint.ts";
export { setNnLinalg, nnLinalg } from "./backend.ts";
