import Paths
#if canImport(Glibc)
import Glibc
#endif

/// Numbers the paths a tree comparison meets by folder and name, so that a path seen before is
/// found from the tree entry's bytes alone: no path is built and no whole path hashed, only
/// the name within its folder (the history walk meets a changed path at every commit that
/// changes it, and building each one as text, then hashing it whole, was a third of the walk).
///
/// Folder 0 is the comparison's root (such as `Articles/`, or the empty path for the whole
/// tree). A file and a folder of the same name are different entries (history may hold both,
/// one after the other). A path is built once, when it is first numbered; where the numbering
/// does not grow, only the paths it was given are found.
struct PathNumbering {
    /// Each numbered file's path, by number (only when the numbering grows).
    private(set) var paths: [GitPath] = []
    /// Whether paths met for the first time are numbered (the history index's mode), or only
    /// the paths given to ``init(root:numbering:grows:)`` are found (a scope's).
    let grows: Bool
    /// Each folder's path with its trailing slash, by folder number.
    private var folderPaths: [GitPath]

    private struct Entry {
        var hash: Int
        var parent: Int32
        var nameStart: Int32
        var nameCount: Int32
        /// The file's number, or the folder's.
        var number: Int32
        var isFolder: Bool
    }
    private var entries: [Entry] = []
    /// The names of all entries, one after the other.
    private var names: [UInt8] = []
    /// Open addressing: indices into `entries`, `-1` where free; a power of two, at most half full.
    private var slots = [Int32](repeating: -1, count: 1024)

    /// - Parameters:
    ///   - root: the folder the comparison starts in, with its trailing slash (or empty).
    ///   - numbering: paths below `root` and their numbers (paths not below it are never met
    ///     and are left out; of a path given twice, the first number holds).
    ///   - grows: whether new paths get numbers from `numbering.count` up, in the order met.
    init(root: GitPath, numbering known: [(path: GitPath, number: Int32)], grows: Bool) {
        self.grows = grows
        folderPaths = [root]
        if grows { paths = known.map(\.path) }
        let rootBytes = root.bytes, rootCount = rootBytes.count
        for (path, given) in known {
            path.withBytes { bytes in
                guard bytes.count > rootCount, bytes.starts(with: rootBytes) else { return }
                var folder: Int32 = 0
                var start = rootCount
                while let slash = bytes[start...].firstIndex(of: UInt8(ascii: "/")) {
                    folder = self.number(in: folder, UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: bytes[start..<slash])), isFolder: true, adding: true, fileNumber: -1)!
                    start = slash + 1
                }
                _ = self.number(in: folder, UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: bytes[start...])), isFolder: false, adding: true, fileNumber: given)
            }
        }
    }

    /// The path of the folder numbered `folder`, with its trailing slash (empty for the root of
    /// the whole tree).
    func folderPath(_ folder: Int32) -> GitPath { folderPaths[Int(folder)] }

    /// The number of the file `name` in `folder`: found, or given now when the numbering grows.
    mutating func file(in folder: Int32, named name: UnsafeRawBufferPointer) -> Int32? {
        number(in: folder, name, isFolder: false, adding: grows, fileNumber: Int32(paths.count))
    }

    /// The number of the folder `name` in `folder`: found, or given now when the numbering grows.
    mutating func folder(in folder: Int32, named name: UnsafeRawBufferPointer) -> Int32? {
        number(in: folder, name, isFolder: true, adding: grows, fileNumber: -1)
    }

    /// Keys the hashes, so no repository's names can be chosen to collide (drawn per numbering).
    private let seed = UInt64.random(in: .min ... .max)

    /// A seeded multiply-xorshift hash of (folder, kind, name), eight bytes at a step: names are
    /// short, and `Hasher` spent more setting up and finishing than hashing them.
    private func hash(_ parent: Int32, _ name: UnsafeRawBufferPointer, _ isFolder: Bool) -> Int {
        var h = Self.mix(seed ^ (UInt64(UInt32(bitPattern: parent)) << 1 | (isFolder ? 1 : 0)))
        var i = 0
        while i + 8 <= name.count {
            h = Self.mix(h ^ name.loadUnaligned(fromByteOffset: i, as: UInt64.self))
            i += 8
        }
        var tail = UInt64(name.count) << 56
        var shift: UInt64 = 0
        while i < name.count {
            tail |= UInt64(name[i]) << shift
            shift += 8
            i += 1
        }
        return Int(truncatingIfNeeded: Self.mix(h ^ tail))
    }

    /// SplitMix64's finalizer: every bit of the input reaches every bit of the output (the
    /// slots use the low bits here, ``BlobNumbering`` the high ones).
    static func mix(_ x: UInt64) -> UInt64 {
        var z = (x ^ (x >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }

    /// Finds the entry, or adds it when `adding` (a file as `fileNumber`, a folder as the next
    /// folder number; a file's path is recorded only when the numbering grows).
    private mutating func number(in parent: Int32, _ name: UnsafeRawBufferPointer, isFolder: Bool, adding: Bool, fileNumber: Int32) -> Int32? {
        let hash = self.hash(parent, name, isFolder)
        let mask = slots.count - 1
        var slot = hash & mask
        let found: Int32? = entries.withUnsafeBufferPointer { entries in
            names.withUnsafeBufferPointer { names in
                slots.withUnsafeBufferPointer { slots in
                    while true {
                        let e = slots[slot]
                        if e < 0 { return nil }
                        let entry = entries[Int(e)]
                        if entry.hash == hash, entry.parent == parent, entry.isFolder == isFolder, Int(entry.nameCount) == name.count,
                           name.count == 0 || memcmp(names.baseAddress! + Int(entry.nameStart), name.baseAddress!, name.count) == 0 {
                            return entry.number
                        }
                        slot = (slot + 1) & mask
                    }
                }
            }
        }
        if let found { return found }
        guard adding else { return nil }
        let number: Int32
        if isFolder {
            number = Int32(folderPaths.count)
            folderPaths.append(GitPath(folderPaths[Int(parent)], appending: name) + "/")
        } else {
            number = fileNumber
            if grows, Int(fileNumber) == paths.count { paths.append(GitPath(folderPaths[Int(parent)], appending: name)) }
        }
        slots[slot] = Int32(entries.count)
        entries.append(Entry(hash: hash, parent: parent, nameStart: Int32(names.count), nameCount: Int32(name.count), number: number,
                             isFolder: isFolder))
        names.append(contentsOf: name)
        if entries.count * 2 > slots.count { grow() }
        return number
    }

    private mutating func grow() {
        slots = [Int32](repeating: -1, count: slots.count * 2)
        let mask = slots.count - 1
        for (i, entry) in entries.enumerated() {
            var slot = entry.hash & mask
            while slots[slot] >= 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(i)
        }
    }
}
