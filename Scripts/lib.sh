# Shared by Scripts/review, Scripts/test and Scripts/bench: make sure what the build needs is
# installed. Sourced, not run. On failure: one line saying what is missing and what to do, exit 2.

review_install_prerequisites() {
    # libgit2 (the repository) and cmark-gfm with its extensions (Markdown), with pkg-config.
    if ! command -v pkg-config >/dev/null 2>&1 || ! pkg-config --exists libgit2 libcmark-gfm 2>/dev/null \
        || [ ! -e /usr/include/cmark-gfm-core-extensions.h ]; then
        echo "review: installing libgit2-dev, libcmark-gfm-dev, libcmark-gfm-extensions-dev and pkg-config (apt-get)" >&2
        local sudo=""
        [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1 && sudo="sudo"
        if ! { $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq \
                   libgit2-dev libcmark-gfm-dev libcmark-gfm-extensions-dev pkg-config; } >/tmp/review-apt.log 2>&1 \
            || ! pkg-config --exists libgit2 libcmark-gfm 2>/dev/null; then
            echo "review: error: libgit2-dev or libcmark-gfm-dev is missing and could not be installed (log: /tmp/review-apt.log); run: sudo apt-get install -y libgit2-dev libcmark-gfm-dev libcmark-gfm-extensions-dev pkg-config" >&2
            exit 2
        fi
    fi
    if ! command -v swift >/dev/null 2>&1; then
        if [ -x /opt/swift/usr/bin/swift ]; then
            export PATH="/opt/swift/usr/bin:$PATH"
        else
            echo "review: error: no Swift toolchain on PATH; install Swift 6.1 or later (https://swift.org/install)" >&2
            exit 2
        fi
    fi
}

# The one release build: what Scripts/review runs and what Scripts/package ships (the Swift
# standard library linked in, the archive's lib/ found through DT_RPATH: it also applies to the
# libraries' own dependencies, libgit2's mbedtls and ssh2). One build serves both, so a fresh
# clone's `Scripts/review status` then `Scripts/test` compiles the release product once.
review_release_scratch=.build-package
review_release_build() {
    (cd "$root" && swift build -c release --product review --scratch-path "$review_release_scratch" --static-swift-stdlib \
        -Xlinker --disable-new-dtags -Xlinker -rpath -Xlinker '$ORIGIN/../lib')
}
review_release_binary() {
    echo "$(cd "$root" && swift build -c release --scratch-path "$review_release_scratch" --show-bin-path)/review"
}
