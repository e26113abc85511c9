// mimalloc (Debian's libmimalloc-dev): the `review` command's allocator in place of glibc's
// malloc, and its options (Sources/review/Allocator.swift).
#include <mimalloc.h>
