// Arenas that cmark-gfm parses a document in (arena.c); ReviewCore's MarkdownParser is their
// only user. The allocator is given to cmark_parser_new_with_mem as a `cmark_mem *`: it is
// returned here untyped, so that this header does not declare cmark-gfm's types a second time
// beside the CCmarkGFM module.
#ifndef CMARK_ARENA_H
#define CMARK_ARENA_H

#include <stddef.h>

typedef struct review_arena review_arena;

/// A new arena; NULL where every one of its slots is taken (see arena.c) or there is no memory.
review_arena *_Nullable review_arena_new(void);

/// The `cmark_mem *` that allocates in `arena`, valid until the arena is freed.
void *_Nonnull review_arena_mem(review_arena *_Nonnull arena);

/// Forgets everything allocated in `arena` (every pointer it gave is invalid after), keeping
/// some of its memory for the next document.
void review_arena_reset(review_arena *_Nonnull arena);

/// Frees `arena` and everything in it.
void review_arena_free(review_arena *_Nonnull arena);

#endif
