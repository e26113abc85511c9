import Paths
import CCmarkGFM
import CmarkArena
import Foundation
import Synchronization

/// One node of an article's Markdown, as cmark-gfm (CommonMark with GitHub's table,
/// strikethrough, autolink and task-list extensions) parsed it, copied out as a value.
public struct MarkdownNode: Sendable, Equatable {
    public enum Kind: String, Sendable {
        case document, blockQuote, list, item, codeBlock, htmlBlock, paragraph, heading, thematicBreak
        case table, tableRow, tableCell
        case text, softBreak, lineBreak, code, htmlInline, emphasis, strong, strikethrough, link, image
        /// Anything else cmark-gfm may produce (footnotes, custom nodes): its text only.
        case other
    }

    public var kind: Kind
    /// Text, code, or raw HTML (shown as text, never passed through).
    public var literal: String = ""
    /// A link's or image's destination.
    public var url: String = ""
    public var title: String = ""
    /// A heading's level (1-6).
    public var level: Int = 0
    /// A list: ordered or not, and where its numbering starts.
    public var ordered = false
    public var start = 1
    /// A task-list item: checked or not; `nil` for an ordinary item.
    public var checked: Bool?
    /// A table row that is the header row.
    public var isHeader = false
    /// A code block's info string (its language).
    public var info: String = ""
    /// The line it starts on, counted in the Markdown given to the parser.
    public var line: Int = 0
    /// The line it ends on, likewise (blocks; 0 where cmark gives none).
    public var endLine: Int = 0
    public var children: [MarkdownNode] = []

    public init(kind: Kind) { self.kind = kind }

    /// The node's text with its children's, as a reader sees it (breaks as spaces).
    public var plainText: String {
        switch kind {
        case .text, .code, .htmlInline, .htmlBlock, .codeBlock: return literal
        case .softBreak, .lineBreak: return " "
        // One child (a paragraph of one run of text, mostly): its text, not a copy of it.
        case _ where children.count == 1: return children[0].plainText
        default:
            var out = ""
            appendPlainText(to: &out)
            return out
        }
    }

    /// Calls `body` with this node's address and then each node's below it, parents first, in
    /// document order; an address is valid only during its call. The nodes are read in place,
    /// never copied (every article's tree is walked when it is parsed); the parser bounds the
    /// depth (``MarkdownParser/maximumDepth``).
    func forEachNode(_ body: (UnsafePointer<MarkdownNode>) -> Void) {
        withUnsafePointer(to: self) { Self.forEach(in: $0, body) }
    }

    private static func forEach(in node: UnsafePointer<MarkdownNode>, _ body: (UnsafePointer<MarkdownNode>) -> Void) {
        body(node)
        node.pointee.children.withBorrowedNodes { nodes, count in
            for i in 0..<count { forEach(in: nodes + i, body) }
        }
    }

    /// Appends ``plainText`` to `out` (one buffer for the whole subtree).
    private func appendPlainText(to out: inout String) {
        switch kind {
        case .text, .code, .htmlInline, .htmlBlock, .codeBlock: out += literal
        case .softBreak, .lineBreak: out += " "
        default:
            children.withBorrowedNodes { children, count in
                for i in 0..<count {
                    if i > 0 && kind == .tableRow { out += " " }
                    children[i].appendPlainText(to: &out)
                }
            }
        }
    }
}

extension [MarkdownNode] {
    /// Calls `body` with the nodes' first address and count: `nodes[i]` reads a node in place,
    /// where a buffer's subscript would copy it (retaining each of its strings and children).
    @inline(__always) @discardableResult
    func withBorrowedNodes<R>(_ body: (UnsafePointer<MarkdownNode>, Int) -> R) -> R? {
        withUnsafeBufferPointer { buffer in buffer.baseAddress.map { body($0, buffer.count) } }
    }
}

/// Parses Markdown with cmark-gfm into a ``MarkdownTree`` (or ``MarkdownNode`` values made from
/// one). The document is created, read and freed inside each call: no C pointer outlives it.
public enum MarkdownParser {
    /// Nodes nested deeper than this become their text (so no recursion over the tree, in
    /// review or in a browser, can be driven deep by a hostile article).
    public static let maximumDepth = 48

    /// cmark-gfm keeps the characters that start an extension's inline (`:` and `w` for
    /// autolinks, `~` for strikethrough) in one table for the whole process, and each
    /// document's inline parse (and each table row's) sets those of its parser's extensions and
    /// clears them when done. Two documents parsed at once on two threads raced, and the one
    /// still parsing lost its autolinks and strikethroughs for the rest of its text (seen as a
    /// page's reader text, and so a `last-updated-not-bumped` finding, differing from one run to
    /// the next; github/cmark-gfm#176). So:
    /// - the autolink characters are set once, here, and the autolink extension's list of them
    ///   emptied: no parse sets or clears them again (its matcher is called for any character
    ///   the table marks; the list is read only to set and clear the table);
    /// - strikethrough's `~` cannot be handled so (its list also tells the inline parser which
    ///   extension a `~` delimiter belongs to: emptied, cmark-gfm 0.29 loops forever on
    ///   `~~a~~`), so a page with a `~` in it is parsed with strikethrough, one page at a time
    ///   (``strikethroughLock``), and every other page without it, on any thread: the `~` in
    ///   the table is then never read by a parse that does not hold the lock (a page without the
    ///   byte never looks it up), and only such a parse writes it.
    /// Every page of windows-powershell-docs, nodejs.org and the generated corpus gives the same
    /// tree (cmark's XML, positions included) as with one parser with all four extensions.
    /// Where this cannot be done (no autolink extension, no memory for a parser), every page is
    /// parsed as a page with a `~` is: with all four extensions, one at a time.
    private static let extensionsPrepared: Bool = {
        cmark_gfm_core_extensions_ensure_registered()
        guard let autolink = cmark_find_syntax_extension("autolink"), let parser = cmark_parser_new(CMARK_OPT_DEFAULT) else { return false }
        defer { cmark_parser_free(parser) }
        cmark_parser_attach_syntax_extension(parser, autolink)
        cmark_manage_extensions_special_characters(parser, 1)
        // The list is taken and freed (emptied by its setter, it would be lost: a leak the
        // fuzzer's leak check reports).
        var chars: UnsafeMutablePointer<cmark_llist>?
        guard review_cmark_take_special_inline_chars(autolink, &chars) else { return false }
        if let chars { cmark_llist_free(cmark_get_default_mem_allocator(), chars) }
        return true
    }()

    /// The extensions a parser gets: table, autolink and task list, and strikethrough where asked
    /// (looked up once: the registry is read-only after ``extensionsPrepared``).
    private static let extensions: [Extension] = {
        _ = extensionsPrepared
        return ["table", "strikethrough", "autolink", "tasklist"].compactMap { name in
            cmark_find_syntax_extension(name).map { Extension(isStrikethrough: name == "strikethrough", pointer: $0) }
        }
    }()

    /// A registered extension (cmark-gfm's registry owns it for the process).
    private struct Extension: @unchecked Sendable {
        let isStrikethrough: Bool
        let pointer: UnsafeMutablePointer<cmark_syntax_extension>
    }

    /// An arena cmark-gfm parses one document in (CmarkArena's arena.c):
    /// its parser, nodes and buffers are bump allocations, and the document is dropped by
    /// resetting the arena, not freed node by node. Owned here, freed once, when dropped.
    private final class Arena: @unchecked Sendable {
        /// Used by one thread at a time (taken from ``arenas`` and given back).
        let pointer: OpaquePointer

        init?() {
            guard let pointer = review_arena_new() else { return nil }
            self.pointer = pointer
        }

        deinit { review_arena_free(pointer) }
    }

    /// The arenas no thread is using: a parse takes one (or makes one) and gives it back, so
    /// there are at most as many as threads ever parsed at once; each keeps a chunk for the next
    /// document, and a pool all share keeps more, so a run reuses the same memory page after page.
    private static let arenas = Mutex<[Arena]>([])

    /// Held while a page with a `~` is parsed (its parse sets and clears `~` in cmark-gfm's
    /// process-wide table).
    private static let strikethroughLock = Mutex<Void>(())

    /// Whether a page with a `~` is being parsed now (set while its parser is held).
    private static let strikethroughInUse = Atomic<Bool>(false)

    /// Whether a page with these bytes may be parsed only while no other page with a `~` is:
    /// it holds a `~` (in its body or not: a hint for scheduling; the parse itself decides).
    public static func parsesAlone(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBufferPointer { buffer in buffer.baseAddress.map { memchr($0, 0x7E, buffer.count) != nil } ?? false }
    }

    /// Whether a page with a `~` is being parsed now, so that another would wait for it. Only
    /// a hint for scheduling (it may change at any moment): whoever has other pages to parse
    /// parses those first (``parsesAlone(_:)``).
    public static var aPageIsParsedAlone: Bool { strikethroughInUse.load(ordering: .relaxed) }

    /// Runs `body` while no page with a `~` is parsed here (for tests that call cmark-gfm
    /// directly, with a parser of their own that has strikethrough attached).
    static func exclusively<R>(_ body: () -> R) -> R {
        _ = extensionsPrepared
        return strikethroughLock.withLock { _ in body() }
    }

    /// The document as values (for rendering, and whatever walks a tree of values): the flat
    /// tree (``parseTree(_:)``), node for node.
    public static func parse(_ markdown: String) -> MarkdownNode {
        MarkdownNode(parseTree(markdown))
    }

    /// The document, flat (``MarkdownTree``): every node, made without a value per node.
    public static func parseTree(_ markdown: String) -> MarkdownTree {
        parseTree(markdown, inArena: true)
    }

    /// ``parseTree(_:)``, in an arena or (where there is none to be had, or for tests) with
    /// cmark-gfm's own allocator.
    static func parseTree(_ markdown: String, inArena: Bool) -> MarkdownTree {
        withDocument(markdown, inArena: inArena) { $0.map { flatten($0, size: markdown.utf8.count) } ?? MarkdownTree() }
    }

    /// Parses `markdown` and calls `body` with cmark-gfm's document (`nil` where it made none),
    /// which is dropped when `body` returns: with its arena (``Arena``) where one could be had
    /// (a free slot, and memory for one), else freed node by node.
    private static func withDocument<R>(_ markdown: String, inArena: Bool, _ body: (Node?) -> R) -> R {
        let prepared = extensionsPrepared
        let arena = inArena ? arenas.withLock { $0.popLast() } ?? Arena() : nil
        defer {
            if let arena {
                review_arena_reset(arena.pointer)
                arenas.withLock { $0.append(arena) }
            }
        }
        // cmark copies what it is fed: the text's own bytes are fed, not a copy of them. No
        // CMARK_OPT_VALIDATE_UTF8: a Swift string is valid UTF-8 already (cmark would copy it
        // byte by byte checking it again). NUL bytes are replaced by cmark either way.
        var text = markdown
        let parsed: Node? = text.withUTF8 { buffer in
            // A `~` is one byte in UTF-8 (no other character's bytes include 0x7E).
            let tilde = !prepared || buffer.baseAddress.map { memchr($0, 0x7E, buffer.count) != nil } ?? false
            return parse(strikethrough: tilde, arena: arena) { parser in
                guard let base = buffer.baseAddress else { return }
                base.withMemoryRebound(to: CChar.self, capacity: buffer.count) { cmark_parser_feed(parser, $0, buffer.count) }
            }
        }
        defer { if let parsed, arena == nil { cmark_node_free(parsed) } }
        return body(parsed)
    }

    /// Makes a parser (in `arena`, or with cmark-gfm's allocator where there is none) with the
    /// extensions, strikethrough where asked (then while holding ``strikethroughLock``), feeds
    /// it a document and finishes it.
    private static func parse(strikethrough: Bool, arena: Arena?, _ feed: (OpaquePointer) -> Void) -> Node? {
        func run() -> Node? {
            let options = CMARK_OPT_DEFAULT | CMARK_OPT_SOURCEPOS
            guard let parser = arena.map({ cmark_parser_new_with_mem(options, review_arena_mem($0.pointer).assumingMemoryBound(to: cmark_mem.self)) }) ?? cmark_parser_new(options) else { return nil }
            // In an arena the parser goes with it; otherwise it is freed here (the document
            // it finished is not: it is the caller's).
            defer { if arena == nil { cmark_parser_free(parser) } }
            for ext in extensions where strikethrough || !ext.isStrikethrough {
                cmark_parser_attach_syntax_extension(parser, ext.pointer)
            }
            feed(parser)
            return cmark_parser_finish(parser)
        }
        guard strikethrough else { return run() }
        var document: Node?
        strikethroughLock.withLock { _ in
            strikethroughInUse.store(true, ordering: .relaxed)
            defer { strikethroughInUse.store(false, ordering: .relaxed) }
            document = run()
        }
        return document
    }

    /// A node as cmark-gfm's C API takes it.
    private typealias Node = UnsafeMutablePointer<cmark_node>

    /// Walks the tree with cmark's iterator (no recursion), building the flat tree: every text
    /// is copied once, into the tree's one buffer (`size`: the Markdown's, which bounds it but
    /// for entities and links to a reference).
    private static func flatten(_ root: Node, size: Int) -> MarkdownTree {
        guard let iterator = cmark_iter_new(root) else { return MarkdownTree() }
        defer { cmark_iter_free(iterator) }
        // Room for a node per 16 bytes of Markdown (nodejs.org's pages hold one per 20 to 25,
        // windows-powershell-docs' one per 40): a large page's array was copied as it doubled,
        // each copy into new memory.
        var builder = MarkdownTree.Builder(capacity: max(64, size / 16), bytes: size)
        // The open containers, each with its last child so far.
        var stack: [(index: Int, lastChild: Int?)] = []
        stack.reserveCapacity(maximumDepth)
        var flattening = 0  // > 0 while inside a subtree deeper than maximumDepth
        let none = UnsafeBufferPointer<UInt8>(start: nil, count: 0)
        while true {
            let event = cmark_iter_next(iterator)
            if event == CMARK_EVENT_DONE { break }
            guard let node = cmark_iter_get_node(iterator) else { break }
            let kind = kind(of: node)
            let isLeaf = !isContainer(node)
            if event == CMARK_EVENT_ENTER {
                if flattening > 0 || stack.count >= maximumDepth {
                    // Too deep: keep only the text, in the deepest node kept.
                    if !isLeaf { flattening += 1 }
                    // (Every later child of that node is kept so too: none needs its last child's line.)
                    let text = bytes(review_cmark_literal(node))
                    if !text.isEmpty, let parent = stack.last {
                        builder.end(builder.append(MarkdownTree.Node(kind: .text), parent: parent.index, literal: text, url: none, title: none, info: none))
                    }
                    continue
                }
                var value = MarkdownTree.Node(kind: kind)
                var url = none, title = none, info = none
                switch kind {
                case .link, .image:
                    url = bytes(review_cmark_url(node))
                    title = bytes(review_cmark_title(node))
                case .heading:
                    value.level = Int(cmark_node_get_heading_level(node))
                case .list:
                    value.ordered = cmark_node_get_list_type(node) == CMARK_ORDERED_LIST
                    value.start = Int(cmark_node_get_list_start(node))
                case .codeBlock:
                    info = bytes(review_cmark_fence_info(node))
                case .item:
                    if typeString(node) == "tasklist" { value.checked = cmark_gfm_extensions_get_tasklist_item_checked(node) ? 2 : 1 }
                case .tableRow:
                    value.isHeader = cmark_gfm_extensions_get_table_row_is_header(node) != 0
                default:
                    break
                }
                value.line = Int(node.pointee.start_line)
                value.endLine = Int(node.pointee.end_line)
                if value.line < 1 {
                    // cmark-gfm loses the position of a paragraph whose last line became a table's
                    // header row (line 0): the nearest line known before it stands for it, so no
                    // finding ever names line 0 (found by ParserPropertyTests' random inputs).
                    let block = !isLeaf || kind == .codeBlock || kind == .htmlBlock || kind == .thematicBreak
                    let parent = stack.last
                    value.line = max(1, parent.flatMap { $0.lastChild.map { builder.endLine($0) + (block ? 1 : 0) } } ?? parent.map { builder.line($0.index) } ?? 1)
                }
                if value.endLine < value.line { value.endLine = value.line }
                let index = builder.append(value, parent: stack.last?.index, literal: bytes(review_cmark_literal(node)), url: url, title: title, info: info)
                if !stack.isEmpty { stack[stack.count - 1].lastChild = index }
                if isLeaf { builder.end(index) } else { stack.append((index, nil)) }
            } else if event == CMARK_EVENT_EXIT {
                if flattening > 0 { flattening -= 1; continue }
                guard let finished = stack.popLast() else { continue }
                builder.end(finished.index)
            }
        }
        return builder.tree
    }

    /// A text of a node as cmark holds it, read in place (cmark's getters copy each into a new C
    /// string first; valid only while the node is). A C string would end at a NUL byte; cmark
    /// holds none (CommonMark replaces U+0000, in the input and in entities, with U+FFFD), so the
    /// bytes are the whole text either way, and the tree's strings repair invalid UTF-8 as
    /// `String(cString:)` does.
    @inline(__always)
    private static func bytes(_ text: review_cmark_text) -> UnsafeBufferPointer<UInt8> {
        guard let bytes = text.bytes, text.count > 0 else { return UnsafeBufferPointer(start: nil, count: 0) }
        return UnsafeBufferPointer(start: bytes, count: Int(text.count))
    }

    /// Whether cmark's iterator gives this node an exit event (it does for containers only).
    private static func isContainer(_ node: Node) -> Bool {
        switch cmark_node_type(UInt32(node.pointee.type)) {
        case CMARK_NODE_TEXT, CMARK_NODE_SOFTBREAK, CMARK_NODE_LINEBREAK, CMARK_NODE_CODE, CMARK_NODE_HTML_INLINE,
             CMARK_NODE_CODE_BLOCK, CMARK_NODE_HTML_BLOCK, CMARK_NODE_THEMATIC_BREAK:
            return false
        default:
            return true
        }
    }

    private static func typeString(_ node: Node) -> String {
        cmark_node_get_type_string(node).map { String(cString: $0) } ?? ""
    }

    private static func kind(of node: Node) -> MarkdownNode.Kind {
        switch cmark_node_get_type(node) {
        case CMARK_NODE_DOCUMENT: return .document
        case CMARK_NODE_BLOCK_QUOTE: return .blockQuote
        case CMARK_NODE_LIST: return .list
        case CMARK_NODE_ITEM: return .item
        case CMARK_NODE_CODE_BLOCK: return .codeBlock
        case CMARK_NODE_HTML_BLOCK: return .htmlBlock
        case CMARK_NODE_PARAGRAPH: return .paragraph
        case CMARK_NODE_HEADING: return .heading
        case CMARK_NODE_THEMATIC_BREAK: return .thematicBreak
        case CMARK_NODE_TEXT: return .text
        case CMARK_NODE_SOFTBREAK: return .softBreak
        case CMARK_NODE_LINEBREAK: return .lineBreak
        case CMARK_NODE_CODE: return .code
        case CMARK_NODE_HTML_INLINE: return .htmlInline
        case CMARK_NODE_EMPH: return .emphasis
        case CMARK_NODE_STRONG: return .strong
        case CMARK_NODE_LINK: return .link
        case CMARK_NODE_IMAGE: return .image
        default:
            switch typeString(node) {
            case "table": return .table
            case "table_row", "table_header": return .tableRow
            case "table_cell": return .tableCell
            case "strikethrough": return .strikethrough
            case "tasklist": return .item
            default: return .other
            }
        }
    }
}
