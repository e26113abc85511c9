# Shared by Scripts/review, Scripts/test and Scripts/bench/bench: make sure what the build needs is
# installed. Sourced, not run. On failure: one line saying what is missing and what to do, exit 2.

review_install_prerequisites() {
    # libgit2 (the repository), cmark-gfm with its extensions (Markdown) and libcrypto (OpenSSL:
    # hashes, signatures, cache authentication; libgit2-dev depends on it already), with pkg-config;
    # libdeflate (a pack object decompressed in one call); and mimalloc, the command's allocator
    # (it ships no pkg-config file: its header is checked).
    if ! command -v pkg-config >/dev/null 2>&1 || ! pkg-config --exists libgit2 libcmark-gfm libcrypto libdeflate 2>/dev/null \
        || [ ! -e /usr/include/cmark-gfm-core-extensions.h ] || [ ! -e /usr/include/mimalloc.h ]; then
        echo "review: installing libgit2-dev, libcmark-gfm-dev, libcmark-gfm-extensions-dev, libssl-dev, libdeflate-dev, libmimalloc-dev and pkg-config (apt-get)" >&2
        local sudo=""
        [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1 && sudo="sudo"
        if ! { $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq \
                   libgit2-dev libcmark-gfm-dev libcmark-gfm-extensions-dev libssl-dev libdeflate-dev libmimalloc-dev pkg-config; } >/tmp/review-apt.log 2>&1 \
            || ! pkg-config --exists libgit2 libcmark-gfm libcrypto libdeflate 2>/dev/null || [ ! -e /usr/include/mimalloc.h ]; then
            echo "review: error: libgit2-dev, libcmark-gfm-dev, libssl-dev, libdeflate-dev or libmimalloc-dev is missing and could not be installed (log: /tmp/review-apt.log); run: sudo apt-get install -y libgit2-dev libcmark-gfm-dev libcmark-gfm-extensions-dev libssl-dev libdeflate-dev libmimalloc-dev pkg-config" >&2
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
# clone's `Scripts/review status` then `Scripts/test` compiles the release product once. No debug
# information (`-gnone`, `-g0`): the package strips it anyway, and generating it was 7% of the
# build's CPU time (583 against 540 CPU-seconds, measured in session 14), on a build whose wall
# time is its CPU time over the two cores.
review_release_scratch=.build-package
review_release_build() {
    (cd "$root" && swift build -c release --product review --scratch-path "$review_release_scratch" --static-swift-stdlib \
        -Xswiftc -gnone -Xcc -g0 -Xlinker --disable-new-dtags -Xlinker -rpath -Xlinker '$ORIGIN/../lib')
}
review_release_binary() {
    echo "$(cd "$root" && swift build -c release --scratch-path "$review_release_scratch" --show-bin-path)/review"
}

# The two real histories of issue 18 and their example policies: "<mirror folder> <name> <root>".
review_real_histories=("MicrosoftDocs+windows-powershell-docs windows-powershell-docs docset" "nodejs+nodejs.org nodejs-org apps/site/pages")

# review_adopt_mirror MIRROR NAME DEST [COMMIT]: clones the mirror to DEST (at COMMIT, default
# its HEAD) and adopts it as docs/adoption.md says: docs/examples/NAME.policy.yml as
# Reviews/policy.yml, docs/examples/NAME.ignore-revisions (if any) as Reviews/ignore-revisions, no reviewers, one commit "Adopt review" dated 2026-11-29. Scripts/check/check-real-histories
# and Scripts/bench/precision adopt the same way through this, so their numbers are about one setup.
review_adopt_mirror() {
    local mirror=$1 name=$2 dest=$3 commit=${4:-}
    git clone -q "$mirror" "$dest"
    if [ -n "$commit" ]; then git -C "$dest" checkout -q -B adopted "$commit"; fi
    mkdir -p "$dest/Reviews"
    cp "$root/docs/examples/$name.policy.yml" "$dest/Reviews/policy.yml"
    printf 'reviewers: []\n' >"$dest/Reviews/reviewers.yml"
    # The team's list of mechanical commits, when the example has one (docs/adoption.md).
    if [ -f "$root/docs/examples/$name.ignore-revisions" ]; then
        cp "$root/docs/examples/$name.ignore-revisions" "$dest/Reviews/ignore-revisions"
    fi
    git -C "$dest" add Reviews
    GIT_AUTHOR_DATE=2026-11-29T00:00:00Z GIT_COMMITTER_DATE=2026-11-29T00:00:00Z \
        git -C "$dest" -c user.name=adopt -c user.email=adopt@example.org commit -qm "Adopt review"
}
