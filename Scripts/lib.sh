# Shared by Scripts/review and Scripts/test: make sure the system packages the build needs exist.
# Sourced, not run.

review_install_prerequisites() {
    local missing=()
    pkg-config --exists libgit2 2>/dev/null || missing+=(libgit2-dev)
    command -v pkg-config >/dev/null 2>&1 || missing+=(pkg-config)
    if [ "${#missing[@]}" -gt 0 ]; then
        echo "review: installing ${missing[*]} (apt-get)" >&2
        local sudo=""
        [ "$(id -u)" -ne 0 ] && sudo="sudo"
        $sudo apt-get update -qq >&2
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq libgit2-dev pkg-config >&2
    fi
    if ! command -v swift >/dev/null 2>&1; then
        if [ -x /opt/swift/usr/bin/swift ]; then
            export PATH="/opt/swift/usr/bin:$PATH"
        else
            echo "review: no Swift toolchain on PATH; install Swift 6.1 or later (https://swift.org/install)" >&2
            exit 2
        fi
    fi
}
