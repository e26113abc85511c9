// libdeflate (Debian's libdeflate-dev): whole-buffer DEFLATE and zlib decompression, about twice
// as fast as zlib's streaming inflate on the objects of a pack. GitKit's PackReader is its only
// user; zlib (through CGit2) stays for what does not fit in one read.
#include <libdeflate.h>
