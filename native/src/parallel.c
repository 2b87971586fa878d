/*
 * The element-wise kernels run between OpenBLAS calls, so they may use the same number of threads as
 * OpenBLAS (openblas_get_num_threads(), i.e. OPENBLAS_NUM_THREADS as the machine sets it). Helper threads
 * are kept in a small pool that BLOCKS on a condition variable between calls (a pool that spun between
 * calls would compete with OpenBLAS's own workers on a small machine); waking one costs a futex call
 * (a few µs) where starting and joining a fresh pthread per call cost ~50 µs, paid ~200 times per
 * CelebPersona-sized training step. One caller at a time owns the pool; a concurrent caller (another
 * Node worker thread) falls back to fresh pthreads. Work is only split for loops of at least
 * `min_parallel` elements, where one pass takes milliseconds.
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

/* The pool: helper w (1..PX_MAX_WORKERS-1) runs jobs[w] each time `generation` advances while w < active. */
static pthread_mutex_t pool_owner = PTHREAD_MUTEX_INITIALIZER; /* held by the caller using the pool */
static pthread_mutex_t pool_lock = PTHREAD_MUTEX_INITIALIZER;  /* guards the fields below */
static pthread_cond_t pool_start = PTHREAD_COND_INITIALIZER;
static pthread_cond_t pool_done = PTHREAD_COND_INITIALIZER;
static Job pool_jobs[PX_MAX_WORKERS];
static unsigned long pool_generation = 0;
static int pool_active = 0;  /* workers taking part in the current generation (helpers are 1..active-1) */
static int pool_pending = 0; /* helpers of the current generation not finished yet */
static int pool_helpers = 0; /* helpers started so far (they live until the process exits) */

static void *pool_helper(void *arg) {
  int w = (int)(size_t)arg;
  unsigned long seen = 0;
  pthread_mutex_lock(&pool_lock);
  for (;;) {
    while (pool_generation == seen) pthread_cond_wait(&pool_start, &pool_lock);
    seen = pool_generation;
    if (w >= pool_active) continue;
    Job job = pool_jobs[w];
    pthread_mutex_unlock(&pool_lock);
    run_job(&job);
    pthread_mutex_lock(&pool_lock);
    if (--pool_pending == 0) pthread_cond_signal(&pool_done);
  }
  return NULL;
}

/* Runs jobs[1..workers-1] on pool helpers (started on first use) while the caller runs jobs[0]. Returns 0
 * when the pool is busy with another caller or a helper cannot be started (the caller then uses fresh threads). */
static int run_on_pool(Job *jobs, int workers) {
  if (pthread_mutex_trylock(&pool_owner) != 0) return 0;
  pthread_mutex_lock(&pool_lock);
  while (pool_helpers < workers - 1) {
    pthread_t thread;
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    int failed = pthread_create(&thread, &attr, pool_helper, (void *)(size_t)(pool_helpers + 1));
    pthread_attr_destroy(&attr);
    if (failed) break;
    pool_helpers++;
  }
  if (pool_helpers < workers - 1) {
    pthread_mutex_unlock(&pool_lock);
    pthread_mutex_unlock(&pool_owner);
    return 0;
  }
  for (int w = 1; w < workers; w++) pool_jobs[w] = jobs[w];
  pool_active = workers;
  pool_pending = workers - 1;
  pool_generation++;
  pthread_cond_broadcast(&pool_start);
  pthread_mutex_unlock(&pool_lock);
  run_job(&jobs[0]);
  pthread_mutex_lock(&pool_lock);
  while (pool_pending > 0) pthread_cond_wait(&pool_done, &pool_lock);
  pthread_mutex_unlock(&pool_lock);
  pthread_mutex_unlock(&pool_owner);
  return 1;
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
  for (int w = 0; w < workers; w++) {
    jobs[w] = (Job){body, ctx, n * (size_t)w / (size_t)workers, n * (size_t)(w + 1) / (size_t)workers, w};
  }
  if (run_on_pool(jobs, workers)) return workers;
  pthread_t threads[PX_MAX_WORKERS];
  int started[PX_MAX_WORKERS] = {0};
  for (int w = 1; w < workers; w++) started[w] = pthread_create(&threads[w], NULL, run_job, &jobs[w]) == 0;
  run_job(&jobs[0]);
  for (int w = 1; w < workers; w++) {
    if (started[w]) pthread_join(threads[w], NULL);
    else run_job(&jobs[w]); /* could not start a thread: do that range here */
  }
  return workers;
}
