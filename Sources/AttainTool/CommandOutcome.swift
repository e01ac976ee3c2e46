// What a command produced: an exit code, its messages, and the files it would write.

/// Documented exit codes of the `attain` command.
public enum ExitCode {
    /// Success.
    public static let ok: Int32 = 0
    /// Errors in plans or input data; nothing was written.
    public static let invalidInput: Int32 = 1
    /// A file could not be read or written.
    public static let ioFailure: Int32 = 2
    /// `attain test`: at least one golden case failed.
    public static let testFailure: Int32 = 3
    /// The ledger refused: the period is already closed (by Attain or outside it), a later one is, there is nothing to
    /// reopen, or opening balances are imported into a ledger that already has a closed period.
    public static let refused: Int32 = 4
    /// The ledger is damaged (`PRAGMA quick_check` failed, or SQLite found it so); nothing in it was changed.
    public static let ledgerDamaged: Int32 = 5
    /// The ledger is busy: another close held its write lock for longer than the wait (10 s, `ATTAIN_LEDGER_WAIT`).
    public static let ledgerBusy: Int32 = 6
    /// The command line itself was wrong.
    public static let usage: Int32 = 64
}

/// The result of a command, before anything touches the output folder.
public struct CommandOutcome: Sendable, Error {
    public var exitCode: Int32 = ExitCode.ok
    public var stdout = ""
    public var stderr = ""
    /// Files to write, by path relative to the output folder.
    public var files: [(path: String, text: String)] = []
    /// Said after the error when the files cannot be moved into place at the very end (a close already posted).
    public var writeFailureNote = ""
    /// Values made on the way (a run's loaded inputs), kept for as long as the outcome is.
    public var retained: [any Sendable] = []

    public init() {}
}
