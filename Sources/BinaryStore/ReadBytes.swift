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
