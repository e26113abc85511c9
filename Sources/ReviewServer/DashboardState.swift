import Paths
import Dispatch
import Foundation
import NIOCore
import ReviewCore
import ReviewKit
import Synchronization

/// What the server answers from at one revision: the workflow's results, the pages computed
/// once, and caches of the pages computed on first request. Replaced whole when the branch or
/// the published ref moves; never changed in place except for its caches.
final class DashboardView: Sendable {
    let evaluation: Evaluation
    let model: DashboardModel
    /// `HEAD`, the published ref and the day, as read (the reload key).
    let key: String
    /// The dashboard and its twin, encoded once (every request sends these same bytes).
    let dashboardHTML: ByteBuffer
    let dashboardJSON: ByteBuffer
    private let pages = Mutex<[String: ByteBuffer]>([:])

    /// The frame every page of this view is drawn in (with the warning, if any).
    let frame: DashboardHTML.Frame

    convenience init(evaluation: Evaluation, key: String, frame: DashboardHTML.Frame) throws(ReviewError) {
        let configuration = evaluation.snapshot.configuration(asOf: evaluation.report.asOf)
        let queue = try ReviewSession.Reading.queue(evaluation)
        self.init(evaluation: evaluation, key: key, frame: frame,
                  model: DashboardModel(articles: evaluation.snapshot.articles, report: evaluation.report, configuration: configuration, queue: queue))
    }

    private init(evaluation: Evaluation, key: String, frame: DashboardHTML.Frame, model: DashboardModel) {
        self.evaluation = evaluation
        self.key = key
        self.frame = frame
        self.model = model
        dashboardHTML = ByteBuffer(string: DashboardHTML.dashboard(model, frame: frame))
        dashboardJSON = ByteBuffer(string: DashboardJSON.dashboard(model, warning: frame.warning))
    }

    /// This view, saying that the newest revision could not be read and why (a finding never
    /// silently disappears: the pages must not pass an old revision off as the current one).
    func warning(_ message: String?) -> DashboardView {
        guard message != frame.warning else { return self }
        var frame = frame
        frame.warning = message
        return DashboardView(evaluation: evaluation, key: key, frame: frame, model: model)
    }

    /// A page computed before, if any.
    func page(_ key: String) -> ByteBuffer? { pages.withLock { $0[key] } }

    /// A page computed once per revision (keyed by what it shows), encoded once.
    func cached(_ key: String, _ make: () throws -> String) rethrows -> ByteBuffer {
        if let page = page(key) { return page }
        let page = ByteBuffer(string: try make())
        pages.withLock { pages in
            // Bounded: a crawler walking every article must not grow memory without end.
            if pages.count > 2048 { pages.removeAll() }
            pages[key] = page
        }
        return page
    }
}

/// Reads the repository and keeps the current ``DashboardView``; follows new commits.
///
/// libgit2 wants one thread per repository handle, and a read of 10,000 articles takes
/// seconds: every read opens its own session (``reader()``) on a thread of its own (``offload(_:)``), so
/// requests keep being answered from the previous view meanwhile.
final class DashboardState: Sendable {
    struct Settings: Sendable {
        var repository: String?
        var session: ReviewSession.Options
        /// A fixed "today" (tests); `nil` follows the clock.
        var asOf: Day?
        var frame: DashboardHTML.Frame
        var clock: @Sendable () -> Int64
    }

    let settings: Settings
    private let current = Mutex<DashboardView?>(nil)
    /// One read at a time; a caller that finds one running waits for it.
    private let reading = AsyncLock()

    init(settings: Settings) { self.settings = settings }

    var view: DashboardView? { current.withLock { $0 } }

    var today: Day { settings.asOf ?? Day(secondsSinceEpoch: settings.clock()) }

    /// The dashboard's two use cases of the repository, each over a session of its own (one
    /// libgit2 handle per thread): it reads state and records the decisions reviewers sign in
    /// their browsers. It never holds a whole ``ReviewSession``, so the compiler refuses it
    /// governance, publishing and authoring.
    func reader() throws(ReviewError) -> ReviewSession.Reading {
        try .open(settings.repository, options: settings.session)
    }

    /// See ``reader()``.
    func recorder() throws(ReviewError) -> ReviewSession.Decisions {
        try .open(settings.repository, options: settings.session)
    }

    /// Reads again when `HEAD`, the published ref or the day changed; returns the view in force.
    @discardableResult
    func refresh() async throws -> DashboardView {
        try await reading.run {
            let today = self.today
            let settings = self.settings
            let previous = self.view
            let view: DashboardView
            do {
                view = try await offload { () throws -> DashboardView in
                    let reading = try self.reader()
                    let key = try reading.watchedRevisions() + " " + today.description
                    if let previous, previous.key == key { return previous.warning(nil) }
                    return try DashboardView(evaluation: try reading.evaluate(asOf: today), key: key, frame: settings.frame)
                }
            } catch let error as ReviewError {
                // The first read must succeed (review serve exits 2); later, keep the last
                // view and say on every page why the newest revision cannot be read.
                guard let previous else { throw error }
                view = previous.warning(error.description)
            }
            let replaced = self.current.withLock { current -> Bool in
                defer { current = view }
                return current !== view
            }
            if replaced { DashboardServer.returnFreedMemory() }
            return view
        }
    }

    /// Runs blocking repository work on a thread outside Swift's cooperative pool.
    func offload<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try work() })
            }
        }
    }
}

/// A lock for async code: one body runs at a time, in arrival order.
actor AsyncLock {
    private var busy = false
    private var waiting: [CheckedContinuation<Void, Never>] = []

    func run<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        while busy {
            await withCheckedContinuation { waiting.append($0) }
        }
        busy = true
        defer {
            busy = false
            if !waiting.isEmpty { waiting.removeFirst().resume() }
        }
        return try await body()
    }
}
