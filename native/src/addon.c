/*
 * PersonaX numeric addon: thin N-API wrappers over OpenBLAS (CBLAS) and LAPACKE, plus the element-wise
 * kernels of elementwise.c. Every function works on caller-owned typed arrays (no copies, no allocation
 * visible to JavaScript) and checks that each array is long enough for the dimensions it is given, so a
 * wrong call throws a RangeError instead of reading out of bounds. The TypeScript side
 * (src/linalg/native.ts) adapts these to the `Kernels` interface shared with the portable fallback.
 */
#define NAPI_VERSION 8
#include <node_api.h>
#include <cblas.h>
#include <lapacke.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "elementwise.h"
#include "parallel.h"

/* Loops shorter than this run on one thread (a pass over 256k floats takes well under a millisecond). */
#define MIN_PARALLEL ((size_t)1 << 18)

#define MAX_ARGS 16
#define CHECK(call)                                                              \
  do {                                                                           \
    if ((call) != napi_ok) {                                                     \
      napi_throw_error(env, NULL, "personax native: N-API call failed: " #call); \
      return NULL;                                                               \
    }                                                                            \
  } while (0)

typedef struct {
  napi_env env;
  napi_value argv[MAX_ARGS];
  size_t argc;
  int failed;
} Args;

static void fail(Args *a, const char *message) {
  if (!a->failed) napi_throw_range_error(a->env, NULL, message);
  a->failed = 1;
}

static double num(Args *a, size_t i) {
  double value = 0;
  if (a->failed) return 0;
  if (i >= a->argc || napi_get_value_double(a->env, a->argv[i], &value) != napi_ok) fail(a, "personax native: expected a number argument");
  return value;
}

static int64_t dim(Args *a, size_t i) {
  double v = num(a, i);
  if (!a->failed && (v < 0 || v != (double)(int64_t)v)) fail(a, "personax native: dimensions must be non-negative integers");
  return (int64_t)v;
}

static int flag(Args *a, size_t i) {
  bool value = false;
  if (a->failed) return 0;
  if (i >= a->argc || napi_get_value_bool(a->env, a->argv[i], &value) != napi_ok) fail(a, "personax native: expected a boolean argument");
  return value ? 1 : 0;
}

/* Returns the data pointer of a typed array of the given type holding at least `need` elements. */
static void *typed(Args *a, size_t i, napi_typedarray_type want, int64_t need) {
  napi_typedarray_type type;
  size_t length = 0;
  void *data = NULL;
  bool is_typed = false;
  if (a->failed) return NULL;
  if (i >= a->argc || napi_is_typedarray(a->env, a->argv[i], &is_typed) != napi_ok || !is_typed) {
    fail(a, "personax native: expected a typed array argument");
    return NULL;
  }
  napi_get_typedarray_info(a->env, a->argv[i], &type, &length, &data, NULL, NULL);
  if (type != want) {
    fail(a, want == napi_float32_array ? "personax native: expected a Float32Array" : "personax native: expected a Float64Array");
    return NULL;
  }
  if ((int64_t)length < need) {
    fail(a, "personax native: typed array shorter than its dimensions require");
    return NULL;
  }
  return data;
}

/* A Float32Array argument that may be null/undefined/absent (an optional bias): NULL when it is missing. */
static float *optional_f32(Args *a, size_t i, int64_t need) {
  napi_valuetype type = napi_undefined;
  if (a->failed) return NULL;
  if (i < a->argc) napi_typeof(a->env, a->argv[i], &type);
  return type == napi_null || type == napi_undefined ? NULL : (float *)typed(a, i, napi_float32_array, need);
}

static int read_args(napi_env env, napi_callback_info info, Args *a) {
  a->env = env;
  a->argc = MAX_ARGS;
  a->failed = 0;
  if (napi_get_cb_info(env, info, &a->argc, a->argv, NULL, NULL) != napi_ok) {
    napi_throw_error(env, NULL, "personax native: cannot read arguments");
    return 0;
  }
  return 1;
}

static napi_value make_int(napi_env env, int64_t v) {
  napi_value out;
  napi_create_int64(env, v, &out);
  return out;
}

/* Storage needed by a row-major operand of logical size rows×cols (after op) with leading dimension ld. */
static int64_t need(int trans, int64_t rows, int64_t cols, int64_t ld) {
  int64_t stored_rows = trans ? cols : rows;
  return stored_rows == 0 ? 0 : (stored_rows - 1) * ld + (trans ? rows : cols);
}

/* OpenBLAS implements beta = 0 as a pass that scales C by 0 before accumulating alpha·op(A)·op(B) into it,
 * and that pass is slow for a large C (measured: ~5 ms of a 95 ms 8500×1024×512 sgemm on this 2-core Zen 4,
 * where memset of the same 35 MB takes ~0.7 ms). So for a large C the wrapper clears it with memset and calls
 * GEMM with beta = 1: the same arithmetic (0 + the same accumulation, bit for bit), NaN/Inf in the old C
 * ignored as beta = 0 requires. */
typedef struct { void *c; size_t row_bytes, stride_bytes; } ZeroJob;
static void zero_rows(void *ctx, size_t begin, size_t end, int worker) {
  (void)worker;
  ZeroJob *z = (ZeroJob *)ctx;
  char *base = (char *)z->c;
  if (z->row_bytes == z->stride_bytes) {
    memset(base + begin * z->stride_bytes, 0, (end - begin) * z->row_bytes);
  } else {
    for (size_t i = begin; i < end; i++) memset(base + i * z->stride_bytes, 0, z->row_bytes);
  }
}

/* gemm(transA, transB, m, n, k, alpha, A, lda, B, ldb, beta, C, ldc): C = alpha·op(A)·op(B) + beta·C. */
#define GEMM_WRAPPER(NAME, TYPE, ARRAY, CALL)                                                            \
  static napi_value NAME(napi_env env, napi_callback_info info) {                                        \
    Args a;                                                                                              \
    if (!read_args(env, info, &a)) return NULL;                                                          \
    int ta = flag(&a, 0), tb = flag(&a, 1);                                                              \
    int64_t m = dim(&a, 2), n = dim(&a, 3), k = dim(&a, 4);                                              \
    double alpha = num(&a, 5);                                                                           \
    int64_t lda = dim(&a, 7), ldb = dim(&a, 9), ldc = dim(&a, 12);                                       \
    double beta = num(&a, 10);                                                                           \
    TYPE *A = (TYPE *)typed(&a, 6, ARRAY, need(ta, m, k, lda));                                          \
    TYPE *B = (TYPE *)typed(&a, 8, ARRAY, need(tb, k, n, ldb));                                          \
    TYPE *C = (TYPE *)typed(&a, 11, ARRAY, need(0, m, n, ldc));                                          \
    if (a.failed) return NULL;                                                                           \
    if (lda < (ta ? m : k) || ldb < (tb ? k : n) || ldc < n) {                                           \
      napi_throw_range_error(env, NULL, "personax native: leading dimension smaller than the row length"); \
      return NULL;                                                                                       \
    }                                                                                                    \
    if (m == 0 || n == 0) return NULL;                                                                   \
    if (beta == 0 && (size_t)m * (size_t)n >= MIN_PARALLEL) {                                            \
      /* Same result, faster: see zero_rows. */                                                          \
      ZeroJob zero = {C, (size_t)n * sizeof(TYPE), (size_t)ldc * sizeof(TYPE)};                          \
      px_parallel_for((size_t)m, MIN_PARALLEL / (size_t)n + 1, zero_rows, &zero);                        \
      beta = 1;                                                                                          \
    }                                                                                                    \
    CALL(CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans, (int)m, (int)n,  \
         (int)k, (TYPE)alpha, A, (int)(lda ? lda : 1), B, (int)(ldb ? ldb : 1), (TYPE)beta, C, (int)ldc);  \
    return NULL;                                                                                         \
  }

GEMM_WRAPPER(Sgemm, float, napi_float32_array, cblas_sgemm)
GEMM_WRAPPER(Dgemm, double, napi_float64_array, cblas_dgemm)

/* dsyevd(n, A, w) → info: eigenvalues ascending into w, eigenvectors as the columns of A (row-major). */
static napi_value Dsyevd(napi_env env, napi_callback_info info) {
  Args a;
  if (!read_args(env, info, &a)) return NULL;
  int64_t n = dim(&a, 0);
  double *A = (double *)typed(&a, 1, napi_float64_array, n * n);
  double *w = (double *)typed(&a, 2, napi_float64_array, n);
  if (a.failed) return NULL;
  if (n == 0) return make_int(env, 0);
  return make_int(env, LAPACKE_dsyevd(LAPACK_ROW_MAJOR, 'V', 'L', (lapack_int)n, A, (lapack_int)n, w));
}

/* dpotrf(n, A) → info: lower Cholesky factor in the lower triangle of A (upper triangle untouched). */
static napi_value Dpotrf(napi_env env, napi_callback_info info) {
  Args a;
  if (!read_args(env, info, &a)) return NULL;
  int64_t n = dim(&a, 0);
  double *A = (double *)typed(&a, 1, napi_float64_array, n * n);
  if (a.failed) return NULL;
  if (n == 0) return make_int(env, 0);
  return make_int(env, LAPACKE_dpotrf(LAPACK_ROW_MAJOR, 'L', (lapack_int)n, A, (lapack_int)n));
}

/* dpotrs(n, nrhs, L, B) → info: B ← A⁻¹B with A = LLᵀ (B is n×nrhs row-major). */
static napi_value Dpotrs(napi_env env, napi_callback_info info) {
  Args a;
  if (!read_args(env, info, &a)) return NULL;
  int64_t n = dim(&a, 0), nrhs = dim(&a, 1);
  double *L = (double *)typed(&a, 2, napi_float64_array, n * n);
  double *B = (double *)typed(&a, 3, napi_float64_array, n * nrhs);
  if (a.failed) return NULL;
  if (n == 0 || nrhs == 0) return make_int(env, 0);
  return make_int(env, LAPACKE_dpotrs(LAPACK_ROW_MAJOR, 'L', (lapack_int)n, (lapack_int)nrhs, L, (lapack_int)n, B,
                                      (lapack_int)nrhs));
}

/* dgesv(n, nrhs, A, B) → info: B ← A⁻¹B by LU with partial pivoting (A is overwritten). */
static napi_value Dgesv(napi_env env, napi_callback_info info) {
  Args a;
  if (!read_args(env, info, &a)) return NULL;
  int64_t n = dim(&a, 0), nrhs = dim(&a, 1);
  double *A = (double *)typed(&a, 2, napi_float64_array, n * n);
  double *B = (double *)typed(&a, 3, napi_float64_array, n * nrhs);
  if (a.failed) return NULL;
  if (n == 0 || nrhs == 0) return make_int(env, 0);
  lapack_int *pivots = (lapack_int *)malloc(sizeof(lapack_int) * (size_t)n);
  if (!pivots) {
    napi_throw_error(env, NULL, "personax native: out of memory");
    return NULL;
  }
  lapack_int result = LAPACKE_dgesv(LAPACK_ROW_MAJOR, (lapack_int)n, (lapack_int)nrhs, A, (lapack_int)n, pivots, B,
                                    (lapack_int)nrhs);
  free(pivots);
  return make_int(env, result);
}

typedef struct { float *y; size_t cols; const float *bias; int act; float alpha; } BiasActivationJob;
static void bias_activation_rows(void *ctx, size_t begin, size_t end, int worker) {
  (void)worker;
  BiasActivationJob *j = (BiasActivationJob *)ctx;
  px_bias_activation(j->y + begin * j->cols, end - begin, j->cols, j->bias, j->act, j->alpha);
}

/* biasActivation(y, rows, cols, bias | null, act, alpha) */
static napi_value BiasActivation(napi_env env, napi_callback_info info) {
  Args a;
  if (!read_args(env, info, &a)) return NULL;
  int64_t rows = dim(&a, 1), cols = dim(&a, 2);
  float *y = (float *)typed(&a, 0, napi_float32_array, rows * cols);
  float *bias = optional_f32(&a, 3, cols);
  int act = (int)num(&a, 4);
  double alpha = num(&a, 5);
  if (a.failed) return NULL;
  BiasActivationJob job = {y, (size_t)cols, bias, act, (float)alpha};
  px_parallel_for((size_t)rows, MIN_PARALLEL / (cols ? (size_t)cols : 1), bias_activation_rows, &job);
  return NULL;
}

typedef struct { float *dy; const float *y; size_t cols; int act; float alpha; float *bias_grad; float *partial; } BackwardJob;
static void activation_backward_rows(void *ctx, size_t begin, size_t end, int worker) {
  BackwardJob *j = (BackwardJob *)ctx;
  float *bias = j->bias_grad == NULL ? NULL : worker == 0 || j->partial == NULL ? j->bias_grad : j->partial + (size_t)worker * j->cols;
  px_activation_backward(j->dy + begin * j->cols, j->y + begin * j->cols, end - begin, j->cols, j->act, j->alpha, bias);
}

/* activationBackward(dy, y, rows, cols, act, alpha, biasGrad | null) */
static napi_value ActivationBackward(napi_env env, napi_callback_info info) {
  Args a;
  if (!read_args(env, info, &a)) return NULL;
  int64_t rows = dim(&a, 2), cols = dim(&a, 3);
  float *dy = (float *)typed(&a, 0, napi_float32_array, rows * cols);
  float *y = (float *)typed(&a, 1, napi_float32_array, rows * cols);
  int act = (int)num(&a, 4);
  double alpha = num(&a, 5);
  float *bias_grad = optional_f32(&a, 6, cols);
  if (a.failed) return NULL;
  /* Each extra worker sums its rows' bias gradient into a private buffer, added in worker order after
   * the join (deterministic for a given thread count). */
  float *partial = bias_grad ? (float *)calloc((size_t)cols * PX_MAX_WORKERS, sizeof(float)) : NULL;
  BackwardJob job = {dy, y, (size_t)cols, act, (float)alpha, bias_grad, partial};
  int workers = px_parallel_for((size_t)rows, MIN_PARALLEL / (cols ? (size_t)cols : 1), activation_backward_rows, &job);
  if (partial) {
    for (int w = 1; w < workers; w++)
      for (int64_t j = 0; j < cols; j++) bias_grad[j] += partial[(size_t)w * (size_t)cols + (size_t)j];
    free(partial);
  }
  return NULL;
}

typedef struct { float *param; const float *grad; float *m, *v; float lr, b1, b2, eps, bias1, bias2, wd; } AdamJob;
static void adam_range(void *ctx, size_t begin, size_t end, int worker) {
  (void)worker;
  AdamJob *j = (AdamJob *)ctx;
  px_adam(j->param + begin, j->grad + begin, j->m + begin, j->v + begin, end - begin, j->lr, j->b1, j->b2, j->eps, j->bias1, j->bias2, j->wd);
}

/* adam(param, grad, m, v, lr, beta1, beta2, eps, bias1, bias2, weightDecay) */
static napi_value Adam(napi_env env, napi_callback_info info) {
  Args a;
  if (!read_args(env, info, &a)) return NULL;
  size_t length = 0;
  napi_typedarray_type type;
  bool is_typed = false;
  if (a.argc < 11 || napi_is_typedarray(env, a.argv[0], &is_typed) != napi_ok || !is_typed) {
    napi_throw_range_error(env, NULL, "personax native: adam needs 11 arguments");
    return NULL;
  }
  napi_get_typedarray_info(env, a.argv[0], &type, &length, NULL, NULL, NULL);
  int64_t n = (int64_t)length;
  float *param = (float *)typed(&a, 0, napi_float32_array, n);
  float *grad = (float *)typed(&a, 1, napi_float32_array, n);
  float *m = (float *)typed(&a, 2, napi_float32_array, n);
  float *v = (float *)typed(&a, 3, napi_float32_array, n);
  double lr = num(&a, 4), b1 = num(&a, 5), b2 = num(&a, 6), eps = num(&a, 7), bias1 = num(&a, 8), bias2 = num(&a, 9),
         wd = num(&a, 10);
  if (a.failed) return NULL;
  AdamJob job = {param, grad, m, v, (float)lr, (float)b1, (float)b2, (float)eps, (float)bias1, (float)bias2, (float)wd};
  px_parallel_for((size_t)n, MIN_PARALLEL, adam_range, &job);
  return NULL;
}

typedef struct { const float *a, *b; double partial[PX_MAX_WORKERS]; } SquaredErrorJob;
static void squared_error_range(void *ctx, size_t begin, size_t end, int worker) {
  SquaredErrorJob *j = (SquaredErrorJob *)ctx;
  j->partial[worker] = px_squared_error_sum(j->a + begin, j->b + begin, end - begin);
}

/* squaredErrorSum(a, b, n) → Σ (a − b)² */
static napi_value SquaredErrorSum(napi_env env, napi_callback_info info) {
  Args a;
  if (!read_args(env, info, &a)) return NULL;
  int64_t n = dim(&a, 2);
  float *x = (float *)typed(&a, 0, napi_float32_array, n);
  float *y = (float *)typed(&a, 1, napi_float32_array, n);
  if (a.failed) return NULL;
  SquaredErrorJob job = {x, y, {0}};
  int workers = px_parallel_for((size_t)n, MIN_PARALLEL, squared_error_range, &job);
  double total = 0.0;
  for (int w = 0; w < workers; w++) total += job.partial[w];
  napi_value out;
  napi_create_double(env, total, &out);
  return out;
}

typedef struct { const float *a, *b; float scale; float *out; int accumulate; } ScaledDifferenceJob;
static void scaled_difference_range(void *ctx, size_t begin, size_t end, int worker) {
  (void)worker;
  ScaledDifferenceJob *j = (ScaledDifferenceJob *)ctx;
  px_scaled_difference(j->a + begin, j->b + begin, j->scale, j->out + begin, end - begin, j->accumulate);
}

/* scaledDifference(a, b, scale, out, n, accumulate): out (+)= scale · (a − b) */
static napi_value ScaledDifference(napi_env env, napi_callback_info info) {
  Args a;
  if (!read_args(env, info, &a)) return NULL;
  int64_t n = dim(&a, 4);
  float *x = (float *)typed(&a, 0, napi_float32_array, n);
  float *y = (float *)typed(&a, 1, napi_float32_array, n);
  double scale = num(&a, 2);
  float *out = (float *)typed(&a, 3, napi_float32_array, n);
  int accumulate = flag(&a, 5);
  if (a.failed) return NULL;
  ScaledDifferenceJob job = {x, y, (float)scale, out, accumulate};
  px_parallel_for((size_t)n, MIN_PARALLEL, scaled_difference_range, &job);
  return NULL;
}

typedef struct { float *out; size_t cols; const float *bias, *target; } BiasMinusTargetJob;
static void bias_minus_target_rows(void *ctx, size_t begin, size_t end, int worker) {
  (void)worker;
  BiasMinusTargetJob *j = (BiasMinusTargetJob *)ctx;
  px_bias_minus_target(j->out + begin * j->cols, end - begin, j->cols, j->bias, j->target + begin * j->cols);
}

/* biasMinusTarget(out, rows, cols, bias | null, target): out = bias − target (bias broadcast over rows) */
static napi_value BiasMinusTarget(napi_env env, napi_callback_info info) {
  Args a;
  if (!read_args(env, info, &a)) return NULL;
  int64_t rows = dim(&a, 1), cols = dim(&a, 2);
  float *out = (float *)typed(&a, 0, napi_float32_array, rows * cols);
  float *bias = optional_f32(&a, 3, cols);
  float *target = (float *)typed(&a, 4, napi_float32_array, rows * cols);
  if (a.failed) return NULL;
  BiasMinusTargetJob job = {out, (size_t)cols, bias, target};
  px_parallel_for((size_t)rows, MIN_PARALLEL / (cols ? (size_t)cols : 1), bias_minus_target_rows, &job);
  return NULL;
}

typedef struct { const float *d; size_t cols; float *col_sums, *partial; double total[PX_MAX_WORKERS]; } SquaredSumColumnsJob;
static void squared_sum_columns_rows(void *ctx, size_t begin, size_t end, int worker) {
  SquaredSumColumnsJob *j = (SquaredSumColumnsJob *)ctx;
  float *sums = j->col_sums == NULL ? NULL : worker == 0 || j->partial == NULL ? j->col_sums : j->partial + (size_t)worker * j->cols;
  j->total[worker] = px_squared_sum_columns(j->d + begin * j->cols, end - begin, j->cols, sums);
}

/* squaredSumColumns(d, rows, cols, colSums | null) → Σ d²; colSums[j] += Σ_i d[i, j] */
static napi_value SquaredSumColumns(napi_env env, napi_callback_info info) {
  Args a;
  if (!read_args(env, info, &a)) return NULL;
  int64_t rows = dim(&a, 1), cols = dim(&a, 2);
  float *d = (float *)typed(&a, 0, napi_float32_array, rows * cols);
  napi_valuetype sums_type = napi_null;
  if (a.argc > 3) napi_typeof(env, a.argv[3], &sums_type);
  float *col_sums = sums_type == napi_null || sums_type == napi_undefined ? NULL : (float *)typed(&a, 3, napi_float32_array, cols);
  if (a.failed) return NULL;
  /* As activationBackward: extra workers sum their rows' columns privately, added in worker order after the join. */
  float *partial = col_sums ? (float *)calloc((size_t)cols * PX_MAX_WORKERS, sizeof(float)) : NULL;
  SquaredSumColumnsJob job = {d, (size_t)cols, col_sums, partial, {0}};
  int workers = px_parallel_for((size_t)rows, MIN_PARALLEL / (cols ? (size_t)cols : 1), squared_sum_columns_rows, &job);
  if (partial) {
    for (int w = 1; w < workers; w++)
      for (int64_t j = 0; j < cols; j++) col_sums[j] += partial[(size_t)w * (size_t)cols + (size_t)j];
    free(partial);
  }
  double total = 0.0;
  for (int w = 0; w < workers; w++) total += job.total[w];
  napi_value out;
  napi_create_double(env, total, &out);
  return out;
}

static napi_value Threads(napi_env env, napi_callback_info info) {
  (void)info;
  return make_int(env, openblas_get_num_threads());
}

/* The kernel set OpenBLAS chose (or was told by OPENBLAS_CORETYPE), e.g. "Haswell", "SkylakeX". */
static napi_value BlasCore(napi_env env, napi_callback_info info) {
  (void)info;
  napi_value out;
  napi_create_string_utf8(env, openblas_get_corename(), NAPI_AUTO_LENGTH, &out);
  return out;
}

static napi_value Init(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
      {"sgemm", NULL, Sgemm, NULL, NULL, NULL, napi_enumerable, NULL},
      {"dgemm", NULL, Dgemm, NULL, NULL, NULL, napi_enumerable, NULL},
      {"dsyevd", NULL, Dsyevd, NULL, NULL, NULL, napi_enumerable, NULL},
      {"dpotrf", NULL, Dpotrf, NULL, NULL, NULL, napi_enumerable, NULL},
      {"dpotrs", NULL, Dpotrs, NULL, NULL, NULL, napi_enumerable, NULL},
      {"dgesv", NULL, Dgesv, NULL, NULL, NULL, napi_enumerable, NULL},
      {"biasActivation", NULL, BiasActivation, NULL, NULL, NULL, napi_enumerable, NULL},
      {"activationBackward", NULL, ActivationBackward, NULL, NULL, NULL, napi_enumerable, NULL},
      {"adam", NULL, Adam, NULL, NULL, NULL, napi_enumerable, NULL},
      {"squaredErrorSum", NULL, SquaredErrorSum, NULL, NULL, NULL, napi_enumerable, NULL},
      {"scaledDifference", NULL, ScaledDifference, NULL, NULL, NULL, napi_enumerable, NULL},
      {"biasMinusTarget", NULL, BiasMinusTarget, NULL, NULL, NULL, napi_enumerable, NULL},
      {"squaredSumColumns", NULL, SquaredSumColumns, NULL, NULL, NULL, napi_enumerable, NULL},
      {"threads", NULL, Threads, NULL, NULL, NULL, napi_enumerable, NULL},
      {"blasCore", NULL, BlasCore, NULL, NULL, NULL, napi_enumerable, NULL},
  };
  CHECK(napi_define_properties(env, exports, sizeof(props) / sizeof(props[0]), props));
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, Init)
