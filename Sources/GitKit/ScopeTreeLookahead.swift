import CGit2
#if canImport(Glibc)
import Glibc
#endif

/// Finds the scope directory's subtree in each commit's tree on a thread of its own, while
/// ``HistoryIndex/extend(to:database:progress:)`` reads the commits on the calling thread.
///
/// An index of one folder (a pull request's check builds one of `Reviews/` in memory, with no
/// cache) read every commit, then every commit's root tree to find the folder in it, one after
/// the other on one core: on nodejs.org, 7,178 commits (35 ms) and then 7,178 root trees
/// (20 ms), with the second core idle. The trees are known as soon as each commit is read, so
/// this looks them up meanwhile.
///
/// Nothing is decided here: an answer is exactly what ``TreeDiffer/subtree(at:of:)`` gives
/// for the tree, read through a ``PackReader`` of its own; where that reader cannot tell (an
/// object not in the packs, one not a tree, a tree that does not parse) the answer is "not
/// known", and the index looks the tree up itself, through libgit2 where it must, and throws
/// what it throws.
///
/// Owns its thread, mutex and condition variable: the thread is joined once (``finish()``, or
/// `deinit`, so an owner that throws never leaves it waiting), and the two are destroyed and
/// freed once, in `deinit`.
final class ScopeTreeLookahead: @unchecked Sendable {
    /// What the lookahead found for one tree: `.some(subtree)` (`.some(nil)`: the tree has no
    /// such folder), or `nil` where it could not tell.
    typealias Answer = ObjectID??

    private let components: [[UInt8]]
    private let objectsDirectory: String
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    // Guarded by `mutex`.
    private var trees: [ObjectID] = []
    private var noMore = false
    private var waiting = false
    /// Trees added and not handed over yet (the owner's thread only): handed over 64 at a time,
    /// and the thread woken only when it waits (waking it at every tree was a system call per
    /// commit, 7% of the reading thread's time).
    private var pending: [ObjectID] = []
    // Written by the thread only; read by the owner after joining it.
    private var answers: [Answer] = []
    private var thread: pthread_t?

    /// Starts the thread. `components`: the folder's path components (at least one);
    /// `objectsDirectory`: the repository's objects directory.
    init(components: [String], objectsDirectory: String) {
        self.components = components.map { Array($0.utf8) }
        self.objectsDirectory = objectsDirectory
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(condition, nil)
        // Unretained: `deinit` joins the thread before this object's memory goes.
        var started = pthread_t()
        let result = pthread_create(&started, nil, { argument in
            Unmanaged<ScopeTreeLookahead>.fromOpaque(argument!).takeUnretainedValue().run()
            return nil
        }, Unmanaged.passUnretained(self).toOpaque())
        // Without a thread, every answer is "not known".
        if result == 0 { thread = started }
    }

    deinit {
        _ = finish()
        pthread_cond_destroy(condition)
        pthread_mutex_destroy(mutex)
        condition.deallocate()
        mutex.deallocate()
    }

    /// Hands the next commit's tree to the thread.
    func add(_ tree: ObjectID) {
        pending.append(tree)
        if pending.count == 64 { handOver(last: false) }
    }

    private func handOver(last: Bool) {
        pthread_mutex_lock(mutex)
        trees += pending
        if last { noMore = true }
        if waiting { pthread_cond_signal(condition) }
        pthread_mutex_unlock(mutex)
        pending.removeAll(keepingCapacity: true)
    }

    /// Tells the thread no more trees come, waits for it, and returns its answers, in the order
    /// the trees were added (fewer where it stopped early; none where it never started).
    func finish() -> [Answer] {
        handOver(last: true)
        if let running = thread {
            pthread_join(running, nil)
            thread = nil
        }
        return answers
    }

    private func run() {
        let reader = PackReader(objectsDirectory: objectsDirectory)
        var next = 0
        while true {
            pthread_mutex_lock(mutex)
            while next == trees.count && !noMore {
                waiting = true
                pthread_cond_wait(condition, mutex)
                waiting = false
            }
            let batch = trees[next...]
            pthread_mutex_unlock(mutex)
            if batch.isEmpty { return }
            for tree in batch { answers.append(subtree(of: tree, reader: reader)) }
            next += batch.count
        }
    }

    /// ``TreeDiffer/subtree(at:of:)`` for `root`, or `nil` where this reader cannot tell.
    func subtree(of root: ObjectID, reader: PackReader) -> Answer {
        var current = root
        for (depth, name) in components.enumerated() {
            guard let object = reader.read(current), object.type == GIT_OBJECT_TREE else { return nil }
            let found: (id: ObjectID, isTree: Bool)?? = object.bytes.withUnsafeBytes { bytes in
                var cursor = RawTreeCursor(bytes: bytes, treeID: current)
                do {
                    while let entry = try cursor.next() {
                        if entry.nameBytes.elementsEqual(name) { return .some((entry.id, entry.isTree)) }
                    }
                    return .some(nil)
                } catch {
                    return nil
                }
            }
            guard let found else { return nil }
            guard let (id, isTree) = found, isTree else { return .some(nil) }
            if depth == components.count - 1 { return .some(id) }
            current = id
        }
        return .some(root)
    }
}
