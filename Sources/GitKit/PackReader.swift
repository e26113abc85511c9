import CGit2
import CDeflate
import SystemCrypto
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Reads objects straight from a repository's pack files, for the history walk.
///
/// libgit2 1.5 never keeps a delta base larger than 1 MiB (`GIT_PACK_CACHE_SIZE_LIMIT`, a
/// compile-time constant), so once a directory's tree outgrows that — 40,000 articles in one
/// folder make a 2.8 MB tree — every read rebuilds the tree's whole delta chain: about 20 ms
/// per tree, against git's 2 ms. This reader keeps every tree and every delta base it rebuilds
/// in a byte-bounded LRU cache (96 MiB, git's `core.deltaBaseCacheLimit`), so walking history
/// applies about one delta per commit. The cache holds at most 48 of the largest trees seen
/// (enough for a chain of git's default depth of 50), so small repositories stay small.
///
/// It maps version-2 pack indexes read-only (a lookup touches a few of their pages; reading a
/// whole index into memory zeroed and copied megabytes, a tenth of a warm `status` on
/// nodejs.org), verified once and shared by the readers alive together (``shared(_:)``). It
/// reads the packs through four mapped parts of 16 MiB, the least recently used replaced:
/// mapping whole packs held every page a cold walk touched for the whole run (twice the
/// resident memory on a large history), and `pread` made about a million small reads on the
/// generated corpus's walk even through four windows (a third of a second of system time).
/// The windows (2 KiB, 32 KiB where a read lands at a window's end) remain for when `mmap`
/// refuses. An object is decompressed by libdeflate in one call where its stream lies in
/// the bytes at hand, by zlib's streaming inflate otherwise.
/// Whatever it does not know or cannot read — loose objects, alternates, other index versions,
/// anything malformed — it answers `nil`, and the caller asks libgit2, which also gives the
/// error a damaged repository deserves.
///
/// Owns its file descriptors and closes them once, in `deinit`; each index's mapping is owned
/// by its ``IndexBytes``, which unmaps it once. Not
/// `Sendable`: one per ``ObjectDatabase``, one of those per thread.
final class PackReader {
    /// A pack index's bytes: the `.idx` file mapped read-only, or (for the fuzzer) bytes given.
    /// Owns the mapping or the copy and releases it once, in `deinit`.
    ///
    /// git never rewrites an index in place (it writes a new file and renames it, read-only), and
    /// libgit2 maps the same file in this process: a process that changed it under the mapping
    /// could as well change the pack, whose bytes no reader checks against their names.
    ///
    /// Immutable once made, so readers on several threads may share one (``shared(_:)``).
    final class IndexBytes: @unchecked Sendable {
        let bytes: UnsafeRawBufferPointer
        private let isMapped: Bool
        /// The mapped file's identity when it was mapped (`nil` for given bytes).
        let identity: FileIdentity?

        init(copying array: [UInt8]) {
            let copy = UnsafeMutableRawBufferPointer.allocate(byteCount: array.count, alignment: 8)
            array.withUnsafeBytes { copy.copyMemory(from: $0) }
            bytes = UnsafeRawBufferPointer(copy)
            isMapped = false
            identity = nil
        }

        /// Maps the file at `path`; `nil` when it cannot be opened, is empty, or cannot be mapped.
        init?(mapping path: String) {
            let fd = open(path, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else { return nil }
            defer { close(fd) }
            var info = stat()
            guard fstat(fd, &info) == 0, info.st_size > 0, info.st_size <= off_t(Int.max) else { return nil }
            let size = Int(info.st_size)
            guard let address = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), address != MAP_FAILED else { return nil }
            bytes = UnsafeRawBufferPointer(start: address, count: size)
            isMapped = true
            identity = FileIdentity(info)
        }

        var count: Int { bytes.count }

        deinit {
            if isMapped {
                munmap(UnsafeMutableRawPointer(mutating: bytes.baseAddress), bytes.count)
            } else {
                bytes.deallocate()
            }
        }
    }

    /// Which file a path named: its device, inode, size and modification time.
    struct FileIdentity: Hashable, Sendable {
        let device: UInt64, inode: UInt64, size: Int64, seconds: Int, nanoseconds: Int

        init(_ info: stat) {
            (device, inode, size) = (UInt64(info.st_dev), UInt64(info.st_ino), Int64(info.st_size))
            (seconds, nanoseconds) = (info.st_mtim.tv_sec, info.st_mtim.tv_nsec)
        }

        /// The identity of the file at `path` now, or `nil` when it cannot be looked at.
        init?(path: String) {
            var info = stat()
            guard stat(path, &info) == 0 else { return nil }
            self.init(info)
        }
    }

    /// What this process knows of one index file: the mapping readers share (held weakly: it
    /// lives as long as some reader holds it), or a verification under way on another thread.
    private struct KnownIndex: @unchecked Sendable {
        weak var index: IndexBytes?
        var count = 0
        /// An index verified ahead of any reader (``verifyAhead(objectsDirectory:)``), held
        /// until the first reader takes it.
        var kept: IndexBytes?
        /// Open once the verification under way is done.
        var underWay: Latch?
    }

    /// The indexes of this process by the file's identity. A load opens a repository handle per
    /// thread (the parse workers read blobs through their own), and each handle's reader mapped
    /// and hashed the same index again (SHA-1 over nodejs.org's 8.7 MB index: 7 ms each). A
    /// reader takes the mapping another reader holds where the file at its path is still the one
    /// that was verified (same device, inode, size and modification time), and waits for a
    /// verification of that file under way rather than hashing it too; one no reader holds any
    /// more is unmapped, and the next reader maps and verifies the file afresh.
    private static let knownIndexes = Mutex<[FileIdentity: KnownIndex]>([:])

    /// The index at `path`, mapped and verified (``Pack/validCount(_:verifyingChecksum:)``),
    /// with its object count: the mapping another reader holds, or one verified ahead, where the
    /// file is the same. `whileVerifying` runs after this thread verified the file itself and
    /// before it records it (tests: another verification finishing meanwhile).
    static func shared(_ path: String, whileVerifying: () -> Void = {}) -> (index: IndexBytes, count: Int)? {
        if let identity = FileIdentity(path: path) {
            while true {
                let (held, underWay) = knownIndexes.withLock { known -> ((IndexBytes, Int)?, Latch?) in
                    guard var entry = known[identity] else { return (nil, nil) }
                    if let latch = entry.underWay { return (nil, latch) }
                    guard let index = entry.index else { return (nil, nil) }
                    if entry.kept != nil {
                        entry.kept = nil  // the reader holds it from here
                        known[identity] = entry
                    }
                    return ((index, entry.count), nil)
                }
                if let held { return held }
                guard let underWay else { break }
                underWay.wait()
            }
        }
        guard let index = IndexBytes(mapping: path), let count = Pack.validCount(index.bytes) else { return nil }
        whileVerifying()
        return knownIndexes.withLock { known in record(index, count: count, keeping: false, in: &known) }
    }

    /// Records a verified index for readers to share (held weakly, and also strongly while
    /// `keeping`), and returns the one to use: the one already recorded for the same file where
    /// another thread verified it at the same time and recorded it first.
    private static func record(_ index: IndexBytes, count: Int, keeping: Bool,
                               in known: inout [FileIdentity: KnownIndex]) -> (index: IndexBytes, count: Int) {
        guard let identity = index.identity else { return (index, count) }
        if var entry = known[identity], let held = entry.index {
            if !keeping, entry.kept != nil {
                entry.kept = nil  // a reader holds it from here
                known[identity] = entry
            }
            return (held, entry.count)
        }
        known = known.filter { $0.value.index != nil || $0.value.underWay != nil }
        known[identity] = KnownIndex(index: index, count: count, kept: keeping ? index : nil)
        return (index, count)
    }

    /// Maps and verifies, on the calling thread, each index under `<objectsDirectory>/pack` that
    /// this process does not hold yet, so that a reader made later finds it done: a process calls
    /// it on a thread of its own while it parses its arguments and opens the repository (SHA-1 of
    /// an index is 3-5 ms of a cold start on the real histories, on one core, before any page is
    /// parsed). Nothing is decided here: a reader uses what this verified only where the file
    /// at its path is still the one verified, and otherwise maps and verifies it itself; one that
    /// asks while this is under way waits for it rather than hashing the file too. An index no
    /// reader ever takes stays mapped until the process ends.
    static func verifyAhead(objectsDirectory: String) {
        let packDirectory = objectsDirectory + "/pack/"
        for name in indexNames(in: packDirectory) {
            let path = packDirectory + name + ".idx"
            guard let identity = FileIdentity(path: path) else { continue }
            let latch = Latch()
            let claimed = knownIndexes.withLock { known -> Bool in
                if let entry = known[identity], entry.index != nil || entry.underWay != nil { return false }
                known[identity] = KnownIndex(underWay: latch)
                return true
            }
            guard claimed else { continue }
            let verified = IndexBytes(mapping: path).flatMap { index in Pack.validCount(index.bytes).map { (index, $0) } }
            knownIndexes.withLock { known in
                // A reader that verified the file meanwhile may have recorded it: that one stays.
                if known[identity]?.underWay === latch { known[identity] = nil }
                if let (index, count) = verified { _ = record(index, count: count, keeping: true, in: &known) }
            }
            latch.open()
        }
    }

    /// The mapping of the index file at `path` verified ahead that no reader has taken yet (tests).
    static func heldAhead(_ path: String) -> IndexBytes? {
        guard let identity = FileIdentity(path: path) else { return nil }
        return knownIndexes.withLock { $0[identity]?.kept }
    }

    /// The names (without `.idx`) of the pack indexes in a directory, sorted.
    static func indexNames(in packDirectory: String) -> [String] {
        guard let directory = opendir(packDirectory) else { return [] }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if name.hasSuffix(".idx") { names.append(String(name.dropLast(4))) }
        }
        return names.sorted()
    }

    /// One `.pack` with its `.idx`: plain values only, so reading one copies no reference (the
    /// mapped index is held by ``PackReader/indexes``, and a shared one has a weak reference, so
    /// each retain of it took the runtime's slow path: about 1.5% of a cold corpus run).
    struct Pack {
        let fd: Int32
        /// The index's bytes, valid while the reader holds the ``IndexBytes`` they belong to.
        let index: UnsafeRawBufferPointer
        let count: Int
        /// The pack file's size: every offset must lie inside it.
        let packSize: Int
        let namesAt = 8 + 256 * 4
        var crcAt: Int { namesAt + count * 20 }
        var offsetsAt: Int { crcAt + count * 4 }
        var largeOffsetsAt: Int { offsetsAt + count * 4 }

        func u32(_ at: Int) -> UInt32 {
            UInt32(bigEndian: index.loadUnaligned(fromByteOffset: at, as: UInt32.self))
        }

        /// The object's offset in the pack, when this index lists it.
        func offset(of id: ObjectID) -> Int? {
            let first = Int(id.a >> 56)
            var low = first == 0 ? 0 : Int(u32(8 + (first - 1) * 4))
            var high = Int(u32(8 + first * 4))
            guard low <= high, high <= count else { return nil }
            let found: Int? = { () -> Int? in
                let names = index.baseAddress! + namesAt
                func name(_ i: Int) -> ObjectID { ObjectID(rawBytes: names + i * 20) }
                // Object names are uniformly spread, so a few steps of interpolation on their
                // first eight bytes land beside the name (a walk looks up several objects per
                // commit in an index of hundreds of thousands, and each probe of a plain binary
                // search is a cache miss). The range's first and last keys are not read: they start
                // as the bounds the first byte gives, and become the keys of the probes made. The
                // steps are bounded and each keeps the name inside [low, high), so a crafted index
                // costs at most four more probes; the binary search finishes.
                var (lowest, highest) = (UInt64(first) << 56, UInt64(first) << 56 | (1 << 56 - 1))
                var steps = 0
                while high - low > 8 && steps < 4, lowest <= id.a, id.a <= highest {
                    steps += 1
                    let share = Double(id.a - lowest) / (Double(highest - lowest) + 1)
                    let probe = min(max(low + Int(share * Double(high - low)), low), high - 1)
                    let here = name(probe)
                    if here == id { return probe }
                    if here < id { (low, lowest) = (probe + 1, here.a) } else { (high, highest) = (probe, here.a) }
                }
                while low < high {
                    let middle = (low + high) / 2
                    let here = name(middle)
                    if here == id { return middle }
                    if here < id { low = middle + 1 } else { high = middle }
                }
                return nil
            }()
            guard let found else { return nil }
            let small = u32(offsetsAt + found * 4)
            guard small & 0x8000_0000 != 0 else { return Self.inPack(Int(small), size: packSize) }
            // The large-offset table lies between the offsets and the two trailing checksums.
            let large = largeOffsetsAt + Int(small & 0x7FFF_FFFF) * 8
            guard large + 8 <= index.count - 40 else { return nil }
            let value = UInt64(u32(large)) << 32 | UInt64(u32(large + 4))
            return Int(exactly: value).flatMap { Self.inPack($0, size: packSize) }
        }

        /// An entry offset when it lies after the pack's 12-byte header and before its
        /// 20-byte checksum.
        static func inPack(_ offset: Int, size: Int) -> Int? {
            offset >= 12 && offset < size - 20 ? offset : nil
        }

        /// The object count of a version-2 index, after checking its layout, its trailing SHA-1 over everything before it
        /// (so no damaged byte is ever used), and a count that fits the bytes. `nil` when any
        /// of that fails (libgit2 is asked then, and names the damage).
        static func validCount(_ index: UnsafeRawBufferPointer, verifyingChecksum: Bool = true) -> Int? {
            guard index.count >= 8 + 1024 + 40, index[0..<8].elementsEqual([0xFF, 0x74, 0x4F, 0x63, 0, 0, 0, 2]) else { return nil }
            let count = Int(UInt32(bigEndian: index.loadUnaligned(fromByteOffset: 8 + 255 * 4, as: UInt32.self)))
            // Names, CRCs, offsets, then the pack and index checksums at least.
            guard index.count >= 8 + 1024 + count * 28 + 40 else { return nil }
            if verifyingChecksum {
                var hasher = Insecure.SHA1()
                hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: index[..<(index.count - 20)]))
                guard hasher.finalize().elementsEqual(index[(index.count - 20)...]) else { return nil }
            }
            return count
        }
    }

    private typealias Key = PackPlace

    private struct Entry {
        let type: git_object_t
        let bytes: [UInt8]
    }

    /// Larger objects are left to libgit2: no tree or commit is that big, and a damaged size
    /// must not make this reader allocate gigabytes.
    static let maximumObjectSize = 256 << 20

    private var packs: [Pack] = []
    /// The indexes of the packs opened, in the order of ``packs`` (they keep each pack's index
    /// bytes mapped; tests: which mapping a reader uses).
    private(set) var indexes: [IndexBytes] = []
    /// Objects read lately (delta bases, trees), in two generations: each is kept in `young`;
    /// before `young` would pass half the limit it becomes `old` (the older generation let go),
    /// and an object found in `old` is moved back into `young`. What is kept stays within the limit,
    /// and making room sorts nothing: the least recently used half used to be found by sorting
    /// every entry by its age (4% of the corpus's history walk).
    private var young = PlaceTable<Entry>()
    private var old = PlaceTable<Entry>()
    private var youngBytes = 0
    /// What the two generations hold (tests: never more than ``cacheLimit``).
    var cachedBytes: Int { (young.allValues.map(\.bytes.count) + old.allValues.map(\.bytes.count)).reduce(0, +) }
    private var largestTree = 0
    /// The most the cache may ever hold.
    let cacheLimit: Int
    /// What it may hold now: 48 of the largest trees seen, at least 8 MiB, at most `cacheLimit`.
    private var currentLimit: Int { min(cacheLimit, max(8 << 20, 48 * largestTree)) }

    private let packDirectory: String
    /// The pack names already opened (or found unreadable), and the directory's modification
    /// time when it was last listed.
    private var seen: Set<String> = []
    private var listedAt: timespec?

    /// One zlib stream, reset for each object (setting one up allocates its window each
    /// time), on the heap: zlib's state points back at it, so it must never move.
    private let stream: UnsafeMutablePointer<z_stream>
    private let streamReady: Bool
    /// libdeflate's decompressor (owned here, freed once in `deinit`): an object whose zlib
    /// stream lies within the bytes read for it is decompressed in one call, about twice as fast
    /// as zlib's streaming inflate; any other (larger than a read, or damaged) goes through
    /// ``stream``, which also has the last word on a damaged one.
    private let decompressor: OpaquePointer?
    /// How many objects went through zlib's streaming inflate (tests: the one-call path is the
    /// usual one, and the fallback still gives the right bytes).
    private(set) var streamedInflations = 0
    /// Bytes last read from the packs: `bytes[0..<count]` are pack `pack`'s bytes from `start`
    /// (never zeroed: only what `pread` wrote is used).
    private struct Window {
        var bytes: [UInt8] = []
        var pack = -1
        var start = 0
        var count = 0
        var lastUse = 0
    }
    /// A few windows, the least recently used refilled: a walk reads a commit, then its tree far
    /// away in the pack, then the next commit beside the last, and one window lost the commits'
    /// place at every tree.
    private var windows = [Window](repeating: Window(), count: 4)
    private var windowClock = 0
    static let windowSize = 2 << 10
    /// A read at or just after the end of a window (a walk's commits lie together in the pack,
    /// newest first) takes this much at once.
    static let forwardWindowSize = 32 << 10

    /// A part of a pack mapped into memory (read-only, private), owned here: unmapped once, when
    /// another part takes its place or in `deinit`.
    private struct Mapping {
        let base: UnsafeMutableRawPointer
        let pack: Int
        let start: Int
        let count: Int
        var lastUse = 0
    }
    /// A few parts of the packs mapped, the least recently used replaced. A walk reads thousands
    /// of small objects far apart: through `pread` that was about a million calls on the
    /// generated corpus (a third of a second of system time on the thread that walks); whole
    /// packs mapped held every page touched for the whole run. Four parts of 16 MiB bound what
    /// stays mapped to 64 MiB (and one object's bytes past a part's end).
    private var mappings: [Mapping?] = [nil, nil, nil, nil]
    /// The size of a mapped part (a multiple of the page size; 0: no mappings, every read
    /// through the windows).
    private let mappingSize: Int

    /// The mapped part of pack `p` holding `needed` bytes from `offset`: one already mapped, or
    /// a new one in place of the least recently used. `nil` when mappings are off or `mmap`
    /// refuses (the windows read it then).
    ///
    /// A part never reaches past the pack's size as measured when it was opened, so no byte of a
    /// mapping lies past the file's end, unless the file is cut short while this runs (git
    /// never rewrites a pack in place; libgit2 maps packs the same way).
    private func mapping(of p: Int, covering offset: Int, _ needed: Int) -> Int? {
        guard mappingSize > 0 else { return nil }
        if let hit = mappings.firstIndex(where: { $0.map { $0.pack == p && offset >= $0.start && offset + needed <= $0.start + $0.count } ?? false }) {
            return hit
        }
        let m = mappings.indices.min { (mappings[$0]?.lastUse ?? -1) < (mappings[$1]?.lastUse ?? -1) }!
        if let old = mappings[m] {
            munmap(old.base, old.count)
            mappings[m] = nil
        }
        let start = offset / mappingSize * mappingSize
        let end = min(packs[p].packSize, max(start + mappingSize, offset + needed))
        guard end > start, let base = mmap(nil, end - start, PROT_READ, MAP_PRIVATE, packs[p].fd, off_t(start)), base != MAP_FAILED else {
            return nil
        }
        mappings[m] = Mapping(base: base, pack: p, start: start, count: end - start)
        return m
    }

    /// Opens the packs under `<objectsDirectory>/pack`; a pack that cannot be read is skipped.
    /// - Parameter mappingSize: the size of a mapped part of a pack (rounded down to pages; 0
    ///   reads every object through `pread` windows instead).
    init(objectsDirectory: String, cacheLimit: Int = 96 << 20, mappingSize: Int = 16 << 20) {
        self.cacheLimit = cacheLimit
        let page = max(Int(sysconf(Int32(_SC_PAGESIZE))), 4096)
        self.mappingSize = mappingSize / page * page
        packDirectory = objectsDirectory + "/pack/"
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        streamReady = review_inflate_init(stream) == Z_OK
        decompressor = libdeflate_alloc_decompressor()
        openNewPacks()
    }

    deinit {
        for case let mapped? in mappings { munmap(mapped.base, mapped.count) }
        for pack in packs { close(pack.fd) }
        if streamReady { inflateEnd(stream) }
        if let decompressor { libdeflate_free_decompressor(decompressor) }
        stream.deinitialize(count: 1)
        stream.deallocate()
    }

    /// Calls `body` with the pack's bytes from `offset`: at least `wanted` of them where the pack
    /// has that many (fewer only at its end), through the window. `nil` when nothing can be
    /// read there.
    private func withBytes<R>(of p: Int, at offset: Int, wanted: Int, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R? {
        let pack = packs[p]
        guard offset >= 0, offset < pack.packSize, wanted > 0 else { return nil }
        let needed = min(wanted, pack.packSize - offset)
        windowClock += 1
        if let m = mapping(of: p, covering: offset, needed), let mapped = mappings[m] {
            mappings[m]?.lastUse = windowClock
            return body(UnsafeBufferPointer(start: mapped.base.assumingMemoryBound(to: UInt8.self) + (offset - mapped.start),
                                            count: mapped.count - (offset - mapped.start)))
        }
        // No mapping (turned off, or `mmap` refused): read into a window.
        let w: Int
        if let hit = windows.firstIndex(where: { $0.pack == p && offset >= $0.start && offset + needed <= $0.start + $0.count }) {
            w = hit
        } else {
            let forward = windows.firstIndex { $0.pack == p && offset >= $0.start && offset <= $0.start + $0.count + Self.windowSize }
            w = forward ?? windows.indices.min { windows[$0].lastUse < windows[$1].lastUse }!
            let size = max(needed, forward == nil ? Self.windowSize : Self.forwardWindowSize)
            if windows[w].bytes.count < size { windows[w].bytes = [UInt8](unsafeUninitializedCapacity: size) { _, count in count = size } }
            windows[w].pack = -1
            var count = 0
            while count < needed {
                let n = windows[w].bytes.withUnsafeMutableBytes { pread(pack.fd, $0.baseAddress! + count, size - count, off_t(offset + count)) }
                guard n > 0 else { return nil }
                count += n
            }
            (windows[w].pack, windows[w].start, windows[w].count) = (p, offset, count)
        }
        windows[w].lastUse = windowClock
        let window = windows[w]
        return window.bytes.withUnsafeBufferPointer { all in
            body(UnsafeBufferPointer(rebasing: all[(offset - window.start)..<window.count]))
        }
    }

    /// The object's type and bytes, or `nil` when it is not in these packs or cannot be read
    /// here (the caller then asks libgit2). A miss looks for packs written since the last look,
    /// as git does after a repack.
    func read(_ id: ObjectID) -> (type: git_object_t, bytes: [UInt8])? {
        guard let key = locate(id) ?? (openNewPacks() ? locate(id) : nil), let entry = object(at: key) else { return nil }
        return (entry.type, entry.bytes)
    }

    /// Opens the packs that appeared since the directory was last listed; whether there were any.
    @discardableResult
    private func openNewPacks() -> Bool {
        var info = stat()
        guard stat(packDirectory, &info) == 0 else { return false }
        if let listedAt, listedAt.tv_sec == info.st_mtim.tv_sec, listedAt.tv_nsec == info.st_mtim.tv_nsec { return false }
        listedAt = info.st_mtim
        let before = packs.count
        for name in Self.indexNames(in: packDirectory) where seen.insert(name).inserted {
            guard let (index, count) = Self.shared(packDirectory + name + ".idx") else { continue }
            let fd = open(packDirectory + name + ".pack", O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else { continue }
            var info = stat()
            guard fstat(fd, &info) == 0, info.st_size >= 32, info.st_size <= off_t(Int.max) else { close(fd); continue }
            indexes.append(index)
            packs.append(Pack(fd: fd, index: index.bytes, count: count, packSize: Int(info.st_size)))
        }
        return packs.count > before
    }

    // MARK: Objects

    /// The object at `key`: follows its delta chain down to a cached or whole object, then
    /// applies the deltas back up (a loop, not recursion, so no chain can exhaust the stack).
    private func object(at key: Key) -> Entry? {
        var chain: [(key: Key, header: Header)] = []
        var current = key
        var entry: Entry
        while true {
            if let hit = young[current] {
                entry = hit
                break
            }
            if let hit = old.removeValue(forKey: current) {
                remember(hit, at: current)
                entry = hit
                break
            }
            // git writes chains of at most 50 by default and never more than 4095.
            guard chain.count <= 4095, let header = readHeader(current.pack, at: current.offset) else { return nil }
            switch header.kind {
            case 1...4:
                guard let bytes = inflate(current.pack, at: header.dataAt, size: header.size) else { return nil }
                entry = Entry(type: git_object_t(rawValue: Int32(header.kind)), bytes: bytes)
            case 6:
                guard header.baseOffset >= 12, header.baseOffset < current.offset else { return nil }
                chain.append((current, header))
                current = Key(pack: current.pack, offset: header.baseOffset)
                continue
            case 7:
                guard let id = header.baseID, let base = locate(id) else { return nil }
                chain.append((current, header))
                current = base
                continue
            default:
                return nil
            }
            if entry.type == GIT_OBJECT_TREE { remember(entry, at: current) }
            break
        }
        // Rebuild each delta on its base, newest last, keeping the bases for the next reads.
        for (deltaKey, header) in chain.reversed() {
            remember(entry, at: current)
            guard let delta = inflate(deltaKey.pack, at: header.dataAt, size: header.size),
                  let bytes = Self.apply(delta, to: entry.bytes) else { return nil }
            entry = Entry(type: entry.type, bytes: bytes)
            current = deltaKey
        }
        if !chain.isEmpty, entry.type == GIT_OBJECT_TREE { remember(entry, at: key) }
        return entry
    }

    private func locate(_ id: ObjectID) -> Key? {
        for p in packs.indices {
            if let offset = packs[p].offset(of: id) { return Key(pack: p, offset: offset) }
        }
        return nil
    }

    /// Keeps an object in the young generation; where it would fill that past half the limit,
    /// the young generation becomes the old one first (the old one's objects let go), so the two
    /// never hold more than the limit.
    private func remember(_ entry: Entry, at key: Key) {
        if entry.type == GIT_OBJECT_TREE { largestTree = max(largestTree, entry.bytes.count) }
        let limit = currentLimit
        guard entry.bytes.count <= limit / 4 else { return }
        if youngBytes + entry.bytes.count > limit / 2 {
            swap(&young, &old)
            young.removeAll()
            youngBytes = 0
        }
        if young.updateValue(entry, forKey: key) == nil { youngBytes += entry.bytes.count }
    }

    // MARK: Pack format

    struct Header {
        var kind: Int
        var size: Int
        var dataAt: Int
        var baseOffset = 0
        var baseID: ObjectID?
    }

    /// Type, size and (for deltas) base of the entry at `offset`.
    private func readHeader(_ pack: Int, at offset: Int) -> Header? {
        withBytes(of: pack, at: offset, wanted: 64) { Self.parseHeader(UnsafeBufferPointer(rebasing: $0.prefix(64)), at: offset) } ?? nil
    }

    /// Parses an entry header from the (up to 64) bytes read at `offset`.
    static func parseHeader(_ bytes: ArraySlice<UInt8>, at offset: Int) -> Header? {
        Array(bytes).withUnsafeBufferPointer { parseHeader($0, at: offset) }
    }

    static func parseHeader(_ buffer: UnsafeBufferPointer<UInt8>, at offset: Int) -> Header? {
        let n = buffer.count
        guard n > 0, offset >= 0 else { return nil }
        var i = 0
        var byte = buffer[0]
        var header = Header(kind: Int(byte >> 4) & 7, size: Int(byte & 0x0F), dataAt: 0)
        var shift = 4
        while byte & 0x80 != 0 {
            i += 1
            guard i < n, shift < 57 else { return nil }
            byte = buffer[i]
            header.size |= Int(byte & 0x7F) << shift
            shift += 7
        }
        i += 1
        switch header.kind {
        case 6:
            guard i < n else { return nil }
            byte = buffer[i]
            var distance = Int(byte & 0x7F)
            while byte & 0x80 != 0 {
                i += 1
                guard i < n, distance < 1 << 48 else { return nil }
                byte = buffer[i]
                distance = ((distance + 1) << 7) | Int(byte & 0x7F)
            }
            i += 1
            header.baseOffset = offset - distance
        case 7:
            guard i + 20 <= n else { return nil }
            header.baseID = ObjectID(rawBytes: UnsafeRawPointer(buffer.baseAddress! + i))
            i += 20
        default:
            break
        }
        header.dataAt = offset + i
        return header
    }

    /// Inflates the zlib stream at `offset`, which must give exactly `size` bytes.
    private func inflate(_ pack: Int, at offset: Int, size: Int) -> [UInt8]? {
        guard size >= 0, size <= Self.maximumObjectSize else { return nil }
        if let output = inflateAtOnce(pack, at: offset, size: size) { return output }
        streamedInflations += 1
        guard streamReady, inflateReset(stream) == Z_OK else { return nil }
        // zlib fills every byte or the result is thrown away: no need to zero it first.
        var output = [UInt8](unsafeUninitializedCapacity: size) { _, count in count = size }
        let stream = self.stream
        var position = offset
        var status = Z_OK
        output.withUnsafeMutableBufferPointer { out in
            // An empty output still needs a valid pointer for zlib.
            var spare: UInt8 = 0
            stream.pointee.next_out = out.baseAddress ?? withUnsafeMutablePointer(to: &spare) { $0 }
            stream.pointee.avail_out = UInt32(out.count)
            while status == Z_OK {
                // Compressed, an object is rarely more than its size and a little: ask for that
                // much at once (a megabyte at most; the loop asks again).
                let step = withBytes(of: pack, at: position, wanted: min(size + 64, 1 << 20)) { input -> (Int32, Int) in
                    stream.pointee.next_in = UnsafeMutablePointer(mutating: input.baseAddress!)
                    stream.pointee.avail_in = UInt32(input.count)
                    var result = Z_OK
                    while stream.pointee.avail_in > 0, result == Z_OK {
                        result = CGit2.inflate(stream, Z_NO_FLUSH)
                        if result == Z_BUF_ERROR, stream.pointee.avail_out == 0 { result = Z_DATA_ERROR }  // more than `size`
                    }
                    return (result == Z_BUF_ERROR ? Z_OK : result, input.count - Int(stream.pointee.avail_in))
                }
                guard let (result, used) = step, used > 0 || result != Z_OK else { status = Z_DATA_ERROR; break }
                position += used
                status = result
            }
        }
        guard status == Z_STREAM_END, Int(stream.pointee.total_out) == size else { return nil }
        return output
    }

    /// The zlib stream at `offset` decompressed by libdeflate in one call, from the bytes the
    /// streaming path would read first: `nil` unless it ends within them and gives exactly
    /// `size` bytes (its checksum verified), and then the streaming path decides.
    private func inflateAtOnce(_ pack: Int, at offset: Int, size: Int) -> [UInt8]? {
        guard let decompressor else { return nil }
        var output = [UInt8](unsafeUninitializedCapacity: size) { _, count in count = size }
        let complete = output.withUnsafeMutableBytes { out -> Bool in
            var spare: UInt8 = 0
            return withUnsafeMutablePointer(to: &spare) { spare in
                withBytes(of: pack, at: offset, wanted: min(size + 64, 1 << 20)) { input -> Bool in
                    var produced = 0
                    var consumed = 0
                    let result = libdeflate_zlib_decompress_ex(decompressor, input.baseAddress, input.count,
                                                               out.baseAddress ?? UnsafeMutableRawPointer(spare), size, &consumed, &produced)
                    return result == LIBDEFLATE_SUCCESS && produced == size
                } ?? false
            }
        }
        return complete ? output : nil
    }

    /// Applies a git delta (source size, target size, then copy and insert instructions).
    static func apply(_ delta: [UInt8], to base: [UInt8]) -> [UInt8]? {
        var i = 0
        func size() -> Int? {
            var value = 0
            var shift = 0
            while i < delta.count {
                let byte = delta[i]
                i += 1
                value |= Int(byte & 0x7F) << shift
                shift += 7
                if byte & 0x80 == 0 { return value }
                guard shift < 57 else { return nil }
            }
            return nil
        }
        guard let sourceSize = size(), sourceSize == base.count, let targetSize = size(),
              targetSize <= maximumObjectSize else { return nil }
        // Every byte is written or the result is thrown away.
        var out = [UInt8](unsafeUninitializedCapacity: targetSize) { _, count in count = targetSize }
        var written = 0
        let ok = out.withUnsafeMutableBytes { target in
            base.withUnsafeBytes { source in
                while i < delta.count {
                    let command = delta[i]
                    i += 1
                    if command & 0x80 != 0 {
                        var copyOffset = 0
                        var copySize = 0
                        for bit in 0..<4 where command & (1 << bit) != 0 {
                            guard i < delta.count else { return false }
                            copyOffset |= Int(delta[i]) << (8 * bit)
                            i += 1
                        }
                        for bit in 0..<3 where command & (0x10 << bit) != 0 {
                            guard i < delta.count else { return false }
                            copySize |= Int(delta[i]) << (8 * bit)
                            i += 1
                        }
                        if copySize == 0 { copySize = 0x10000 }
                        guard copyOffset + copySize <= source.count, written + copySize <= target.count else { return false }
                        memcpy(target.baseAddress! + written, source.baseAddress! + copyOffset, copySize)
                        written += copySize
                    } else if command != 0 {
                        let length = Int(command)
                        guard i + length <= delta.count, written + length <= target.count else { return false }
                        _ = delta.withUnsafeBytes { memcpy(target.baseAddress! + written, $0.baseAddress! + i, length) }
                        i += length
                        written += length
                    } else {
                        return false
                    }
                }
                return written == target.count
            }
        }
        return ok ? out : nil
    }
}
