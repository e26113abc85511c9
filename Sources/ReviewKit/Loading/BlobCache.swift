import Paths
import BinaryStore
import Dispatch
import GitKit

/// How one kind of value is kept in a ``BlobCache`` file.
protocol BlobCacheCodec: SendableMetatype {
    associatedtype Value: Sendable
    /// The file's name under `<git dir>/review/`.
    static var name: String { get }
    /// Names the format: change it when the layout or what a value means changes.
    static var magic: String { get }
    static func write(_ value: Value, into w: inout BinaryWriter)
    /// The value, or `nil` when the bytes are not one (the whole file is then ignored).
    static func read(_ r: inout BinaryReader) -> Value?
    /// Whether a value is worth keeping (default: every one).
    static func keeps(_ value: Value) -> Bool
}

extension BlobCacheCodec {
    static func keeps(_ value: Value) -> Bool { true }
}

/// Values derived from blobs, by blob id, in a ``CacheFile`` under the git directory: the
/// parsed-article cache and the sign-off record cache.
///
/// A blob id names its bytes, so a cached value is what deriving it again would give, as long
/// as the deriving code is the same and the file is ours: a ``CacheFile`` is trusted only when
/// written by this very build under the user's ``CacheKey`` (no one who can merely write the
/// git directory can plant values), and ignored when damaged.
struct BlobCache<Codec: BlobCacheCodec>: Sendable {
    static var name: String { Codec.name }
    static var magic: String { Codec.magic }

    private(set) var entries: [ObjectID: Codec.Value] = [:]
    /// Whether entries were added or dropped since loading.
    private(set) var isModified = false

    subscript(blob: ObjectID) -> Codec.Value? { entries[blob] }

    mutating func insert(_ value: Codec.Value, for blob: ObjectID) {
        entries[blob] = value
        isModified = true
    }

    /// What ``save(_:key:)`` writes for `value`.
    static func encoding(_ value: Codec.Value) -> [UInt8] {
        var w = BinaryWriter()
        Codec.write(value, into: &w)
        return w.data
    }

    /// Keeps only the entries for `blobs` (what the repository's tip still uses).
    mutating func keep(only blobs: Set<ObjectID>) {
        // Most runs drop nothing: the cache is then not rebuilt.
        guard entries.keys.contains(where: { !blobs.contains($0) }) else { return }
        let before = entries.count
        entries = entries.filter { blobs.contains($0.key) }
        if entries.count != before { isModified = true }
    }

    /// The stored cache, or an empty one when there is none that can be trusted.
    ///
    /// Each entry is its blob id, its length and its value, so the values are decoded on all
    /// cores (a large site's article cache is tens of megabytes).
    static func load(_ repository: Repository, key: CacheKey? = CacheKey.user) -> BlobCache {
        load(gitDirectory: repository.gitDirectory, key: key)
    }

    /// Whether the git directory holds a cache file this build wrote (its header only: it may
    /// still fail its check when loaded).
    static func isPresent(gitDirectory: String) -> Bool {
        CacheWrites.wait()
        return CacheFile.hasHeader(CacheFile.path(inGitDirectory: gitDirectory, name: name), magic: magic)
    }

    /// How many entries one reader decodes (``load(gitDirectory:key:)``).
    static var decodingRun: Int { 64 }

    /// ``load(_:key:)`` by the git directory's path, for a thread without a repository handle.
    static func load(gitDirectory: String, key: CacheKey? = CacheKey.user) -> BlobCache {
        CacheWrites.wait()
        // Entries follow the header up to the end of the file (a file written as it is built
        // cannot say up front how many it holds).
        guard var r = CacheFile.read(CacheFile.path(inGitDirectory: gitDirectory, name: name), magic: magic, key: key) else { return BlobCache() }
        // Where each entry starts, found by skipping the values; the entries are then decoded in
        // runs of up to 64, each through one reader of its own, on whichever core is free. A
        // reader per entry retained the file's storage, one object every core shared (113,000
        // reference counts passed between the cores in a warm status on
        // windows-powershell-docs). Each value must take exactly its stated length, as it did
        // when it was read through a reader of that length.
        var blobs: [ObjectID] = []
        var starts: [Int] = []
        let total = r.remaining
        var scan = r
        while scan.remaining > 0 {
            starts.append(total - scan.remaining)
            guard let blob = scan.id(), let length = scan.u32(), scan.withBytes(Int(length), { _ in true }) != nil else { return BlobCache() }
            blobs.append(blob)
        }
        starts.append(total)
        var runs: [(first: Int, count: Int, reader: BinaryReader)] = []
        for first in stride(from: 0, to: blobs.count, by: Self.decodingRun) {
            let end = Swift.min(first + Self.decodingRun, blobs.count)
            guard let run = r.reader(starts[end] - starts[first]) else { return BlobCache() }
            runs.append((first, end - first, run))
        }
        var decoded = runs.parallelMap(spreadFrom: 2) { run -> [Codec.Value]? in
            var r = run.reader
            var values: [Codec.Value] = []
            values.reserveCapacity(run.count)
            while r.remaining > 0 {
                guard r.id() != nil, let length = r.u32() else { return nil }
                let before = r.remaining
                guard let value = Codec.read(&r), before - r.remaining == Int(length) else { return nil }
                values.append(value)
            }
            return values
        }
        var cache = BlobCache()
        cache.entries.reserveCapacity(blobs.count)
        // Each value is moved into the cache, not copied: a copy retained each of its strings
        // and lists (objects made on the core that decoded it), and freeing the runs released
        // them again, all on this thread (6 ms of a warm windows-powershell-docs status).
        for (i, run) in runs.enumerated() {
            // Taken out of `decoded` (held once, its values are reversed in place, not copied).
            guard var values = decoded[i].take(), values.count == run.count else { return BlobCache() }
            values.reverse()
            while let value = values.popLast() { cache.entries[blobs[run.first + run.count - 1 - values.count]] = value }
        }
        return cache
    }

    /// Writes the cache when it changed, after the caller goes on (``CacheWrites``); a
    /// repository that cannot be written keeps none.
    func save(_ repository: Repository, key: CacheKey? = CacheKey.user) {
        guard isModified else { return }
        let path = CacheFile.path(inGitDirectory: repository.gitDirectory, name: Self.name)
        let segmentSize = CacheSegments.size
        CacheWrites.start { [self] in write(to: path, key: key, segmentSize: segmentSize) }
    }

    /// Writes the file a segment at a time: what is held besides the entries is one segment,
    /// not a copy of them all (a large site's article cache is tens of megabytes).
    private func write(to path: String, key: CacheKey?, segmentSize: Int) {
        guard let file = CacheFileWriter(path: path, key: key) else { return }
        var w = CacheFile.writer(magic: Self.magic)
        w.reserve(segmentSize + 65536)
        for (blob, value) in entries where Codec.keeps(value) {
            w.id(blob)
            // The length is known once the value is written.
            let at = w.data.count
            w.u32(0)
            Codec.write(value, into: &w)
            let length = UInt32(w.data.count - at - 4).littleEndian
            withUnsafeBytes(of: length) { w.data.replaceSubrange(at..<(at + 4), with: $0) }
            guard file.flush(&w, atLeast: segmentSize) else { return }
        }
        file.finish(with: w)
    }
}

/// Cache files being written while the command goes on with its answer (encoding and
/// authenticating a large site's article cache took a tenth of a cold `status`). Every cache
/// read waits for them first, so a process always reads what it wrote, and the command line
/// waits for them before it exits (``ReviewSession/finishCacheWrites()``).
enum CacheWrites {
    private static let pending = DispatchGroup()

    static func start(_ write: @escaping @Sendable () -> Void) {
        DispatchQueue.global(qos: .utility).async(group: pending, execute: write)
    }

    static func wait() { pending.wait() }
}
