// Sign-off of a close: on a ledger that requires approval, `close --commit` posts only a dry run someone other than
// its preparer approved, for exactly the same inputs.
import Foundation
import Testing
@testable import AttainTool

@Suite struct ApprovalTests {
    /// A scratch folder with a copy of the sample company (so a test can change a deal) and the shipped plans.
    func scratch() throws -> (dir: String, reader: InputReader) {
        let dir = NSTemporaryDirectory() + "attain-approval-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: repositoryRoot + "/sample", toPath: dir + "/sample")
        return (dir, InputReader(root: dir))
    }

    func close(_ r: InputReader, commit: Bool, by: String? = nil, at: String) -> CommandOutcome {
        Commands.close(plans: [repositoryRoot + "/plans"], data: "sample", period: "2026-Q1", set: [], ledgerPath: "l.db", commit: commit,
                       formats: [.payroll], clock: at, reader: r, by: by)
    }

    @Test func commitNeedsAnApprovalBySomeoneElseOfTheSameInputs() throws {
        let (dir, r) = try scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(Commands.configureLedger(requireApproval: true, ledgerPath: "l.db", reader: r).exitCode == 0)
        // No dry run yet: refused, nothing posted.
        let bare = close(r, commit: true, at: "2026-04-01T09:00:00Z")
        #expect(bare.exitCode == ExitCode.refused)
        #expect(bare.stderr.contains("this ledger requires approval"))
        #expect(close(r, commit: false, by: "pat", at: "2026-04-01T10:00:00Z").exitCode == 0)
        // Prepared but not approved.
        let unapproved = close(r, commit: true, at: "2026-04-01T10:30:00Z")
        #expect(unapproved.exitCode == ExitCode.refused)
        #expect(unapproved.stderr == "error: the last dry run of 2026-Q1 (2026-04-01T10:00:00Z, by pat) is not approved: someone other than its preparer runs `attain approve --period 2026-Q1 --by NAME`; nothing was posted\n")
        // The preparer cannot approve their own close.
        let own = Commands.approve(period: "2026-Q1", by: "pat", ledgerPath: "l.db", clock: "2026-04-01T11:00:00Z", reader: r)
        #expect(own.exitCode == ExitCode.refused)
        #expect(own.stderr == "error: pat prepared the last dry run of 2026-Q1 (2026-04-01T10:00:00Z); someone else approves it\n")
        let ok = Commands.approve(period: "2026-Q1", by: "sam", ledgerPath: "l.db", clock: "2026-04-01T11:00:00Z", reader: r)
        #expect(ok.exitCode == 0)
        #expect(ok.stdout == "2026-Q1: the dry run of 2026-04-01T10:00:00Z prepared by pat is approved by sam (approval 1)\n")
        // A deal changed after the approval: the commit's inputs are not the ones approved.
        let deals = dir + "/sample/deals.csv"
        let text = try String(contentsOfFile: deals, encoding: .utf8)
        let first = String(text.split(separator: "\n")[1].split(separator: ",")[0])
        try text.replacingOccurrences(of: "\n\(first),", with: "\n\(first)b,").write(toFile: deals, atomically: true, encoding: .utf8)
        let differs = close(r, commit: true, at: "2026-04-01T12:00:00Z")
        #expect(differs.exitCode == ExitCode.refused)
        #expect(differs.stderr.hasPrefix("error: the inputs (plan and data files, `--set` values, holds in the ledger) differ from those of the last dry run of 2026-Q1"))
        // Back to the approved inputs: the commit posts.
        try text.write(toFile: deals, atomically: true, encoding: .utf8)
        let posted = close(r, commit: true, at: "2026-04-01T12:30:00Z")
        #expect(posted.exitCode == 0)
        let history = Commands.history(ledgerPath: "l.db", inputs: false, reader: r).stdout
        #expect(history.hasSuffix("\napproval  at                    period   approved by  prepared by\n       1  2026-04-01T11:00:00Z  2026-Q1  sam          pat\n"))
    }

    @Test func aHoldPutOnAfterTheApprovalIsNotApproved() throws {
        // A hold by hand changes what the close pays as a file does: the approved dry run did not hold AE01's pay.
        let (dir, r) = try scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        _ = Commands.configureLedger(requireApproval: true, ledgerPath: "l.db", reader: r)
        #expect(close(r, commit: false, by: "pat", at: "2026-04-01T10:00:00Z").exitCode == 0)
        #expect(Commands.approve(period: "2026-Q1", by: "sam", ledgerPath: "l.db", clock: "2026-04-01T11:00:00Z", reader: r).exitCode == 0)
        let hold = Commands.hold(payee: "AE01", deal: nil, reason: "expense report open", by: "kim", release: false, ledgerPath: "l.db",
                                 clock: "2026-04-01T11:30:00Z", reader: r)
        #expect(hold.exitCode == 0, "\(hold.stderr)")
        let held = close(r, commit: true, at: "2026-04-01T12:00:00Z")
        #expect(held.exitCode == ExitCode.refused)
        #expect(held.stderr.hasPrefix("error: the inputs (plan and data files, `--set` values, holds in the ledger) differ from those of the last dry run of 2026-Q1"))
        // Released again: the ledger's holds are those of the approved dry run, and the commit posts.
        #expect(Commands.hold(payee: "AE01", deal: nil, reason: nil, by: nil, release: true, ledgerPath: "l.db", clock: "2026-04-01T12:10:00Z", reader: r).exitCode == 0)
        #expect(close(r, commit: true, at: "2026-04-01T12:30:00Z").exitCode == 0)
    }

    @Test func aNewDryRunNeedsANewApproval() throws {
        let (dir, r) = try scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        _ = Commands.configureLedger(requireApproval: true, ledgerPath: "l.db", reader: r)
        _ = close(r, commit: false, by: "pat", at: "2026-04-01T10:00:00Z")
        _ = Commands.approve(period: "2026-Q1", by: "sam", ledgerPath: "l.db", clock: "2026-04-01T11:00:00Z", reader: r)
        _ = close(r, commit: false, by: "pat", at: "2026-04-01T11:30:00Z")
        #expect(close(r, commit: true, at: "2026-04-01T12:00:00Z").exitCode == ExitCode.refused)
        // Without `--by` on the dry run there is no preparer to tell the approver from.
        _ = close(r, commit: false, at: "2026-04-01T12:10:00Z")
        let nameless = Commands.approve(period: "2026-Q1", by: "sam", ledgerPath: "l.db", clock: "2026-04-01T12:20:00Z", reader: r)
        #expect(nameless.exitCode == ExitCode.refused)
        #expect(nameless.stderr.contains("names no preparer"))
        // A ledger that does not require approval posts as before.
        _ = Commands.configureLedger(requireApproval: false, ledgerPath: "l.db", reader: r)
        #expect(close(r, commit: true, at: "2026-04-01T13:00:00Z").exitCode == 0)
    }
}
