// The progress line `attain compare` shows on a terminal, as `attain run` shows its own.
import Attain
import Foundation

/// The progress line of a comparison: what is read, which plan set and period is evaluated and how many of its payees
/// are done (every half second), and at the end how long it all took.
final class ComparisonWatch: @unchecked Sendable {
    private let lock = NSLock()
    private let clock = ContinuousClock()
    private let start: ContinuousClock.Instant
    private let say: @Sendable (String) -> Void
    private let runs: Int
    private var payees = 0, done = 0, step = 0
    private var doing = ""
    private var ticker: Commands.Ticker?

    init(scenarios: Int, periods: Int, scales: Int, say: @escaping @Sendable (String) -> Void) {
        self.say = say
        runs = scenarios * periods * scales
        start = clock.now
    }

    func reading(_ deals: InputFile) {
        say("reading \(deals.path) (\(deals.bytes.count / 1_000_000) MB)…")
    }

    private var took: String { String(format: "%.1f", Commands.seconds(clock.now - start)) }

    func note(_ event: ComparisonProgress) {
        switch event {
        case .payee:
            lock.lock()
            done += 1
            lock.unlock()
        case .read(let deals, let count):
            lock.lock()
            payees = count
            lock.unlock()
            say("read \(deals) deal rows in \(took) s; evaluating \(count) payees under each plan set…")
            ticker = Commands.Ticker(every: 0.5) { [weak self] in self?.tick() }
        case .evaluating(let scenario, let index, let count, let period, let scale):
            lock.lock()
            step += 1
            done = 0
            doing = "\(scenario) (\(index + 1) of \(count)), \(period)" + (scale == .one ? "" : " at \(scale.normalized)× the amounts")
            lock.unlock()
            tick()
        }
    }

    private func tick() {
        lock.lock()
        let (n, total, what, at) = (done, payees, doing, step)
        lock.unlock()
        guard !what.isEmpty else { return }
        say("[\(at)/\(runs)] \(what): \(n) of \(total) payees, \(took) s…")
    }

    /// Stops the ticking; a short ending when the comparison was made.
    func finish(_ result: Result<Attain.ComparisonResult, Diagnostics>) {
        ticker?.stop()
        ticker = nil
        if case .success(let r) = result {
            say("compared \(r.scenarios.count) plan set\(r.scenarios.count == 1 ? "" : "s") over \(r.payees.count) payees in \(took) s; writing…")
        }
    }
}
