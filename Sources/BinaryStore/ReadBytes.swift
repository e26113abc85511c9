#if canImport(Glibc)
import Glibc
#endif

/// The whole content of a file, or `nil` when it cannot be read.
public func readBytes(atPath path: String) -> [UInt8]? {
    let fd = Glibc.open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    var info = stat()
    guard fstat(fd, &info) == 0 else { return nil }
    // The size fstat reports, read into memory that is not zeroed first (the article cache is
    // tens of megabytes: zeroing it was a tenth of a warm status); then whatever follows (a
    // file still growing), a chunk at a time.
    let expected = max(Int(info.st_size), 0)
    var failed = false
    var bytes = [UInt8](unsafeUninitializedCapacity: expected) { buffer, count in
        adviseHugePages(buffer)
        while count < expected {
            let n = read(fd, buffer.baseAddress! + count, expected - count)
            if n < 0 { failed = true }
            if n <= 0 { return }
            count += n
        }
    }
    guard !failed else { return nil }
    var chunk = [UInt8](repeating: 0, count: 65536)
    while true {
        let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress!, $0.count) }
        if n < 0 { return nil }
        if n == 0 { break }
        bytes += chunk[..<n]
    }
    return bytes
}

/// Asks for 2 MiB pages for a large buffer about to be filled (`MADV_HUGEPAGE`, for the
/// kernel's transparent huge pages in their usual `madvise` mode): tens of megabytes of cache
/// file then take a few dozen page faults instead of tens of thousands, which cost more than
/// the copy (a warm `status` on windows-powershell-docs reads 160 MB of caches). Advice only:
/// where huge pages are off or unavailable, the buffer gets small pages as before.
func adviseHugePages(_ buffer: UnsafeMutableBufferPointer<UInt8>) {
    let huge = 2 << 20
    guard buffer.count >= 4 * huge, let base = buffer.baseAddress else { return }
    // The whole huge pages inside the buffer (the advice takes aligned ranges).
    let start = (Int(bitPattern: base) + huge - 1) / huge * huge
    let end = (Int(bitPattern: base) + buffer.count) / huge * huge
    guard end > start, let aligned = UnsafeMutableRawPointer(bitPattern: start) else { return }
    _ = madvise(aligned, end - start, 14 /* MADV_HUGEPAGE */)
}
