/* Scripts/bench/cmark-floor.c: the least time any tool that parses every article as GitHub Markdown
 * could take. Reads `git cat-file --batch` output on stdin and parses each blob with cmark-gfm
 * (the options and extensions review uses) and walks its tree, on one core; prints the
 * seconds spent parsing (reading stdin is not counted). Scripts/bench/bench-docs builds and runs it
 * beside git's own figures. */
#include <cmark-gfm.h>
#include <cmark-gfm-core-extensions.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

int main(void) {
    cmark_gfm_core_extensions_ensure_registered();
    const char *names[] = {"table", "strikethrough", "autolink", "tasklist"};
    char header[512];
    double parsing = 0;
    long blobs = 0, bytes = 0, nodes = 0;
    while (fgets(header, sizeof header, stdin)) {
        char oid[128], type[32];
        long size;
        if (sscanf(header, "%127s %31s %ld", oid, type, &size) != 3 || size < 0) return 2;
        char *data = malloc(size + 1);
        if (!data || fread(data, 1, size, stdin) != (size_t)size) return 2;
        fgetc(stdin); /* the newline after each object */
        double start = now();
        cmark_parser *parser = cmark_parser_new(CMARK_OPT_DEFAULT | CMARK_OPT_SOURCEPOS);
        for (int i = 0; i < 4; i++) {
            cmark_syntax_extension *extension = cmark_find_syntax_extension(names[i]);
            if (extension) cmark_parser_attach_syntax_extension(parser, extension);
        }
        cmark_parser_feed(parser, data, size);
        cmark_node *document = cmark_parser_finish(parser);
        cmark_iter *iterator = cmark_iter_new(document);
        while (cmark_iter_next(iterator) != CMARK_EVENT_DONE) nodes++;
        cmark_iter_free(iterator);
        cmark_node_free(document);
        cmark_parser_free(parser);
        parsing += now() - start;
        free(data);
        blobs++;
        bytes += size;
    }
    fprintf(stderr, "cmark-floor: %ld blobs, %ld bytes, %ld nodes\n", blobs, bytes, nodes);
    printf("%.3f\n", parsing);
    return 0;
}
