// An arena for one document's parse. cmark-gfm allocates every node, buffer and list of a
// parse through its parser's `cmark_mem` (calloc, realloc, free), one call each, and freeing a
// document walks every node again: on a cold run over nodejs.org about a twentieth of the CPU,
// in the allocator and in cmark's frees. Here they are bump allocations in chunks that the next
// document reuses: a document is never freed node by node, its arena is reset.
//
// A `cmark_mem` has no context pointer, so each arena takes one of REVIEW_ARENA_SLOTS slots,
// each with its own three functions; where all are taken, review_arena_new gives none and the
// parse uses cmark-gfm's own allocator. An arena is used by one thread at a time (its owner,
// MarkdownParser, hands each to one parse at a time).
//
// Allocations are 8-byte aligned (cmark-gfm's structures hold pointers and ints), each after an
// 8-byte header holding its size; one over REVIEW_ARENA_LARGE gets a block of its own from the C
// library, grown by realloc and freed when cmark frees it or at the reset. A free of the last allocation takes it back; a realloc
// of the last allocation grows it in place where its chunk has room. An allocation that fails
// aborts, as cmark-gfm's own allocator does (its callers never check).
#include "CmarkArena.h"
#include <cmark-gfm.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define REVIEW_ARENA_CHUNK ((size_t)256 * 1024)
#define REVIEW_ARENA_LARGE ((size_t)64 * 1024)
// Chunks kept, at most, for the documents after (any arena's): an arena keeps its first chunk
// (most documents take less), and gives its others to one pool that all arenas take from, so
// a large document reuses the memory an earlier one used whichever thread parsed it (memory
// freed to the C library came back untouched: every page of it faulted in again).
#define REVIEW_ARENA_POOLED ((size_t)16 * 1024 * 1024)
#define REVIEW_ARENA_SLOTS 32
// The header's low bit: an allocation with a block of its own (sizes are multiples of 8).
#define REVIEW_ARENA_OWN ((uint64_t)1)

typedef struct review_arena_block {
    struct review_arena_block *next;
    size_t size;  // bytes after this header
} review_arena_block;

struct review_arena {
    int slot;
    review_arena_block *chunks;   // in the order they are filled
    review_arena_block *current;  // the chunk being filled (NULL: none yet)
    unsigned char *cursor;        // its free bytes: cursor ..< end
    unsigned char *end;
    unsigned char *last;          // the last allocation in it, or NULL
    review_arena_block *large;    // allocations with blocks of their own
};

static review_arena *review_arena_slots[REVIEW_ARENA_SLOTS];

// The chunks no arena is using (at most REVIEW_ARENA_POOLED bytes of them).
static pthread_mutex_t pool_lock = PTHREAD_MUTEX_INITIALIZER;
static review_arena_block *pool;
static size_t pooled;

static unsigned char *data(review_arena_block *block) { return (unsigned char *)(block + 1); }

static void free_blocks(review_arena_block *block) {
    while (block) {
        review_arena_block *next = block->next;
        free(block);
        block = next;
    }
}

static uint64_t header_of(void *pointer) {
    uint64_t value;
    memcpy(&value, (unsigned char *)pointer - 8, 8);
    return value;
}

static void *allocate(review_arena *arena, size_t count) {
    if (!arena || count > (size_t)1 << 40) abort();
    size_t rounded = (count + 7) & ~(size_t)7;
    uint64_t header = (uint64_t)rounded;
    if (rounded > REVIEW_ARENA_LARGE) {
        review_arena_block *block = malloc(sizeof(review_arena_block) + 8 + rounded);
        if (!block) abort();
        block->size = 8 + rounded;
        block->next = arena->large;
        arena->large = block;
        header |= REVIEW_ARENA_OWN;
        memcpy(data(block), &header, 8);
        return data(block) + 8;
    }
    if (!arena->cursor || (size_t)(arena->end - arena->cursor) < 8 + rounded) {
        review_arena_block *next = arena->current ? arena->current->next : arena->chunks;
        if (!next) {
            pthread_mutex_lock(&pool_lock);
            next = pool;
            if (next) {
                pool = next->next;
                pooled -= next->size;
            }
            pthread_mutex_unlock(&pool_lock);
            if (!next) {
                next = malloc(sizeof(review_arena_block) + REVIEW_ARENA_CHUNK);
                if (!next) abort();
                next->size = REVIEW_ARENA_CHUNK;
            }
            next->next = NULL;
            if (arena->current) arena->current->next = next; else arena->chunks = next;
        }
        arena->current = next;
        arena->cursor = data(next);
        arena->end = arena->cursor + next->size;
    }
    unsigned char *at = arena->cursor;
    memcpy(at, &header, 8);
    arena->cursor = at + 8 + rounded;
    arena->last = at + 8;
    return at + 8;
}

static void release(review_arena *arena, void *pointer) {
    if (!pointer) return;
    if (!arena) abort();
    if (header_of(pointer) & REVIEW_ARENA_OWN) {
        for (review_arena_block **link = &arena->large; *link; link = &(*link)->next) {
            if (data(*link) + 8 == (unsigned char *)pointer) {
                review_arena_block *block = *link;
                *link = block->next;
                free(block);
                return;
            }
        }
        abort();  // not one of this arena's
    }
    if ((unsigned char *)pointer == arena->last) {
        arena->cursor = (unsigned char *)pointer - 8;
        arena->last = NULL;
    }
}

static void *allocate_zeroed(review_arena *arena, size_t count, size_t size) {
    if (size != 0 && count > SIZE_MAX / size) abort();
    void *pointer = allocate(arena, count * size);
    memset(pointer, 0, count * size);
    return pointer;
}

static void *reallocate(review_arena *arena, void *pointer, size_t size) {
    if (!pointer) return allocate(arena, size);
    if (!arena) abort();
    uint64_t header = header_of(pointer);
    size_t old = (size_t)(header & ~(uint64_t)7);
    size_t rounded = (size + 7) & ~(size_t)7;
    if (!(header & REVIEW_ARENA_OWN)) {
        if (rounded <= old) return pointer;
        if ((unsigned char *)pointer == arena->last && rounded <= REVIEW_ARENA_LARGE
            && (size_t)(arena->end - (unsigned char *)pointer) >= rounded) {
            uint64_t grown = (uint64_t)rounded;
            memcpy((unsigned char *)pointer - 8, &grown, 8);
            arena->cursor = (unsigned char *)pointer + rounded;
            return pointer;
        }
    }
    if ((header & REVIEW_ARENA_OWN) && rounded > REVIEW_ARENA_LARGE) {
        // A block of its own stays one, grown by the C library (in place where it can).
        for (review_arena_block **link = &arena->large; *link; link = &(*link)->next) {
            if (data(*link) + 8 != (unsigned char *)pointer) continue;
            review_arena_block *block = realloc(*link, sizeof(review_arena_block) + 8 + rounded);
            if (!block) abort();
            block->size = 8 + rounded;
            *link = block;
            uint64_t grown = (uint64_t)rounded | REVIEW_ARENA_OWN;
            memcpy(data(block), &grown, 8);
            return data(block) + 8;
        }
        abort();  // not one of this arena's
    }
    void *moved = allocate(arena, size);
    memcpy(moved, pointer, old < size ? old : size);
    if (header & REVIEW_ARENA_OWN) release(arena, pointer);
    return moved;
}

#define SLOT(i) \
    static void *calloc_##i(size_t count, size_t size) { return allocate_zeroed(review_arena_slots[i], count, size); } \
    static void *realloc_##i(void *pointer, size_t size) { return reallocate(review_arena_slots[i], pointer, size); } \
    static void free_##i(void *pointer) { release(review_arena_slots[i], pointer); }
#define MEM(i) { calloc_##i, realloc_##i, free_##i }
SLOT(0) SLOT(1) SLOT(2) SLOT(3) SLOT(4) SLOT(5) SLOT(6) SLOT(7)
SLOT(8) SLOT(9) SLOT(10) SLOT(11) SLOT(12) SLOT(13) SLOT(14) SLOT(15)
SLOT(16) SLOT(17) SLOT(18) SLOT(19) SLOT(20) SLOT(21) SLOT(22) SLOT(23)
SLOT(24) SLOT(25) SLOT(26) SLOT(27) SLOT(28) SLOT(29) SLOT(30) SLOT(31)
static cmark_mem mems[REVIEW_ARENA_SLOTS] = {
    MEM(0), MEM(1), MEM(2), MEM(3), MEM(4), MEM(5), MEM(6), MEM(7),
    MEM(8), MEM(9), MEM(10), MEM(11), MEM(12), MEM(13), MEM(14), MEM(15),
    MEM(16), MEM(17), MEM(18), MEM(19), MEM(20), MEM(21), MEM(22), MEM(23),
    MEM(24), MEM(25), MEM(26), MEM(27), MEM(28), MEM(29), MEM(30), MEM(31),
};

review_arena *review_arena_new(void) {
    review_arena *arena = calloc(1, sizeof(review_arena));
    if (!arena) return NULL;
    for (int slot = 0; slot < REVIEW_ARENA_SLOTS; slot++) {
        review_arena *empty = NULL;
        if (__atomic_compare_exchange_n(&review_arena_slots[slot], &empty, arena, 0, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
            arena->slot = slot;
            return arena;
        }
    }
    free(arena);
    return NULL;
}

void *review_arena_mem(review_arena *arena) { return &mems[arena->slot]; }

void review_arena_reset(review_arena *arena) {
    free_blocks(arena->large);
    arena->large = NULL;
    review_arena_block *rest = arena->chunks ? arena->chunks->next : NULL;
    if (arena->chunks) arena->chunks->next = NULL;
    pthread_mutex_lock(&pool_lock);
    while (rest && pooled + rest->size <= REVIEW_ARENA_POOLED) {
        review_arena_block *next = rest->next;
        rest->next = pool;
        pool = rest;
        pooled += rest->size;
        rest = next;
    }
    pthread_mutex_unlock(&pool_lock);
    free_blocks(rest);
    arena->current = NULL;
    arena->cursor = NULL;
    arena->end = NULL;
    arena->last = NULL;
}

void review_arena_free(review_arena *arena) {
    free_blocks(arena->chunks);
    free_blocks(arena->large);
    __atomic_store_n(&review_arena_slots[arena->slot], NULL, __ATOMIC_RELEASE);
    free(arena);
}
