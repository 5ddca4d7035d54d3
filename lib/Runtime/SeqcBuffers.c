/*===- SeqcBuffers.c - The context's cache of a call's large buffers ------===*
 *
 * A recurrent model's kernel allocates the same buffers at every call: the
 * input projection of all steps (T x B x 4H floats: 32 MiB at T = 128,
 * B = 64, H = 256), the gates of a step, the carried state. malloc serves
 * a block that large with a fresh mmap, so every call page-faulted and
 * zeroed its buffers again (~15 ms of an 80 ms call; the memory was then
 * unmapped at the call's end). The context keeps them instead: a buffer of
 * at least kCachedBytes freed during a call stays mapped in one of the
 * context's slots and serves the next allocation it is large enough for.
 *
 * Smaller buffers come from the context's arena, a bump allocator emptied
 * at each call's start: a model of many small ops (silero-vad's chunk: ~40
 * buffers per call) spent a fifth of its call in malloc and free. The arena
 * is sized by what the previous call asked of it (at most kArenaMaxBytes);
 * what does not fit is malloc's.
 *
 * The kernels reach these functions through MLIR's generic allocation
 * functions (finalize-memref-to-llvm's use-generic-functions). Each block
 * starts with a header naming its slot, so a buffer is freed correctly on
 * any thread and whether or not a call is running.
 *
 *===----------------------------------------------------------------------===*/

#include "seqc/Runtime/SeqcRuntime.h"

#include <stddef.h>
#include <stdlib.h>

/* Below this, malloc reuses its own heap without new pages. */
enum { kCachedBytes = 64 * 1024 };
/* Every block is aligned to, and starts with a header of, this many bytes:
 * the returned buffer is then as aligned as any vector load needs. */
enum { kHeaderBytes = 64 };
/* The largest arena a context keeps. */
enum { kArenaMaxBytes = 4 << 20 };
/* The header's slot of an arena block (freed with the arena). */
enum { kArenaSlot = -1 };

typedef struct slot {
  char *block;     /* NULL: empty */
  size_t capacity; /* bytes after the header */
  int in_use;
} slot;

struct seqc_buffers {
  slot slots[SEQC_BUFFER_SLOTS];
  char *arena;        /* NULL until a call asks for one */
  size_t arena_bytes; /* its size */
  size_t arena_used;  /* by this call */
  size_t arena_asked; /* by this call, whether it fitted or not */
};

typedef struct header {
  seqc_buffers *owner; /* NULL: a block of malloc's own, not cached */
  int32_t slot;        /* kArenaSlot: in owner's arena */
} header;
_Static_assert(sizeof(header) <= kHeaderBytes, "header");

/* The buffers of the context whose call this thread is running. */
static _Thread_local seqc_buffers *current_buffers;

seqc_buffers *seqc_rt_buffers_create(void) {
  return (seqc_buffers *)calloc(1, sizeof(seqc_buffers));
}

void seqc_rt_buffers_destroy(seqc_buffers *buffers) {
  if (!buffers)
    return;
  for (int i = 0; i < SEQC_BUFFER_SLOTS; ++i)
    free(buffers->slots[i].block);
  free(buffers->arena);
  free(buffers);
}

/* At a call's start: the arena is empty, and as large as the last call
 * asked (within kArenaMaxBytes). */
static void reset_arena(seqc_buffers *buffers) {
  size_t asked = buffers->arena_asked;
  if (asked > buffers->arena_bytes) {
    free(buffers->arena);
    buffers->arena = (char *)aligned_alloc(kHeaderBytes, asked);
    buffers->arena_bytes = buffers->arena ? asked : 0;
  }
  buffers->arena_used = 0;
  buffers->arena_asked = 0;
}

seqc_buffers *seqc_rt_buffers_enter(seqc_buffers *buffers) {
  seqc_buffers *outer = current_buffers;
  /* No buffer outlives a call: the slots a failed call left taken are
   * free again, and the arena empty. */
  if (buffers) {
    for (int i = 0; i < SEQC_BUFFER_SLOTS; ++i)
      buffers->slots[i].in_use = 0;
    reset_arena(buffers);
  }
  current_buffers = buffers;
  return outer;
}

void seqc_rt_buffers_leave(seqc_buffers *outer) { current_buffers = outer; }

size_t seqc_rt_buffers_cached_bytes(const seqc_buffers *buffers) {
  size_t bytes = 0;
  for (int i = 0; buffers && i < SEQC_BUFFER_SLOTS; ++i)
    bytes += buffers->slots[i].block ? buffers->slots[i].capacity : 0;
  return bytes;
}

/* A block of kHeaderBytes + capacity bytes (capacity rounded up to the
 * alignment, as aligned_alloc requires), its header written. */
static char *new_block(size_t capacity, seqc_buffers *owner, int32_t index) {
  char *block = (char *)aligned_alloc(kHeaderBytes, kHeaderBytes + capacity);
  if (block) {
    header *h = (header *)block;
    h->owner = owner;
    h->slot = index;
  }
  return block;
}

/* How much a free slot too small for a request is worth replacing: the
 * largest such block first (most likely a smaller call's buffer the next
 * ones outgrew), then an empty slot. */
static size_t replace_rank(const slot *s) {
  return s->block ? s->capacity + 1 : 0;
}

/* The free slot that fits `size` most tightly (*fits = 1); else the free
 * slot to replace; -1 when every slot is taken. */
static int pick_slot(const seqc_buffers *buffers, size_t size, int *fits) {
  int best = -1, replace = -1;
  for (int i = 0; i < SEQC_BUFFER_SLOTS; ++i) {
    const slot *s = &buffers->slots[i];
    if (s->in_use)
      continue;
    if (s->block && s->capacity >= size) {
      if (best < 0 || s->capacity < buffers->slots[best].capacity)
        best = i;
    } else if (replace < 0 ||
               replace_rank(s) > replace_rank(&buffers->slots[replace])) {
      replace = i;
    }
  }
  *fits = best >= 0;
  return best >= 0 ? best : replace;
}

/* A block of the arena; NULL when it is full. */
static void *arena_alloc(seqc_buffers *buffers, size_t capacity) {
  size_t bytes = kHeaderBytes + capacity;
  buffers->arena_asked += bytes;
  if (buffers->arena_asked > kArenaMaxBytes)
    buffers->arena_asked = kArenaMaxBytes;
  if (buffers->arena_bytes - buffers->arena_used < bytes)
    return NULL;
  char *block = buffers->arena + buffers->arena_used;
  buffers->arena_used += bytes;
  header *h = (header *)block;
  h->owner = buffers;
  h->slot = kArenaSlot;
  return block + kHeaderBytes;
}

void *_mlir_memref_to_llvm_alloc(size_t size) {
  if (size > (size_t)-1 / 2)
    return NULL; /* the rounding below would wrap */
  size_t capacity = (size + kHeaderBytes - 1) / kHeaderBytes * kHeaderBytes;
  seqc_buffers *buffers = current_buffers;
  if (buffers && size < kCachedBytes) {
    void *buffer = arena_alloc(buffers, capacity);
    if (buffer)
      return buffer;
  }
  int fits = 0;
  int index = buffers && size >= kCachedBytes ? pick_slot(buffers, size, &fits)
                                              : -1;
  if (index < 0) {
    char *block = new_block(capacity, NULL, -1);
    return block ? block + kHeaderBytes : NULL;
  }
  slot *s = &buffers->slots[index];
  if (!fits) {
    free(s->block);
    s->capacity = 0;
    s->block = new_block(capacity, buffers, index);
    if (!s->block)
      return NULL;
    s->capacity = capacity;
  }
  s->in_use = 1;
  return s->block + kHeaderBytes;
}

void *_mlir_memref_to_llvm_aligned_alloc(size_t alignment, size_t size) {
  /* Every buffer is aligned to kHeaderBytes; MLIR asks for no more. */
  return alignment <= kHeaderBytes ? _mlir_memref_to_llvm_alloc(size) : NULL;
}

void _mlir_memref_to_llvm_free(void *buffer) {
  if (!buffer)
    return;
  char *block = (char *)buffer - kHeaderBytes;
  header *h = (header *)block;
  if (!h->owner)
    free(block);
  else if (h->slot != kArenaSlot)
    h->owner->slots[h->slot].in_use = 0;
}
