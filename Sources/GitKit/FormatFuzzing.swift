import Paths

/// Entry points for the libFuzzer target (`ParserFuzzer`, `Scripts/check/fuzz`): each runs one input
/// through one of the readers of repository data. None may crash, trap or hang on any bytes;
/// a damaged object is an answer of `nil` or a ``RepositoryError``.
public enum FormatFuzzing {
    /// A pack index: its layout (the trailing checksum aside, so the fuzzer gets past it),
    /// then a lookup of every name it lists and of a few it does not.
    public static func packIndex(_ bytes: [UInt8]) {
        let index = PackReader.IndexBytes(copying: bytes)
        guard let count = PackReader.Pack.validCount(index.bytes, verifyingChecksum: false) else { return }
        // The pack reads the index's bytes while `index` is kept.
        withExtendedLifetime(index) {
            let pack = PackReader.Pack(fd: -1, index: index.bytes, count: count, packSize: 1 << 40)
            for i in 0..<min(count, 64) {
                let at = pack.namesAt + i * 20
                guard let id = ObjectID(bytes: bytes[at..<(at + 20)]) else { continue }
                _ = pack.offset(of: id)
            }
            for fill: UInt8 in [0, 0x7F, 0xFF] {
                _ = pack.offset(of: ObjectID(bytes: [UInt8](repeating: fill, count: 20)[...])!)
            }
        }
    }

    /// A pack entry: its header (type, size, delta base), then, for the rest of the input,
    /// a delta applied to a base made of the input's first half.
    public static func packEntry(_ bytes: [UInt8]) {
        _ = PackReader.parseHeader(bytes.prefix(64)[...], at: 4096)
        let half = bytes.count / 2
        _ = PackReader.apply(Array(bytes[half...]), to: Array(bytes[..<half]))
    }

    /// A tree object, entry by entry.
    public static func tree(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { raw in
            var cursor = RawTreeCursor(bytes: raw, treeID: ObjectID(bytes: [UInt8](repeating: 0, count: 20)[...])!)
            while let entry = try? cursor.next() {
                _ = entry.kind
                _ = entry.path(under: "")
                _ = entry.id
            }
        }
    }

    /// A commit object: headers, signatures and dates, message and trailers.
    public static func commit(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { raw in
            guard let commit = try? RawCommit.parse(raw, id: ObjectID(bytes: [UInt8](repeating: 0, count: 20)[...])!) else { return }
            _ = commit.author.time + Int64(commit.author.offsetMinutes) * 60
            _ = commit.committer.time + Int64(commit.committer.offsetMinutes) * 60
        }
    }
}
