/// A pure renderer of a report into one output format. No I/O, no configuration, no throwing.
public protocol Reporter {
    static func render(_ report: StatusReport) -> String
}

/// The formats `review check` writes.
public enum CheckFormat: String, CaseIterable, Sendable {
    case text, json, junit, sarif, github, checkstyle

    /// The reporter for this format: one exhaustive switch, so a new format cannot be forgotten.
    public var reporter: any Reporter.Type {
        switch self {
        case .text: TextReporter.self
        case .json: CheckJSONReporter.self
        case .junit: JUnitReporter.self
        case .sarif: SARIFReporter.self
        case .github: GitHubReporter.self
        case .checkstyle: CheckstyleReporter.self
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
    public var location: String { path + (line.map { ":\($0)" } ?? "") }
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
