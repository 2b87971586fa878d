/* Splitting large element-wise loops over a few short-lived threads (see parallel.c). */
#ifndef PERSONAX_PARALLEL_H
#define PERSONAX_PARALLEL_H
#include <stddef.h>

#define PX_MAX_WORKERS 8

/* Calls body(ctx, begin, end, worker) on consecutive ranges covering [0, n), one per worker; worker 0 runs
 * on the calling thread. Uses one range when n < min_parallel or only one thread is configured. Returns
 * the number of workers used. Ranges depend only on n and the thread count, so results are deterministic. */
int px_parallel_for(size_t n, size_t min_parallel, void (*body)(void *ctx, size_t begin, size_t end, int worker), void *ctx);
#endif
