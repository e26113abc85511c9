import Paths
import Foundation
import ReviewKit

/// A progress line on stderr for runs that take longer than about a second: shown only when
/// stderr is a terminal, redrawn at most ten times a second, erased when done.
final class ProgressLine {
    private let enabled = isatty(STDERR_FILENO) == 1
    private let start = Date()
    private var lastDraw = Date.distantPast
    private var drawn = false

    /// The handler to pass to the engine (nil when there is no terminal to draw on).
    var handler: ReviewSession.Progress? {
        guard enabled else { return nil }
        return { [self] step, done, total in draw(step, done, total) }
    }

    private func draw(_ step: String, _ done: Int, _ total: Int?) {
        let now = Date()
        guard now.timeIntervalSince(start) > 1, now.timeIntervalSince(lastDraw) > 0.1 else { return }
        lastDraw = now
        drawn = true
        let count = total.map { "\(done)/\($0)" } ?? "\(done)"
        FileHandle.standardError.write(Data("\r\u{1B}[Kreview: \(step) \(count)…".utf8))
    }

    /// Erases the line, if one was drawn.
    func finish() {
        if drawn { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
        drawn = false
    }
}
