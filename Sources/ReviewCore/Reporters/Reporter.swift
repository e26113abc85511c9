#if canImport(Glibc)
import Paths
import Glibc
#endif

/// A pure renderer of a report into one output format. No I/O, no configuration, no throwing.
public protocol Reporter {
    static func render(_ report: StatusReport) -> String
}

/// The formats `review check` writes.
public enum CheckFormat: String, CaseIterable, Sendable {
    case text, json, junit, sarif, github, checkstyle, codequality

    /// The report in this format; only `github` may contain workflow commands.
    public func render(_ report: StatusReport) -> String {
        let out = reporter.render(report)
        return self == .github ? out : TerminalSafe.withoutWorkflowCommands(out)
    }

    /// The reporter for this format: one exhaustive switch, so a new format cannot be forgotten.
    public var reporter: any Reporter.Type {
        switch self {
        case .text: TextReporter.self
        case .json: CheckJSONReporter.self
        case .junit: JUnitReporter.self
        case .sarif: SARIFReporter.self
        case .github: GitHubReporter.self
        case .checkstyle: CheckstyleReporter.self
        case .codequality: CodeQualityReporter.self
        }
    }
}

/// The formats `review status` writes.
public enum StatusFormat: String, CaseIterable, Sendable {
    case table, json, markdown

    public var reporter: any Reporter.Type {
        switch self {
        case .table: TableReporter.self
        case .json: StatusJSONReporter.self
        case .markdown: MarkdownReporter.self
        }
    }
}

extension Finding {
    /// `path:line` (or just the path), as compilers print locations.
    public var location: String { path.text + (line.map { ":\($0)" } ?? "") }
}

/// Escaping for XML text and attribute values (JUnit, Checkstyle).
public enum XMLEscaping {
    /// Escapes `& < > " '`, writes tab, LF and CR as character references (so attributes keep
    /// them), and replaces characters XML 1.0 cannot carry with U+FFFD.
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\t": out += "&#9;"
            case "\n": out += "&#10;"
            case "\r": out += "&#13;"
            default:
                let v = scalar.value
                let allowed = v >= 0x20 && v != 0xFFFE && v != 0xFFFF && !(0xD800...0xDFFF).contains(v)
                out.unicodeScalars.append(allowed ? scalar : "\u{FFFD}")
            }
        }
        return out
    }
}

/// Repository values (titles, names, comments, paths, messages) made safe to print for people,
/// and output no GitHub Actions runner can mistake for a workflow command.
public enum TerminalSafe {
    /// One value on one line: line breaks and tabs become spaces; every other control
    /// character (C0 and C1, ESC with it: colours, cursor moves, window titles, hyperlinks),
    /// bidirectional overrides and line separators becomes U+FFFD.
    public static func clean(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isUnsafe) else { return text }
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if scalar == "\n" || scalar == "\r" || scalar == "\t" {
                out.append(" ")
            } else {
                out.append(isUnsafe(scalar) ? "\u{FFFD}" : scalar)
            }
        }
        return String(out)
    }

    /// Text of many lines (a diff): keeps line feeds and tabs (and carriage returns, for
    /// formats that escape them), replaces the rest as ``clean(_:)``.
    public static func cleanLines(_ text: String, keepingCarriageReturns: Bool = false) -> String {
        guard text.unicodeScalars.contains(where: isUnsafe) else { return text }
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            let kept = scalar == "\n" || scalar == "\t" || (keepingCarriageReturns && scalar == "\r")
            out.append(kept || !isUnsafe(scalar) ? scalar : "\u{FFFD}")
        }
        return String(out)
    }

    /// `output` with every line that a GitHub Actions runner would read as a workflow command
    /// (`::name …::`, after leading blanks) prefixed with a backslash. Only the `github` format
    /// may issue commands.
    public static func withoutWorkflowCommands(_ output: String) -> String {
        // One pass over the bytes, in place; most output has no such line and is returned as it is.
        var lines = WorkflowCommandLines()
        if output.utf8.withContiguousStorageIfAvailable({ lines.read($0) }) == nil {
            Array(output.utf8).withUnsafeBufferPointer { lines.read($0) }
        }
        guard !lines.starts.isEmpty else { return output }
        let bytes = Array(output.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + lines.starts.count)
        var from = 0
        for start in lines.starts {
            out += bytes[from..<start]
            out.append(0x5C)
            from = start
        }
        out += bytes[from...]
        return String(decoding: out, as: UTF8.self)
    }

    /// Whether a line of the text made of `parts` (joined in order) is one that
    /// ``withoutWorkflowCommands(_:)`` would change; the parts are read as they are, not joined.
    public static func containsWorkflowCommands(_ parts: [[UInt8]]) -> Bool {
        containsWorkflowCommands(parts, scans: parts.map(scan))
    }

    /// ``containsWorkflowCommands(_:)`` with each part's ``scan(_:)`` made already (on any
    /// thread: tens of megabytes of a large site's JSON need not be read on one core).
    public static func containsWorkflowCommands(_ parts: [[UInt8]], scans: [PartScan]) -> Bool {
        precondition(parts.count == scans.count, "one scan per part")
        var lines = WorkflowCommandLines()
        for (part, scan) in zip(parts, scans) {
            // Its first line continues the line before: read from where that one stands.
            part.withUnsafeBufferPointer { lines.read(UnsafeBufferPointer(rebasing: $0[..<(scan.firstLineEnd ?? $0.count)])) }
            if !lines.starts.isEmpty { return true }
            guard scan.firstLineEnd != nil else { continue }
            // The lines after it the scan has read.
            if scan.commandInside { return true }
            lines = WorkflowCommandLines(place: scan.place)
        }
        return false
    }

    /// What a part of a text holds that ``containsWorkflowCommands(_:scans:)`` needs, read on its own.
    public struct PartScan: Sendable {
        /// Where its first line ends (the index after its first line feed); `nil` without one.
        fileprivate var firstLineEnd: Int?
        /// Whether a line starting after its first line feed is a workflow command.
        fileprivate var commandInside = false
        /// Where its last line stands at its end.
        fileprivate var place = WorkflowCommandLines.Place.inLine
    }

    /// `part` read from its first line feed on (what comes before depends on the parts before it).
    public static func scan(_ part: [UInt8]) -> PartScan {
        part.withUnsafeBufferPointer { bytes in
            guard let base = bytes.baseAddress, let newline = memchr(base, 0x0A, bytes.count) else { return PartScan() }
            let end = base.distance(to: newline.assumingMemoryBound(to: UInt8.self)) + 1
            var lines = WorkflowCommandLines()
            lines.read(UnsafeBufferPointer(rebasing: bytes[end...]))
            return PartScan(firstLineEnd: end, commandInside: !lines.starts.isEmpty, place: lines.place)
        }
    }

    /// The lines a GitHub Actions runner would read as workflow commands (`::` after leading
    /// blanks) in a text read piece by piece, in order: ``starts`` are their offsets from the
    /// text's start (where a backslash goes).
    fileprivate struct WorkflowCommandLines {
        enum Place { case lineStart, firstColon, inLine }
        private(set) var place = Place.lineStart
        /// Where the current line starts, and how many bytes came before this piece.
        private var lineStart = 0, offset = 0
        private(set) var starts: [Int] = []

        init() {}

        /// Reading on from a line that stands at `place` (offsets count from here).
        init(place: Place) { self.place = place }

        mutating func read(_ bytes: UnsafeBufferPointer<UInt8>) {
            guard let base = bytes.baseAddress else { return }
            var i = 0
            while i < bytes.count {
                switch place {
                case .lineStart:
                    switch bytes[i] {
                    case 0x20, 0x09, 0x0D: i += 1
                    case 0x0A: i += 1; lineStart = offset + i  // an empty line
                    case 0x3A: place = .firstColon; i += 1
                    default: place = .inLine
                    }
                case .firstColon:
                    if bytes[i] == 0x3A { starts.append(lineStart) }
                    place = .inLine
                case .inLine:
                    // To the next line: memchr, as tens of megabytes of a large site's JSON go by here.
                    guard let newline = memchr(base + i, 0x0A, bytes.count - i) else { i = bytes.count; continue }
                    i = base.distance(to: newline.assumingMemoryBound(to: UInt8.self)) + 1
                    place = .lineStart
                    lineStart = offset + i
                }
            }
            offset += bytes.count
        }
    }

    static func isUnsafe(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        return v < 0x20 || (0x7F...0x9F).contains(v) || (0x202A...0x202E).contains(v) || (0x2066...0x2069).contains(v)
            || v == 0x2028 || v == 0x2029 || v == 0x200E || v == 0x200F || v == 0x061C
    }
}

extension Finding {
    /// The finding as one compiler-style line, every repository value in it made safe.
    public var textLine: String {
        "\(TerminalSafe.clean(location)): \(severity.rawValue): \(TerminalSafe.clean(message)) [\(rule.rawValue)]"
    }
}
