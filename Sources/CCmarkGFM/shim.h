// cmark-gfm (CommonMark with GitHub's extensions) as Debian's libcmark-gfm-dev and
// libcmark-gfm-extensions-dev install it; ReviewCore's MarkdownParser is its only user.
#include <cmark-gfm.h>
#include <cmark-gfm-core-extensions.h>
