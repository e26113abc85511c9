// cmark-gfm (CommonMark with GitHub's extensions) as Debian's libcmark-gfm-dev and
// libcmark-gfm-extensions-dev install it; ReviewCore's MarkdownParser is its only user.
#include <cmark-gfm.h>
#include <cmark-gfm-core-extensions.h>

// A node's text (literal, link address and title, code block info string) as cmark-gfm holds
// it: a pointer into the node's own bytes and a length, valid until the document is freed.
// cmark's getters (cmark_node_get_literal and its siblings) first copy each text into a new
// NUL-terminated buffer (calloc and memcpy, kept in the node until it is freed): over every
// node of every page that was most of a parse's allocations. The installed node.h gives the
// node's layout; where it is not installed, the getters stand in (same bytes, with the copy).
typedef struct {
    const unsigned char *_Nullable bytes;
    long count;
} review_cmark_text;

#if __has_include(<cmark-gfm/node.h>)
#include <cmark-gfm/node.h>

static inline review_cmark_text review_cmark_chunk(const cmark_chunk *_Nonnull chunk) {
    review_cmark_text text = { chunk->data, chunk->len };
    return text;
}

/// What cmark_node_get_literal gives (NULL bytes where it gives NULL), without its copy.
static inline review_cmark_text review_cmark_literal(cmark_node *_Nonnull node) {
    switch (node->type) {
    case CMARK_NODE_HTML_BLOCK:
    case CMARK_NODE_TEXT:
    case CMARK_NODE_HTML_INLINE:
    case CMARK_NODE_CODE:
    case CMARK_NODE_FOOTNOTE_REFERENCE:
    case CMARK_NODE_FOOTNOTE_DEFINITION:
        return review_cmark_chunk(&node->as.literal);
    case CMARK_NODE_CODE_BLOCK:
        return review_cmark_chunk(&node->as.code.literal);
    default: {
        review_cmark_text none = { 0, 0 };
        return none;
    }
    }
}

/// What cmark_node_get_url and cmark_node_get_title give a link or image, without the copies.
static inline review_cmark_text review_cmark_url(cmark_node *_Nonnull node) { return review_cmark_chunk(&node->as.link.url); }
static inline review_cmark_text review_cmark_title(cmark_node *_Nonnull node) { return review_cmark_chunk(&node->as.link.title); }
/// What cmark_node_get_fence_info gives a code block, without the copy.
static inline review_cmark_text review_cmark_fence_info(cmark_node *_Nonnull node) { return review_cmark_chunk(&node->as.code.info); }

#else
#include <string.h>

static inline review_cmark_text review_cmark_text_of(const char *_Nullable text) {
    review_cmark_text out = { (const unsigned char *)text, text ? (long)strlen(text) : 0 };
    return out;
}
static inline review_cmark_text review_cmark_literal(cmark_node *_Nonnull node) { return review_cmark_text_of(cmark_node_get_literal(node)); }
static inline review_cmark_text review_cmark_url(cmark_node *_Nonnull node) { return review_cmark_text_of(cmark_node_get_url(node)); }
static inline review_cmark_text review_cmark_title(cmark_node *_Nonnull node) { return review_cmark_text_of(cmark_node_get_title(node)); }
static inline review_cmark_text review_cmark_fence_info(cmark_node *_Nonnull node) { return review_cmark_text_of(cmark_node_get_fence_info(node)); }
#endif

// Takes an extension's list of the characters that start its inlines, leaving it none, into
// `*chars` (the caller frees it with cmark_llist_free and the default allocator, which made
// it). MarkdownParser sets the autolink characters once for the process and takes the list,
// so no parse sets or clears them again (see there). Returns false, taking nothing, where the
// extension's layout is not installed.
#if __has_include(<cmark-gfm/syntax_extension.h>)
#include <cmark-gfm/syntax_extension.h>
static inline bool review_cmark_take_special_inline_chars(cmark_syntax_extension *_Nonnull extension,
                                                          cmark_llist *_Nullable *_Nonnull chars) {
    *chars = extension->special_inline_chars;
    extension->special_inline_chars = NULL;
    return true;
}
#else
static inline bool review_cmark_take_special_inline_chars(cmark_syntax_extension *_Nonnull extension,
                                                          cmark_llist *_Nullable *_Nonnull chars) {
    (void)extension;
    *chars = NULL;
    return false;
}
#endif
