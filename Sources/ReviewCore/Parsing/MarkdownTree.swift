import Paths
#if canImport(Glibc)
import Glibc
#endif

/// An article's Markdown as cmark-gfm parsed it, flat: every node in document order (parents
/// first) in one array, and every text in one byte buffer. It holds what ``MarkdownNode`` holds
/// (``init(_:)`` and ``MarkdownNode/init(_:)`` convert one into the other, node for node), but
/// made with two allocations rather than an array and up to four strings per node: the rules
/// that run on every page as it is parsed read this, and a tree of values cost more to build
/// and free than cmark-gfm took to parse the page (issue 36: a twelfth of a cold run's CPU on
/// windows-powershell-docs).
///
/// A node's children follow it: the first at the next index, each next one where its elder
/// sibling's subtree ends (``Node/next``).
public struct MarkdownTree: Sendable, Equatable {
    public struct Node: Sendable, Equatable {
        public var kind: MarkdownNode.Kind
        /// A list: ordered or not. A table row: whether it is the header row.
        var ordered = false
        var isHeader = false
        /// A task-list item: 1 unchecked, 2 checked; 0 an ordinary item.
        var checked: UInt8 = 0
        /// A heading's level (1-6).
        public var level = 0
        /// The lines it starts and ends on, counted in the Markdown given to the parser (as
        /// ``MarkdownNode/line`` and ``MarkdownNode/endLine``).
        public var line = 0
        public var endLine = 0
        /// Where a list's numbering starts.
        var start = 1
        /// How many children it has.
        public var childCount = 0
        /// The index after its subtree: its next sibling's, where it has one.
        public var next = 0
        /// Its texts in ``MarkdownTree/bytes``: literal, link or image destination, title, code
        /// block info string.
        var literal: Range<Int> = 0..<0
        var url: Range<Int> = 0..<0
        var title: Range<Int> = 0..<0
        var info: Range<Int> = 0..<0

        init(kind: MarkdownNode.Kind) { self.kind = kind }
    }

    /// Every node, parents first; the document is the first.
    public private(set) var nodes: [Node]
    /// Every node's texts, one after another.
    private(set) var bytes: [UInt8]

    /// A document with nothing in it.
    init() {
        nodes = [Node(kind: .document)]
        nodes[0].next = 1
        bytes = []
    }

    /// Built by ``Builder``.
    private init(nodes: [Node], bytes: [UInt8]) {
        self.nodes = nodes
        self.bytes = bytes
    }

    /// The same tree as `document`, flat.
    public init(_ document: MarkdownNode) {
        var builder = Builder()
        func add(_ node: UnsafePointer<MarkdownNode>, parent: Int?) {
            var flat = Node(kind: node.pointee.kind)
            flat.ordered = node.pointee.ordered
            flat.isHeader = node.pointee.isHeader
            flat.checked = node.pointee.checked.map { $0 ? 2 : 1 } ?? 0
            flat.level = node.pointee.level
            flat.line = node.pointee.line
            flat.endLine = node.pointee.endLine
            flat.start = node.pointee.start
            var (literal, url, title, info) = (node.pointee.literal, node.pointee.url, node.pointee.title, node.pointee.info)
            let index = literal.withUTF8 { literal in
                url.withUTF8 { url in
                    title.withUTF8 { title in
                        info.withUTF8 { info in builder.append(flat, parent: parent, literal: literal, url: url, title: title, info: info) }
                    }
                }
            }
            node.pointee.children.withBorrowedNodes { children, count in
                for i in 0..<count { add(children + i, parent: index) }
            }
            builder.end(index)
        }
        withUnsafePointer(to: document) { add($0, parent: nil) }
        self = builder.tree
    }

    /// The document node's index.
    public static let root = 0

    /// The children of the node at `index`, in order.
    @inline(__always)
    public func children(of index: Int) -> Children { Children(nodes: nodes, parent: index) }

    public struct Children: Sequence {
        let nodes: [Node]
        let parent: Int

        public func makeIterator() -> Iterator {
            Iterator(nodes: nodes, upcoming: parent + 1, left: nodes[parent].childCount)
        }

        public var count: Int { nodes[parent].childCount }
        public var isEmpty: Bool { count == 0 }
        public var first: Int? { isEmpty ? nil : parent + 1 }

        public struct Iterator: IteratorProtocol {
            let nodes: [Node]
            var upcoming: Int
            var left: Int

            @inline(__always)
            public mutating func next() -> Int? {
                guard left > 0 else { return nil }
                left -= 1
                defer { upcoming = nodes[upcoming].next }
                return upcoming
            }
        }
    }

    /// Calls `body` with a node's literal's bytes (text, code, raw HTML).
    @inline(__always)
    public func withLiteral<R>(_ index: Int, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        let range = nodes[index].literal
        return bytes.withUnsafeBufferPointer { all in body(UnsafeBufferPointer(rebasing: all[range])) }
    }

    /// Calls `body` with a link's or image's destination's bytes.
    @inline(__always)
    public func withURL<R>(_ index: Int, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        let range = nodes[index].url
        return bytes.withUnsafeBufferPointer { all in body(UnsafeBufferPointer(rebasing: all[range])) }
    }

    /// A node's literal: text, code, or raw HTML.
    public func literal(_ index: Int) -> String { string(nodes[index].literal) }
    /// A link's or image's destination.
    public func url(_ index: Int) -> String { string(nodes[index].url) }

    fileprivate func string(_ range: Range<Int>) -> String {
        bytes.withUnsafeBufferPointer { all in String(decoding: all[range], as: UTF8.self) }
    }

    /// Whether a node's literal holds `byte` (`memchr`: this looks through every text of a page).
    public func literalContains(_ index: Int, _ byte: UInt8) -> Bool {
        withLiteral(index) { literal in literal.baseAddress.map { memchr($0, Int32(byte), literal.count) != nil } ?? false }
    }

    /// Appends the UTF-8 of a node's plain text (``MarkdownNode/plainText``) to `out`.
    public func appendPlainText(of index: Int, to out: inout [UInt8]) {
        let kind = nodes[index].kind
        switch kind {
        case .text, .code, .htmlInline, .htmlBlock, .codeBlock:
            withLiteral(index) { out.append(contentsOf: $0) }
        case .softBreak, .lineBreak: out.append(0x20)
        default:
            var first = true
            for child in children(of: index) {
                if !first && kind == .tableRow { out.append(0x20) }
                first = false
                appendPlainText(of: child, to: &out)
            }
        }
    }

    /// A node's plain text (``MarkdownNode/plainText``).
    public func plainText(_ index: Int) -> String {
        var out: [UInt8] = []
        appendPlainText(of: index, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Builds a tree a node at a time, in document order: each node is appended, then its
    /// children, then its end is marked.
    struct Builder {
        private var nodes: [Node] = []
        private var bytes: [UInt8] = []

        init(capacity: Int = 0, bytes byteCapacity: Int = 0) {
            nodes.reserveCapacity(capacity)
            bytes.reserveCapacity(byteCapacity)
        }

        var tree: MarkdownTree { nodes.isEmpty ? MarkdownTree() : MarkdownTree(nodes: nodes, bytes: bytes) }

        /// Appends `node` (with its texts) as the next node, a child of the node at `parent`;
        /// returns its index. Its subtree ends where ``end(_:)`` says.
        @inline(__always)
        mutating func append(_ node: Node, parent: Int?, literal: UnsafeBufferPointer<UInt8>, url: UnsafeBufferPointer<UInt8>,
                             title: UnsafeBufferPointer<UInt8>, info: UnsafeBufferPointer<UInt8>) -> Int {
            var node = node
            node.literal = take(literal)
            node.url = take(url)
            node.title = take(title)
            node.info = take(info)
            let index = nodes.count
            node.next = index + 1
            nodes.append(node)
            if let parent { nodes[parent].childCount += 1 }
            return index
        }

        /// Marks where the subtree of the node at `index` ends: at the next node appended.
        @inline(__always)
        mutating func end(_ index: Int) {
            nodes[index].next = nodes.count
        }

        /// The lines a node appended starts and ends on.
        func line(_ index: Int) -> Int { nodes[index].line }
        func endLine(_ index: Int) -> Int { nodes[index].endLine }

        @inline(__always)
        private mutating func take(_ text: UnsafeBufferPointer<UInt8>) -> Range<Int> {
            guard !text.isEmpty else { return 0..<0 }
            let start = bytes.count
            bytes.append(contentsOf: text)
            return start..<bytes.count
        }
    }
}

extension MarkdownNode {
    /// The same tree as `tree`, as values.
    public init(_ tree: MarkdownTree) {
        self = Self.make(tree, MarkdownTree.root)
    }

    private static func make(_ tree: MarkdownTree, _ index: Int) -> MarkdownNode {
        let flat = tree.nodes[index]
        var node = MarkdownNode(kind: flat.kind)
        node.literal = tree.literal(index)
        node.url = tree.url(index)
        node.title = tree.string(flat.title)
        node.info = tree.string(flat.info)
        node.level = flat.level
        node.ordered = flat.ordered
        node.start = flat.start
        node.checked = flat.checked == 0 ? nil : flat.checked == 2
        node.isHeader = flat.isHeader
        node.line = flat.line
        node.endLine = flat.endLine
        node.children = tree.children(of: index).map { make(tree, $0) }
        return node
    }
}
