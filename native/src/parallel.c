/*
 * The element-wise kernels run between OpenBLAS calls, so they may use the same number of threads as
 * OpenBLAS (openblas_get_num_threads(), i.e. OPENBLAS_NUM_THREADS as the machine sets it). We start plain
 * pthreads per call and join them instead of keeping a spinning pool: a pool that spins between calls
 * would compete with OpenBLAS's own workers on a small machine. Thread start-up (~tens of µs) is only paid
 * for loops of at least `min_parallel` elements, where one pass takes milliseconds.
 */
#define _GNU_SOURCE
#include "parallel.h"
#include <cblas.h>
#include <pthread.h>

typedef struct {
  void (*body)(void *, size_t, size_t, int);
  void *ctx;
  size_t begin, end;
  int worker;
} Job;

static void *run_job(void *arg) {
  Job *job = (Job *)arg;
  job->body(job->ctx, job->begin, job->end, job->worker);
  return NULL;
}

int px_parallel_for(size_t n, size_t min_parallel, void (*body)(void *, size_t, size_t, int), void *ctx) {
  int workers = openblas_get_num_threads();
  if (workers > PX_MAX_WORKERS) workers = PX_MAX_WORKERS;
  if (workers < 1) workers = 1;
  if (n < min_parallel || workers == 1) {
    body(ctx, 0, n, 0);
    return 1;
  }
  Job jobs[PX_MAX_WORKERS];
  pthread_t threads[PX_MAX_WORKERS];
  int started[PX_MAX_WORKERS] = {0};
  for (int w = 0; w < workers; w++) {
    jobs[w] = (Job){body, ctx, n * (size_t)w / (size_t)workers, n * (size_t)(w + 1) / (size_t)workers, w};
  }
  for (int w = 1; w < workers; w++) started[w] = pthread_create(&threads[w], NULL, run_job, &jobs[w]) == 0;
  body(ctx, jobs[0].begin, jobs[0].end, 0);
  for (int w = 1; w < workers; w++) {
    if (started[w]) pthread_join(threads[w], NULL);
    else body(ctx, jobs[w].begin, jobs[w].end, w); /* could not start a thread: do that range here */
  }
  return workers;
}
