/* Element-wise kernels that dominate a training step once the GEMMs run in OpenBLAS. Each mirrors a
 * TypeScript twin in src/linalg/fallback/elementwise.ts; tests check both against each other. */
#ifndef PERSONAX_ELEMENTWISE_H
#define PERSONAX_ELEMENTWISE_H
#include <stddef.h>

/* Activation codes shared with src/linalg/kernels.ts (ACTIVATION_CODES). */
enum { ACT_NONE = 0, ACT_RELU = 1, ACT_LEAKY_RELU = 2, ACT_ELU = 3, ACT_SIGMOID = 4 };

void px_bias_activation(float *y, size_t rows, size_t cols, const float *bias, int act, float alpha);
void px_activation_backward(float *dy, const float *y, size_t rows, size_t cols, int act, float alpha, float *bias_grad);
void px_adam(float *param, const float *grad, float *m, float *v, size_t n, float lr, float beta1, float beta2,
             float eps, float bias1, float bias2, float weight_decay);
double px_squared_error_sum(const float *a, const float *b, size_t n);
void px_scaled_difference(const float *a, const float *b, float scale, float *out, size_t n, int accumulate);
void px_bias_minus_target(float *out, size_t rows, size_t cols, const float *bias, const float *target);
double px_squared_sum_columns(const float *d, size_t rows, size_t cols, float *col_sums);
#endif
