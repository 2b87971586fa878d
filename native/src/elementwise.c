/*
 * Element-wise kernels. Loops are written branch-free so GCC vectorises them, and each public function is
 * compiled for AVX-512, AVX2+FMA and baseline x86-64 (target_clones: the loader picks the best the CPU
 * has, so the addon stays portable). exp is a Cody–Waite range reduction plus a degree-6 polynomial
 * (Cephes expf's coefficients), within ~2 ulp of expf on the range used, vectorisable unlike libm's call.
 */
#include "elementwise.h"
#include <math.h>
#include <stdint.h>
#include <string.h>
#if defined(__x86_64__) && defined(__GNUC__)
#include <xmmintrin.h>
#endif

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define PX_CLONES __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#else
#define PX_CLONES
#endif

static inline float px_expf(float x) {
  /* Clamp to the finite float range: exp(-87.3) is the smallest normal, exp(88.7) the largest finite. */
  x = x < -87.3f ? -87.3f : x;
  x = x > 88.7f ? 88.7f : x;
  float n = floorf(x * 1.44269504088896341f + 0.5f);
  float r = x - n * 0.693359375f;
  r = r - n * -2.12194440e-4f;
  float r2 = r * r;
  float p = 1.9875691500E-4f;
  p = p * r + 1.3981999507E-3f;
  p = p * r + 8.3334519073E-3f;
  p = p * r + 4.1665795894E-2f;
  p = p * r + 1.6666665459E-1f;
  p = p * r + 5.0000001201E-1f;
  p = p * r2 + r + 1.0f;
  int32_t bits;
  memcpy(&bits, &p, sizeof bits);
  bits += (int32_t)n << 23;
  memcpy(&p, &bits, sizeof p);
  return p;
}

/* eˣ − 1 for x <= 0 (ELU's negative side) in one branch-free path, so it costs one polynomial instead of
 * two and a select: x = n·ln2 + r with n = round(x/ln2), |r| <= ln2/2 (Cody–Waite, as px_expf), then
 * eˣ − 1 = 2ⁿ·expm1(r) + (2ⁿ − 1), with expm1(r) = r + r²·P(r) and P the degree-4 minimax fit of
 * (expm1(r) − r)/r² for relative error on |r| <= ln2/2 (fitted in float64 by Lawson's iteration, 1.7e-8
 * relative before float32 rounding). For n = 0 this is the polynomial itself (no cancellation near 0); for
 * n < 0, 2ⁿ − 1 lies in [−1, −0.5] and the sum cannot cancel. Measured within 8e-8 relative of expm1 on
 * [−87.3, 0] (the earlier two-polynomial form: 5e-7) at ~45% of its cost. n is rounded by adding 1.5·2²³,
 * which leaves it in the low mantissa bits, where the exponent 2ⁿ is built from directly. The arithmetic
 * uses fmaf explicitly: a hardware FMA in the x86-64-v3/v4 clones and libm's correctly rounded fmaf in the
 * baseline clone, so every clone returns the same bits. Below −87.3 it returns −1 (to float precision). */
static inline float px_expm1f_nonpositive(float x) {
  const float shifter = 12582912.0f; /* 1.5·2²³ */
  x = x < -87.3f ? -87.3f : x;
  float t = fmaf(x, 1.44269504088896341f, shifter);
  float n = t - shifter; /* round(x/ln2), in [−126, 0] */
  float r = fmaf(n, -0.693359375f, x);
  r = fmaf(n, 2.12194440e-4f, r);
  float p = 1.388251083e-03f;
  p = fmaf(p, r, 8.366532624e-03f);
  p = fmaf(p, r, 4.166720062e-02f);
  p = fmaf(p, r, 1.666654348e-01f);
  p = fmaf(p, r, 4.999999702e-01f);
  p = fmaf(p, r * r, r); /* expm1(r) */
  uint32_t bits;
  memcpy(&bits, &t, sizeof bits);
  bits = (bits + 127u) << 23; /* t's low bits hold 2²² + n; shifted, only n + 127 remains: the bits of 2ⁿ */
  float s;
  memcpy(&s, &bits, sizeof s);
  return fmaf(s, p, s - 1.0f);
}

/* One pass per row: v = y + bias, then the activation (bias and activation fused to halve memory traffic). */
#define PX_ROW_LOOP(EXPR)                                             \
  for (size_t i = 0; i < rows; i++) {                                 \
    float *row = y + i * cols;                                        \
    if (bias) {                                                       \
      for (size_t j = 0; j < cols; j++) { float v = row[j] + bias[j]; row[j] = (EXPR); } \
    } else {                                                          \
      for (size_t j = 0; j < cols; j++) { float v = row[j]; row[j] = (EXPR); } \
    }                                                                 \
  }

/* y[i, j] = act(y[i, j] + bias[j]) in place; y holds x·Wᵀ from the GEMM. bias may be NULL. */
PX_CLONES void px_bias_activation(float *y, size_t rows, size_t cols, const float *bias, int act, float alpha) {
  switch (act) {
    case ACT_RELU: PX_ROW_LOOP(v > 0.0f ? v : 0.0f); break;
    case ACT_LEAKY_RELU: PX_ROW_LOOP(v > 0.0f ? v : alpha * v); break;
    case ACT_ELU: PX_ROW_LOOP(v > 0.0f ? v : alpha * px_expm1f_nonpositive(v < 0.0f ? v : 0.0f)); break;
    case ACT_SIGMOID: PX_ROW_LOOP(1.0f / (1.0f + px_expf(-v))); break;
    default: PX_ROW_LOOP(v); break;
  }
}

/* Backward of y = act(x·Wᵀ + b) in one pass: dy[i, j] ← dy[i, j] · act'(pre[i, j]) in place (computed
 * from the OUTPUT y: ELU y + alpha for y <= 0, sigmoid y(1 − y)), and bias_grad[j] += Σ_i of the new dy
 * when bias_grad is not NULL. */
#define PX_BACKWARD_LOOP(EXPR)                                                          \
  for (size_t i = 0; i < rows; i++) {                                                   \
    float *g = dy + i * cols;                                                           \
    const float *o = y + i * cols;                                                      \
    if (bias_grad) {                                                                    \
      for (size_t j = 0; j < cols; j++) { float d = g[j], v = o[j]; (void)v; d = (EXPR); g[j] = d; bias_grad[j] += d; } \
    } else {                                                                            \
      for (size_t j = 0; j < cols; j++) { float d = g[j], v = o[j]; (void)v; g[j] = (EXPR); } \
    }                                                                                   \
  }

PX_CLONES void px_activation_backward(float *dy, const float *y, size_t rows, size_t cols, int act, float alpha, float *bias_grad) {
  switch (act) {
    case ACT_RELU: PX_BACKWARD_LOOP(v > 0.0f ? d : 0.0f); break;
    case ACT_LEAKY_RELU: PX_BACKWARD_LOOP(v > 0.0f ? d : alpha * d); break;
    case ACT_ELU: PX_BACKWARD_LOOP(v > 0.0f ? d : d * (v + alpha)); break;
    case ACT_SIGMOID: PX_BACKWARD_LOOP(d * v * (1.0f - v)); break;
    default:
      /* No activation: dy is already dPre, so only the bias gradient is summed (no write-back pass). */
      if (bias_grad)
        for (size_t i = 0; i < rows; i++) {
          const float *g = dy + i * cols;
          for (size_t j = 0; j < cols; j++) bias_grad[j] += g[j];
        }
      break;
  }
}

/* One Adam step (Kingma & Ba 2015, Algorithm 1) in the form torch.optim.Adam uses: bias1 = 1 - beta1^t,
 * bias2 = 1 - beta2^t, denominator sqrt(v / bias2) + eps; weight_decay adds L2 to the gradient (torch's
 * non-decoupled weight_decay). */
PX_CLONES void px_adam(float *param, const float *grad, float *m, float *v, size_t n, float lr, float beta1, float beta2,
                       float eps, float bias1, float bias2, float weight_decay) {
  const float step = lr / bias1;
  const float inv_sqrt_bias2 = 1.0f / sqrtf(bias2);
  for (size_t i = 0; i < n; i++) {
    float g = grad[i] + weight_decay * param[i];
    float mi = beta1 * m[i] + (1.0f - beta1) * g;
    float vi = beta2 * v[i] + (1.0f - beta2) * g * g;
    m[i] = mi;
    v[i] = vi;
    param[i] -= step * mi / (sqrtf(vi) * inv_sqrt_bias2 + eps);
  }
}

/* Σ (a - b)², accumulated in double per block of 1024 floats (fast and accurate for large n). */
PX_CLONES double px_squared_error_sum(const float *a, const float *b, size_t n) {
  double total = 0.0;
  for (size_t start = 0; start < n; start += 1024) {
    size_t end = start + 1024 < n ? start + 1024 : n;
    float block = 0.0f;
#pragma omp simd reduction(+ : block)
    for (size_t i = start; i < end; i++) { float d = a[i] - b[i]; block += d * d; }
    total += block;
  }
  return total;
}

/* out = scale · (a - b), or out += scale · (a - b) when accumulate != 0. */
PX_CLONES void px_scaled_difference(const float *a, const float *b, float scale, float *out, size_t n, int accumulate) {
  if (accumulate) {
    for (size_t i = 0; i < n; i++) out[i] += scale * (a[i] - b[i]);
  } else {
    for (size_t i = 0; i < n; i++) out[i] = scale * (a[i] - b[i]);
  }
}

/* The element-wise halves of linearMse (src/nn/ops/loss.ts), the fused last linear layer + MSE loss of a
 * decoder. Before its GEMM: out[i, j] = bias[j] - target[i, j] (bias may be NULL), so that a GEMM with beta = 1
 * leaves the residual D = x·Wᵀ + bias - target in out (no zeroing pass, no separate subtraction pass).
 * out is written with non-temporal stores where available: it is tens of MB, read next by the GEMM from
 * memory anyway, and ordinary stores would first read every line of it into the cache (~20% more time
 * measured for a 35 MB out). The sfence makes the stores visible before the GEMM threads read them. */
PX_CLONES void px_bias_minus_target(float *restrict out, size_t rows, size_t cols, const float *restrict bias, const float *restrict target) {
  for (size_t i = 0; i < rows; i++) {
    float *restrict o = out + i * cols;
    const float *restrict t = target + i * cols;
    size_t j = 0;
#if defined(__x86_64__) && defined(__GNUC__)
    while (j < cols && ((uintptr_t)(o + j) & 15) != 0) { o[j] = (bias ? bias[j] : 0.0f) - t[j]; j++; }
    if (bias) {
      for (; j + 4 <= cols; j += 4) _mm_stream_ps(o + j, _mm_sub_ps(_mm_loadu_ps(bias + j), _mm_loadu_ps(t + j)));
    } else {
      for (; j + 4 <= cols; j += 4) _mm_stream_ps(o + j, _mm_sub_ps(_mm_setzero_ps(), _mm_loadu_ps(t + j)));
    }
#endif
    for (; j < cols; j++) o[j] = (bias ? bias[j] : 0.0f) - t[j];
  }
#if defined(__x86_64__) && defined(__GNUC__)
  _mm_sfence();
#endif
}

/* After the GEMM, one read-only pass over D: returns Σ D² (accumulated in double per block of at most 1024
 * floats) and adds the column sums of D into col_sums when it is not NULL (the bias gradient up to its scale). */
PX_CLONES double px_squared_sum_columns(const float *restrict d, size_t rows, size_t cols, float *restrict col_sums) {
  double total = 0.0;
  for (size_t i = 0; i < rows; i++) {
    const float *restrict row = d + i * cols;
    for (size_t start = 0; start < cols; start += 1024) {
      size_t end = start + 1024 < cols ? start + 1024 : cols;
      float block = 0.0f;
      if (col_sums) {
#pragma omp simd reduction(+ : block)
        for (size_t j = start; j < end; j++) { float v = row[j]; col_sums[j] += v; block += v * v; }
      } else {
#pragma omp simd reduction(+ : block)
        for (size_t j = start; j < end; j++) { float v = row[j]; block += v * v; }
      }
      total += block;
    }
  }
  return total;
}
