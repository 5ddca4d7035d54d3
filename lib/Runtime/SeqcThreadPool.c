/*===- SeqcThreadPool.c - The context's persistent worker threads ---------===*
 *
 * A recurrent model forks and joins once per time step, thousands of times a
 * call, each fork a few microseconds of work: the workers are created once,
 * with the context, and wait for work spinning before they sleep, so that a
 * fork costs a store and a join a load while a call is running.
 *
 * The split is static: of n items, thread k takes [k n / T, (k+1) n / T).
 * The same thread then reads the same slice of the weights at every step,
 * and that slice stays in its core's cache (the reason to thread a batch-1
 * recurrence at all).
 *
 *===----------------------------------------------------------------------===*/

/* clock_gettime, sched_getcpu and the affinity calls under -std=c11: the
 * runtime is for Linux (glibc or musl). */
#define _GNU_SOURCE

#include "seqc/Runtime/SeqcRuntime.h"

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <time.h>

/* How long a waiting thread spins before it sleeps: far longer than the
 * gap between two steps' forks, and than a caller's gap between two calls
 * made back to back (waking a sleeping thread took 30-50 us on the project's
 * virtual machines: more than a small model's whole call), yet short against
 * the gap between the calls of a streaming application. The clock is read
 * once per kSpinCheck loads. */
enum { kSpinNanoseconds = 500 * 1000, kSpinCheck = 256 };
/* At most this many clock reads per spin, should the clock fail; and the
 * caller's loads of `unfinished` before it yields its core while it joins. */
enum { kMaxSpinChecks = 1 << 14, kJoinSpins = 1 << 14 };

/* The runtime is bitcode compiled once and retargeted to each model's
 * target, so no pthread object's size may be built into it: the mutex and
 * the condition variable live in storage larger than either is on any
 * 64-bit Linux or Darwin ABI (at most 64 and 48 bytes); pthread_t is
 * pointer-sized on all of them. */
typedef struct sync_storage {
  _Alignas(16) unsigned char bytes[128];
} sync_storage;
_Static_assert(sizeof(pthread_mutex_t) <= sizeof(sync_storage), "mutex storage");
_Static_assert(sizeof(pthread_cond_t) <= sizeof(sync_storage), "cond storage");
_Static_assert(sizeof(pthread_t) == sizeof(void *), "pthread_t");

struct seqc_pool {
  int32_t num_threads; /* the caller's thread included */
  pthread_t *workers;  /* num_threads - 1, from calloc */
  sync_storage lock_storage, wake_storage;
  /* The job: published by the increment of `generation`. */
  seqc_parallel_body body;
  void *env;
  int64_t n;
  _Atomic uint64_t generation;
  _Atomic int32_t unfinished; /* workers still running the current job */
  _Atomic int32_t sleeping;   /* workers waiting on `wake` */
  uint64_t alarms;            /* wake-ups without a job; under `lock` */
  int32_t caller_cpu;         /* where the last call began; -1 before one */
  _Atomic int32_t stopping;
};

#define LOCK(pool) ((pthread_mutex_t *)(pool)->lock_storage.bytes)
#define WAKE(pool) ((pthread_cond_t *)(pool)->wake_storage.bytes)

typedef struct worker_start {
  seqc_pool *pool;
  int32_t index;
} worker_start;

/* Set while a thread runs a job's body: a parallel_for inside it runs
 * serially on that thread. */
static _Thread_local int inside_job;

static void run_slice(seqc_pool *pool, int32_t index) {
  int64_t n = pool->n, threads = pool->num_threads;
  int64_t begin = n / threads * index + (index < n % threads ? index : n % threads);
  int64_t end = begin + n / threads + (index < n % threads);
  if (begin < end) {
    inside_job = 1;
    pool->body(begin, end, pool->env);
    inside_job = 0;
  }
}

static int64_t monotonic_ns(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

/* Waits until `generation` differs from `seen` or the pool stops; returns
 * the new generation. A sleeper woken by seqc_rt_pool_begin_call spins again. */
static uint64_t wait_for_job(seqc_pool *pool, uint64_t seen) {
  while (1) {
    int64_t spinning_since = monotonic_ns();
    int checks = 0;
    do {
      for (int i = 0; i < kSpinCheck; ++i) {
        uint64_t now =
            atomic_load_explicit(&pool->generation, memory_order_acquire);
        if (now != seen ||
            atomic_load_explicit(&pool->stopping, memory_order_relaxed))
          return now;
      }
    } while (++checks < kMaxSpinChecks &&
             monotonic_ns() - spinning_since < kSpinNanoseconds);
    pthread_mutex_lock(LOCK(pool));
    atomic_fetch_add(&pool->sleeping, 1);
    uint64_t alarms = pool->alarms, now;
    while ((now = atomic_load(&pool->generation)) == seen &&
           !atomic_load(&pool->stopping) && pool->alarms == alarms)
      pthread_cond_wait(WAKE(pool), LOCK(pool));
    atomic_fetch_sub(&pool->sleeping, 1);
    pthread_mutex_unlock(LOCK(pool));
    if (now != seen || atomic_load(&pool->stopping))
      return now;
  }
}

/* The workers may run anywhere the caller may, except on the caller's CPU.
 * Without it Linux at times woke a sleeping worker onto the CPU where the
 * caller was spinning in its join, and the two then took turns at the
 * scheduler's tick: ~1 ms per fork instead of microseconds, until the
 * balancer moved one (seen on the project's 2-core virtual machines). */
static void keep_workers_off(seqc_pool *pool, int cpu) {
  cpu_set_t allowed;
  if (sched_getaffinity(0, sizeof(allowed), &allowed) != 0 ||
      CPU_COUNT(&allowed) < 2 || !CPU_ISSET(cpu, &allowed))
    return;
  CPU_CLR(cpu, &allowed);
  for (int32_t i = 0; i + 1 < pool->num_threads; ++i)
    pthread_setaffinity_np(pool->workers[i], sizeof(allowed), &allowed);
}

void seqc_rt_pool_begin_call(seqc_pool *pool) {
  if (!pool)
    return;
  int cpu = sched_getcpu();
  if (cpu >= 0 && cpu < CPU_SETSIZE && cpu != pool->caller_cpu) {
    keep_workers_off(pool, cpu);
    pool->caller_cpu = cpu;
  }
  if (atomic_load(&pool->sleeping) == 0)
    return;
  pthread_mutex_lock(LOCK(pool));
  ++pool->alarms;
  pthread_cond_broadcast(WAKE(pool));
  pthread_mutex_unlock(LOCK(pool));
}

static void *worker_main(void *arg) {
  worker_start start = *(worker_start *)arg;
  free(arg);
  seqc_pool *pool = start.pool;
  uint64_t seen = 0;
  while (1) {
    seen = wait_for_job(pool, seen);
    if (atomic_load(&pool->stopping))
      return NULL;
    run_slice(pool, start.index);
    atomic_fetch_sub_explicit(&pool->unfinished, 1, memory_order_release);
  }
}

seqc_pool *seqc_rt_pool_create(int32_t num_threads) {
  if (num_threads < 2)
    return NULL;
  seqc_pool *pool = (seqc_pool *)calloc(1, sizeof(seqc_pool));
  if (!pool)
    return NULL;
  pool->workers = (pthread_t *)calloc((size_t)num_threads - 1, sizeof(pthread_t));
  if (!pool->workers || pthread_mutex_init(LOCK(pool), NULL) != 0) {
    free(pool->workers);
    free(pool);
    return NULL;
  }
  pthread_cond_init(WAKE(pool), NULL);
  pool->num_threads = 1;
  pool->caller_cpu = -1;
  for (int32_t i = 1; i < num_threads; ++i) {
    worker_start *start = (worker_start *)malloc(sizeof(worker_start));
    if (!start)
      break;
    start->pool = pool;
    start->index = i;
    if (pthread_create(&pool->workers[i - 1], NULL, worker_main, start) != 0) {
      free(start);
      break;
    }
    pool->num_threads = i + 1;
  }
  /* Fewer threads than asked (the system refused more): the pool works with
   * those it has. */
  return pool;
}

void seqc_rt_pool_destroy(seqc_pool *pool) {
  if (!pool)
    return;
  pthread_mutex_lock(LOCK(pool));
  atomic_store(&pool->stopping, 1);
  pthread_cond_broadcast(WAKE(pool));
  pthread_mutex_unlock(LOCK(pool));
  for (int32_t i = 0; i + 1 < pool->num_threads; ++i)
    pthread_join(pool->workers[i], NULL);
  pthread_cond_destroy(WAKE(pool));
  pthread_mutex_destroy(LOCK(pool));
  free(pool->workers);
  free(pool);
}

int32_t seqc_rt_pool_size(const seqc_pool *pool) {
  return pool ? pool->num_threads : 1;
}

int32_t seqc_rt_pool_width(const seqc_pool *pool) {
  return inside_job ? 1 : seqc_rt_pool_size(pool);
}

void seqc_rt_pool_parallel_for(seqc_pool *pool, int64_t n,
                               seqc_parallel_body body, void *env) {
  if (n <= 0)
    return;
  if (!pool || pool->num_threads < 2 || n == 1 || inside_job) {
    body(0, n, env);
    return;
  }
  pool->body = body;
  pool->env = env;
  pool->n = n;
  atomic_store_explicit(&pool->unfinished, pool->num_threads - 1,
                        memory_order_relaxed);
  /* Publishes the job; the workers that went to sleep need a signal, taken
   * under the lock so that none checks, misses it and sleeps. Both this
   * increment and the load after it are sequentially consistent, like a
   * sleeper's increment of `sleeping` and its load of `generation`: one of
   * the two sides sees the other's store. */
  atomic_fetch_add(&pool->generation, 1);
  if (atomic_load(&pool->sleeping) > 0) {
    pthread_mutex_lock(LOCK(pool));
    pthread_cond_broadcast(WAKE(pool));
    pthread_mutex_unlock(LOCK(pool));
  }
  run_slice(pool, 0);
  /* A worker that lost its core (more threads than cores) is waited for
   * without holding on to this one. */
  for (int spins = 0;
       atomic_load_explicit(&pool->unfinished, memory_order_acquire) > 0;)
    if (++spins > kJoinSpins)
      sched_yield();
}
