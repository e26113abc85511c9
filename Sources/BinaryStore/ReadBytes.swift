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

/// A whole file's bytes for reading in place: mapped read-only where nothing but this user (or
/// root) can change them (``mappable(_:)``), else copied into memory of this process.
/// Freed (unmapped) with the last reader.
final class FileBytes: @unchecked Sendable {
    /// `nil` for an empty file.
    let base: UnsafeRawPointer?
    let count: Int
    /// Whether `base` is a mapping of the file (else an allocation).
    let mapped: Bool

    private init(base: UnsafeRawPointer?, count: Int, mapped: Bool) {
        (self.base, self.count, self.mapped) = (base, count, mapped)
    }

    convenience init(copying bytes: [UInt8]) {
        let memory = UnsafeMutableRawPointer.allocate(byteCount: max(bytes.count, 1), alignment: 16)
        bytes.withUnsafeBytes { if let from = $0.baseAddress { memory.copyMemory(from: from, byteCount: $0.count) } }
        self.init(base: UnsafeRawPointer(memory), count: bytes.count, mapped: false)
    }

    deinit {
        if mapped {
            munmap(UnsafeMutableRawPointer(mutating: base), count)
        } else {
            base.map { UnsafeMutableRawPointer(mutating: $0).deallocate() }
        }
    }

    /// The file at `path`, or `nil` when it cannot be read. `mapping: false` always copies.
    static func read(_ path: String, mapping: Bool = true) -> FileBytes? {
        let fd = Glibc.open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { return nil }
        let size = Int(info.st_size)
        if mapping, size > 0, mappable(info) {
            // MAP_POPULATE: the page cache's pages mapped in one call, not a fault per page.
            let address = mmap(nil, size, PROT_READ, MAP_PRIVATE | 0x8000 /* MAP_POPULATE */, fd, 0)
            if let address, address != MAP_FAILED {
                return FileBytes(base: UnsafeRawPointer(address), count: size, mapped: true)
            }
        }
        // A copy: the file read into memory that is not zeroed first; a file still growing
        // (never one of ours: writers rename complete files into place) is read whole.
        let memory = UnsafeMutableRawPointer.allocate(byteCount: max(size, 1), alignment: 16)
        adviseHugePages(UnsafeMutableBufferPointer(start: memory.assumingMemoryBound(to: UInt8.self), count: size))
        var count = 0
        while count < size {
            let n = Glibc.read(fd, memory + count, size - count)
            if n <= 0 { break }
            count += n
        }
        var probe: UInt8 = 0
        guard count == size, Glibc.read(fd, &probe, 1) == 0 else {
            memory.deallocate()
            guard let bytes = readBytes(atPath: path) else { return nil }
            return FileBytes(copying: bytes)
        }
        return FileBytes(base: UnsafeRawPointer(memory), count: size, mapped: false)
    }

    /// Whether the open file `fd` may be read through a mapping: whether no one who lacks this
    /// user's ``CacheKey`` can change its bytes while they are read.
    ///
    /// A mapping shows the file as it is, not as it was when verified: a change to the file
    /// after its segments are verified would reach the values decoded from them (a copy in this
    /// process's memory cannot change). So the file is mapped only when it is a regular file owned
    /// by this user that neither group nor others may write (the group bits are the mask of any
    /// ACL, so no ACL grants more), on a local file system whose pages change only through this
    /// kernel (ext4, XFS, Btrfs, tmpfs, overlayfs, F2FS). Then its bytes change only through
    /// a process of this user or root (or root's raw write to the block device), each of which can
    /// read the key and could write a file this tool trusts anyway: the mapping gives no one a way
    /// in that the key does not. The files of a network or FUSE file system (whose pages another
    /// machine or a server process may change under the mapping) and anyone else's files are
    /// copied, as before. (This user truncating the file in place while a run reads it would end
    /// that run with SIGBUS; no writer of this tool does: each renames a new file into place.)
    static func mappable(_ info: stat) -> Bool {
        guard info.st_mode & S_IFMT == S_IFREG, info.st_uid == geteuid(), info.st_mode & 0o022 == 0 else { return false }
        return fileSystemType(of: info.st_dev).map(localFileSystems.contains) ?? false
    }

    /// Local file systems, by the names `/proc/self/mountinfo` gives their types.
    static let localFileSystems: Set<String> = ["ext2", "ext3", "ext4", "xfs", "btrfs", "tmpfs", "overlay", "f2fs"]

    /// The type of the file system mounted from device `device` (a file's `st_dev`), from
    /// `/proc/self/mountinfo` (Glibc's module has no `statfs`); `nil` when no mount lists it.
    static func fileSystemType(of device: dev_t) -> String? {
        let device = UInt64(device)
        let major = (device >> 8) & 0xfff | (device >> 32) & ~0xfff
        let minor = device & 0xff | (device >> 12) & ~0xff
        let wanted = Array("\(major):\(minor)".utf8)
        guard let table = readBytes(atPath: "/proc/self/mountinfo") else { return nil }
        // Each line: id, parent id, major:minor, root, mount point, options, optional fields,
        // "-", the type, the source, super options.
        for line in table.split(separator: UInt8(ascii: "\n")) {
            let fields = line.split(separator: UInt8(ascii: " "))
            guard fields.count > 3, fields[2].elementsEqual(wanted),
                  let dash = fields.firstIndex(where: { $0.elementsEqual([UInt8(ascii: "-")]) }), dash + 1 < fields.count else { continue }
            return String(decoding: fields[dash + 1], as: UTF8.self)
        }
        return nil
    }
}
