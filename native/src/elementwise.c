#include "elementwise.h"
#include <math.h>

/* y[i, j] = act(y[i, j] + bias[j]) in place; y holds x·Wᵀ from the GEMM. bias may be NULL. */
void px_bias_activation(float *y, size_t rows, size_t cols, const float *bias, int act, float alpha) {
  for (size_t i = 0; i < rows; i++) {
    float *row = y + i * cols;
    if (bias) {
      for (size_t j = 0; j < cols; j++) row[j] += bias[j];
    }
    switch (act) {
      case ACT_RELU:
        for (size_t j = 0; j < cols; j++) row[j] = row[j] > 0.0f ? row[j] : 0.0f;
        break;
      case ACT_LEAKY_RELU:
        for (size_t j = 0; j < cols; j++) row[j] = row[j] > 0.0f ? row[j] : alpha * row[j];
        break;
      case ACT_ELU:
        for (size_t j = 0; j < cols; j++) row[j] = row[j] > 0.0f ? row[j] : alpha * expm1f(row[j]);
        break;
      case ACT_SIGMOID:
        for (size_t j = 0; j < cols; j++) row[j] = 1.0f / (1.0f + expf(-row[j]));
        break;
      default:
        break;
    }
  }
}

/* out = dy · act'(pre), written with the activation's OUTPUT y (ELU: y + alpha for y <= 0, sigmoid:
 * y(1 - y)); accumulate != 0 adds into out instead of overwriting it. */
void px_activation_grad(const float *dy, const float *y, float *out, size_t n, int act, float alpha, int accumulate) {
  for (size_t i = 0; i < n; i++) {
    float d;
    switch (act) {
      case ACT_RELU: d = y[i] > 0.0f ? dy[i] : 0.0f; break;
      case ACT_LEAKY_RELU: d = y[i] > 0.0f ? dy[i] : alpha * dy[i]; break;
      case ACT_ELU: d = y[i] > 0.0f ? dy[i] : dy[i] * (y[i] + alpha); break;
      case ACT_SIGMOID: d = dy[i] * y[i] * (1.0f - y[i]); break;
      default: d = dy[i]; break;
    }
    out[i] = accumulate ? out[i] + d : d;
  }
}

/* out[j] += Σ_i x[i, j] (the bias gradient). */
void px_column_sums(const float *x, size_t rows, size_t cols, float *out) {
  for (size_t i = 0; i < rows; i++) {
    const float *row = x + i * cols;
    for (size_t j = 0; j < cols; j++) out[j] += row[j];
  }
}

/* One Adam step (Kingma & Ba 2015, Algorithm 1) in the form torch.optim.Adam uses: bias1 = 1 - beta1^t,
 * bias2 = 1 - beta2^t, denominator sqrt(v / bias2) + eps; weight_decay adds L2 to the gradient (torch's
 * non-decoupled weight_decay). */
void px_adam(float *param, const float *grad, float *m, float *v, size_t n, float lr, float beta1, float beta2,
             float eps, float bias1, float bias2, float weight_decay) {
  const float step = lr / bias1;
  const float inv_sqrt_bias2 = 1.0f / sqrtf(bias2);
  for (size_t i = 0; i < n; i++) {
    float g = grad[i] + weight_decay * param[i];
    m[i] = beta1 * m[i] + (1.0f - beta1) * g;
    v[i] = beta2 * v[i] + (1.0f - beta2) * g * g;
    param[i] -= step * m[i] / (sqrtf(v[i]) * inv_sqrt_bias2 + eps);
  }
}
