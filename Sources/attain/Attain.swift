// The `attain` command line: parses arguments, calls the commands, writes outputs, exits with documented codes.
import ArgumentParser
import Attain
import AttainTool
import Foundation

@main
struct AttainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "attain",
        abstract: "Sales compensation: plans in text, statements to the cent.",
        discussion: """
            Exit codes, the same for every command: 0 success; 1 errors in plans or input data (nothing written); \
            2 an input file is missing or unreadable, or an output cannot be written; 3 a golden case failed; \
            4 the ledger refused (period already closed, a later period closed, nothing to reopen, opening balances \
            after a close); 5 the ledger is damaged (nothing changed); 6 the ledger is busy (another close is running); \
            64 a bad command line value (--period, --format, --set, a missing option).
            """,
        subcommands: [Run.self, Close.self, Approve.self, Hold.self, History.self, Reopen.self, DisputeCommand.self, DisputesCommand.self, Resolve.self, Amortization.self, LedgerGroup.self, Compare.self, Estimate.self, Targets.self, Check.self, Explain.self, Validate.self, Test.self, Import.self, ShardGroup.self]
    )
}

/// Prints an outcome, writes its files under `out` (staged, then moved into place together with any files already in
/// `stage`), and exits. A failed outcome discards what was staged.
func finish(_ outcome: CommandOutcome, out: String?, stage: OutputWriter.Stage? = nil) throws -> Never {
    FileHandle.standardError.write(Data(outcome.stderr.utf8))
    if outcome.exitCode != 0 { stage?.discard() }
    if outcome.exitCode == 0, let out {
        do {
            try (stage ?? OutputWriter.Stage(folder: out)).commit(outcome.files)
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\(outcome.writeFailureNote)\n".utf8))
            exit(ExitCode.ioFailure)
        }
    }
    FileHandle.standardOutput.write(Data(outcome.stdout.utf8))
    exit(outcome.exitCode)
}

/// Replaces the progress line on the terminal.
@Sendable func showProgress(_ line: String) {
    var text = "\u{1B}[2K\rattain: \(line)"
    text.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
}

/// The plans a command reads, and parameter overrides for a what-if.
struct PlanArguments: ParsableArguments {
    @Argument(help: "Plan files, or folders of .plan files.")
    var plans: [String]

    @Option(name: .customLong("set"), help: "Override a plan parameter, e.g. --set base_rate=3%. Repeatable.")
    var sets: [String] = []
}

struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run plans over a data folder for one period and write a JSON statement per payee.",
        discussion: """
            The data folder holds deals.csv, roster.csv and assignments.csv. Statements go to \
            OUT/PERIOD/statements/<payee>.json with OUT/PERIOD/summary.json beside them. \
            Any error in a plan or the data writes nothing and exits 1.
            """
    )

    @OptionGroup var plan: PlanArguments

    @Option(help: "Folder with deals.csv, roster.csv and assignments.csv (and fx.csv, hierarchy.csv when it has them).")
    var data: String

    @Option(help: "Period to pay: 2026-01 (month), 2026-Q1, 2026-H1, 2026 (year); FY2027-Q1 with a fiscal year; 2026-01-S1, 2026-B01 for semi-monthly, biweekly plans.")
    var period: String

    @Option(help: "Folder to write statements into.")
    var out: String = "out"

    @Option(help: "Outputs to write, comma-separated: json, xml, html, payroll, and jsonl (every statement in PERIOD/statements.jsonl, one a line).")
    var format: String = "json,xml,html,payroll"

    @Option(help: "CSV of `kind,code` rows mapping line kinds (commission, bonus, spif, adjustment) to payroll earning codes.")
    var earningCodes: String?

    @Option(help: "Language of statements for payees roster.csv gives no `locale`: en, zh-Hans or fa (BCP 47).")
    var locale: String = "en"

    @Flag(help: "Make every warning an error (deals no measure counts, negative pay, …): nothing is written, exit 1.")
    var strict = false

    func run() throws {
        switch OutputFormat.parse(format) {
        case .failure(let e):
            throw ValidationError(e.description)
        case .success(let formats):
            // A progress line on stderr when a person is watching; nothing when stderr is a file or a pipe.
            let progress: (@Sendable (String) -> Void)? = isatty(2) == 1 ? showProgress : nil
            // Statement files are written as they are made, into a staging folder moved into place at the end.
            let stage = OutputWriter.Stage(folder: out)
            let outcome = Commands.run(plans: plan.plans, data: data, period: period, set: plan.sets, formats: formats, earningCodes: earningCodes,
                                       strict: strict, reader: InputReader(), progress: progress, stage: stage, locale: try reportLocale(locale))
            if progress != nil { FileHandle.standardError.write(Data("\u{1B}[2K\r".utf8)) }
            try finish(outcome, out: out, stage: stage)
        }
    }
}

struct Close: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Close a period against the ledger: a dry run by default, --commit to post and lock.",
        discussion: """
            Runs the period like `attain run`, settled against what the ledger says was paid before: \
            adjustments for closed periods whose inputs changed, clawbacks, year-to-date true-ups and draw balances. \
            Without --commit nothing is posted; the table shows each payee's totals and what changed since the last dry run. \
            With --commit every statement is posted and the period locked, in one transaction, once every output is \
            staged: files that cannot be written post nothing. Statements and payroll are written under OUT/PERIOD either \
            way. A period already closed with the same inputs gets its outputs written again (after a close killed while \
            writing them); with other inputs it is refused (exit 4).
            """
    )

    @OptionGroup var plan: PlanArguments

    @Option(help: "Folder with deals.csv, roster.csv and assignments.csv (and fx.csv, hierarchy.csv when it has them).")
    var data: String

    @Option(help: "Period to close: 2026-01 (month), 2026-Q1, 2026-H1, 2026 (year); FY2027-Q1 with a fiscal year; 2026-01-S1, 2026-B01 for semi-monthly, biweekly plans.")
    var period: String

    @Option(help: "The ledger: an SQLite file, a postgres:// URL or a .conf file; created when missing.")
    var ledger: String = "attain.db"

    @Flag(help: "Post the statements and lock the period.")
    var commit = false

    @Option(help: "Folder to write statements into.")
    var out: String = "out"

    @Option(help: "Outputs to write, comma-separated: json, xml, html, payroll, and jsonl (every statement in PERIOD/statements.jsonl, one a line).")
    var format: String = "json,xml,html,payroll"

    @Option(help: "CSV of `kind,code` rows mapping line kinds to payroll earning codes.")
    var earningCodes: String?

    @Option(help: "Language of statements for payees roster.csv gives no `locale`: en, zh-Hans or fa (BCP 47).")
    var locale: String = "en"

    @Flag(help: "Make every warning an error (deals no measure counts, negative pay, …): nothing is posted or written, exit 1.")
    var strict = false

    @Flag(help: "List every payee's row on the terminal, however many (past 50 a summary is shown; OUT/PERIOD/close.csv always has every row).")
    var all = false

    @Option(help: "Who prepares this close (recorded with a dry run; the approver must be someone else).")
    var by: String?

    func run() throws {
        switch OutputFormat.parse(format) {
        case .failure(let e):
            throw ValidationError(e.description)
        case .success(let formats):
            let progress: (@Sendable (String) -> Void)? = isatty(2) == 1 ? showProgress : nil
            // Every output is staged and checked before the close is posted: a posted close cannot be taken back quietly.
            let stage = OutputWriter.Stage(folder: out)
            let outcome = Commands.close(plans: plan.plans, data: data, period: period, set: plan.sets, ledgerPath: Commands.ledgerName(ledger), commit: commit,
                                         formats: formats, earningCodes: earningCodes, strict: strict, all: all, reader: InputReader(),
                                         progress: progress, stage: stage, locale: try reportLocale(locale), by: by)
            if progress != nil { FileHandle.standardError.write(Data("\u{1B}[2K\r".utf8)) }
            try finish(outcome, out: out, stage: stage)
        }
    }
}

struct History: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List every close and reopen recorded in the ledger.")

    @Option(help: "The ledger: an SQLite file, a postgres:// URL or a .conf file.")
    var ledger: String = "attain.db"

    @Flag(help: "Also list each run's plan and data files with their SHA-256.")
    var inputs = false

    @Option(help: "Language of the table's words: en, zh-Hans or fa (BCP 47).")
    var locale: String = "en"

    @Option(help: "Only the runs and locks of one period kind: month, quarter, half, year, semi-monthly or biweekly.")
    var kind: String?

    func run() throws {
        var periodKind: PeriodKind?
        if let kind {
            guard let k = PeriodKind(rawValue: kind) else {
                throw ValidationError("unknown period kind `\(kind)`; expected \(PeriodKind.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            periodKind = k
        }
        try finish(Commands.history(ledgerPath: Commands.ledgerName(ledger), inputs: inputs, reader: InputReader(), locale: try reportLocale(locale), kind: periodKind), out: nil)
    }
}

struct Reopen: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Reopen the latest closed period; the reason is recorded and its posting voided.",
        discussion: "Closing the period again posts it anew. Only the latest closed period can be reopened."
    )

    @Option(help: "The closed period to reopen.")
    var period: String

    @Option(help: "Why it is reopened (required; recorded in the ledger).")
    var reason: String

    @Option(help: "The ledger: an SQLite file, a postgres:// URL or a .conf file.")
    var ledger: String = "attain.db"

    func run() throws {
        try finish(Commands.reopen(period: period, reason: reason, ledgerPath: Commands.ledgerName(ledger), reader: InputReader()), out: nil)
    }
}

struct DisputeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dispute",
        abstract: "Record a rep's query against a line of a posted statement; prints the dispute's id.",
        discussion: """
            Lines are numbered from 1 as the statement page shows them. The period must be closed and the payee's \
            statement must have that line (exit 4 otherwise). A written answer (`attain resolve`) or a manual \
            adjustment naming the dispute in adjustments.csv at a later close resolves it.
            """
    )

    @Option(help: "The closed period of the statement.")
    var period: String

    @Option(help: "The payee whose statement it is.")
    var payee: String

    @Option(help: "The line's number on the statement (1, 2, …).")
    var line: Int

    @Option(help: "What the rep says is wrong.")
    var text: String

    @Option(help: "Who raises the query (recorded).")
    var by: String?

    @Option(help: "The ledger: an SQLite file, a postgres:// URL or a .conf file.")
    var ledger: String = "attain.db"

    func run() throws {
        try finish(Commands.dispute(period: period, payee: payee, line: line, text: text, by: by, ledgerPath: Commands.ledgerName(ledger), reader: InputReader()), out: nil)
    }
}

struct DisputesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "disputes", abstract: "List open disputes (every one with --all).")

    @Flag(help: "Also list answered and resolved disputes.")
    var all = false

    @Option(help: "Only disputes about statements of this period.")
    var period: String?

    @Option(help: "Only this payee's disputes.")
    var payee: String?

    @Option(help: "The ledger: an SQLite file, a postgres:// URL or a .conf file.")
    var ledger: String = "attain.db"

    @Option(help: "Language of the table's words: en, zh-Hans or fa (BCP 47).")
    var locale: String = "en"

    func run() throws {
        try finish(Commands.disputes(all: all, period: period, payee: payee, ledgerPath: Commands.ledgerName(ledger), reader: InputReader(), locale: try reportLocale(locale)),
                   out: nil)
    }
}

struct Resolve: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Resolve an open dispute with a written answer; the payee's next statement shows it.",
        discussion: "To resolve a dispute with money instead, name it in the `dispute` column of adjustments.csv at the next close."
    )

    @Option(help: "The dispute's id (see `attain disputes`).")
    var dispute: Int

    @Option(help: "The answer, as the rep will read it.")
    var answer: String

    @Option(help: "Who answers (recorded).")
    var by: String?

    @Option(help: "The ledger: an SQLite file, a postgres:// URL or a .conf file.")
    var ledger: String = "attain.db"

    func run() throws {
        try finish(Commands.resolve(dispute: dispute, answer: answer, by: by, ledgerPath: Commands.ledgerName(ledger), reader: InputReader()), out: nil)
    }
}

struct Amortization: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the amortization schedule of capitalized commissions as of a date and write it (and its journal) as CSV.",
        discussion: """
            Commissions on deals whose contract term (deals.csv's contract_months) is over 12 months are capitalized at \
            close --commit and amortized straight-line per month over the term (docs/accounting.md). Writes \
            OUT/amortization-<date>.csv and, with --accounts, OUT/amortization-journal-<date>.csv. \
            Example: attain amortization --as-of 2026-06-30 --accounts company/accounts.csv
            """
    )

    @Option(help: "The ledger: an SQLite file, a postgres:// URL or a .conf file.")
    var ledger: String = "attain.db"

    @Option(help: "The date the schedule is made as of (YYYY-MM-DD): a month is amortized once its last day is on or before it.")
    var asOf: String

    @Option(help: "The chart of accounts (accounts.csv): needed for the amortization journal; without it only the schedule is written.")
    var accounts: String?

    @Option(help: "Folder to write the schedule and journal into.")
    var out: String = "out"

    @Option(help: "Language of the table: en, zh-Hans or fa (BCP 47).")
    var locale: String = "en"

    func run() throws {
        try finish(Commands.amortization(ledgerPath: Commands.ledgerName(ledger), asOf: asOf, accounts: accounts, out: out, reader: InputReader(), locale: try reportLocale(locale)),
                   out: out)
    }
}

struct Approve: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Approve the last dry run of a period, for a ledger that requires sign-off before close --commit.",
        discussion: """
            Records who approved the period's last dry run (`attain close --period P --by PREPARER`), for exactly its \
            inputs. The approver must not be the preparer. `close --commit` then posts only with the same inputs; a \
            later dry run needs approving again. Approvals are listed by `attain history`.
            """
    )

    @Option(help: "The period whose last dry run is approved.")
    var period: String

    @Option(help: "Who approves (recorded in the ledger).")
    var by: String

    @Option(help: "The ledger: an SQLite file, a postgres:// URL or a .conf file.")
    var ledger: String = "attain.db"

    func run() throws {
        try finish(Commands.approve(period: period, by: by, ledgerPath: Commands.ledgerName(ledger), reader: InputReader()), out: nil)
    }
}

struct Hold: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Hold a payee's or a deal's pay by hand, release a hold, or list the holds.",
        discussion: """
            `attain hold --payee R --reason "…"` (or `--deal D`) records a hold in the ledger: every later close holds \
            what the payee (or the deal) would pay, with a hold line naming who held it and why. `--release` lifts the \
            holds on the payee or deal: the next close pays what they held, one release line per period held. With \
            neither `--payee` nor `--deal`, lists every hold. Holds never change a closed period. holds.csv in the \
            data folder holds payees and deals the same way.
            """
    )

    @Option(help: "The payee (rep id) to hold or release.")
    var payee: String?

    @Option(help: "The deal id to hold or release.")
    var deal: String?

    @Option(help: "Why the pay is held (shown on the statement).")
    var reason: String?

    @Option(help: "Who holds or releases (recorded in the ledger).")
    var by: String?

    @Flag(help: "Release the holds in force on the payee or deal.")
    var release = false

    @Option(help: "The ledger: an SQLite file, a postgres:// URL or a .conf file.")
    var ledger: String = "attain.db"

    func run() throws {
        try finish(Commands.hold(payee: payee, deal: deal, reason: reason, by: by, release: release, ledgerPath: Commands.ledgerName(ledger),
                                 reader: InputReader()), out: nil)
    }
}

struct LedgerConfig: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Require (or stop requiring) an approval before close --commit."
    )

    @Flag(inversion: .prefixedNo, help: "close --commit needs `attain approve` of the last dry run by someone other than its preparer.")
    var requireApproval: Bool

    @Option(help: "The ledger: an SQLite file, a postgres:// URL or a .conf file; created when missing.")
    var ledger: String = "attain.db"

    func run() throws {
        try finish(Commands.configureLedger(requireApproval: requireApproval, ledgerPath: Commands.ledgerName(ledger), reader: InputReader()), out: nil)
    }
}

struct LedgerGroup: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ledger",
        abstract: "Work on the ledger itself: import opening balances, require approval of closes.",
        subcommands: [LedgerImport.self, LedgerConfig.self]
    )
}

struct LedgerImport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import what the year already paid before Attain (opening balances), before the first close.",
        discussion: """
            FILE is a CSV with columns payee_id, kind, plan, component, period, amount, currency. A `paid` row is pay \
            already made for a period under a plan and component; a `draw_balance` row is a draw's balance still to \
            recover at the end of a period (component: the draw's name). Every period the file names is marked closed \
            outside Attain: year-to-date true-ups take its pay off and draws recover its balances. Any error in the file \
            imports nothing and exits 1; a ledger that already has a closed period refuses the import (exit 4). \
            Reopening an imported period voids the whole import, while no period has been closed after it.
            """
    )

    @Argument(help: "The opening balances CSV.")
    var file: String

    @Option(help: "The ledger: an SQLite file, a postgres:// URL or a .conf file; created when missing.")
    var ledger: String = "attain.db"

    func run() throws {
        try finish(Commands.ledgerImport(file: file, ledgerPath: Commands.ledgerName(ledger), reader: InputReader()), out: nil)
    }
}

struct Compare: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Compare plan sets over the same data: cost, winners and losers, distribution, payout curves, sensitivity.",
        discussion: """
            The plans given are the baseline. Each --candidate replaces baseline plans of the same name with other files; \
            each --what-if is the baseline with parameters changed. The data is read once for all of them. Writes \
            OUT/compare/: report.html (charts), summary.csv, payees.csv, distribution.csv, sensitivity.csv, curves.csv \
            and comparison.json, all with the same numbers.
            """
    )

    @OptionGroup var plan: PlanArguments

    @Option(help: "Folder with deals.csv, roster.csv and assignments.csv (and fx.csv, hierarchy.csv when it has them).")
    var data: String

    @Option(help: "A period to compare over; repeat for several (e.g. the four quarters of last year).")
    var period: [String]

    @Option(help: "name=file[,file…]: a candidate; its files replace the baseline plans of the same name. Repeatable.")
    var candidate: [String] = []

    @Option(name: .customLong("what-if"), help: "name=param=value[,param=value…]: the baseline with parameters changed. Repeatable.")
    var whatIf: [String] = []

    @Option(help: "Deal-amount factors for the sensitivity table, e.g. 0.9,1.0,1.1.")
    var scale: String?

    @Option(help: "Count payees who lose more than this share of their baseline pay.")
    var lossThreshold: String = "10%"

    @Option(help: "Folder to write the comparison into (under compare/).")
    var out: String = "out"

    @Option(help: "An existing ledger (an SQLite file, a postgres:// URL or a .conf file): settle each plan set period by period against it as `attain close` would. Only read.")
    var ledger: String?

    @Option(help: "Language of report.html and the terminal's tables: en, zh-Hans or fa (BCP 47).")
    var locale: String = "en"

    @Flag(help: "Make every warning an error (deals no measure counts, a plan that needs the ledger, …): nothing is written, exit 1.")
    var strict = false

    func run() throws {
        let language = try reportLocale(locale)
        // A progress line on stderr when a person is watching, as `attain run` shows it.
        let progress: (@Sendable (String) -> Void)? = isatty(2) == 1 ? showProgress : nil
        let outcome = Commands.compare(plans: plan.plans, data: data, periods: period, candidates: candidate, whatIfs: whatIf, scale: scale,
                                       lossThreshold: lossThreshold, set: plan.sets, ledgerPath: ledger.map(Commands.ledgerName), strict: strict, reader: InputReader(),
                                       progress: progress, locale: language)
        if progress != nil { FileHandle.standardError.write(Data("\u{1B}[2K\r".utf8)) }
        try finish(outcome, out: out)
    }
}

struct Estimate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "What would these extra deals add to a payee's pay this period? Line by line; nothing is posted or written.",
        discussion: "Example: attain estimate plans --data sample --period 2026-Q1 --payee AE03 --deal amount=50000,product=Widget"
    )

    @OptionGroup var plan: PlanArguments

    @Option(help: "Folder with deals.csv, roster.csv and assignments.csv (and fx.csv, hierarchy.csv when it has them).")
    var data: String

    @Option(help: "The period the deals would close in.")
    var period: String

    @Option(help: "The payee (rep_id) to estimate for.")
    var payee: String

    @Option(help: "amount=…,product=…[,type=…][,close_date=…][,split=…][,<column>=…]: a deal the payee might close. Repeatable.")
    var deal: [String]

    @Option(help: "An existing ledger (an SQLite file, a postgres:// URL or a .conf file): settle the pay now and with the deals against it as `attain close` would. Only read.")
    var ledger: String?

    @Option(help: "Language of the terminal's table: en, zh-Hans or fa (BCP 47).")
    var locale: String = "en"

    @Flag(help: "Make every warning an error (deals no measure counts, a plan that needs the ledger, …): exit 1.")
    var strict = false

    func run() throws {
        try finish(Commands.estimate(plans: plan.plans, data: data, period: period, payee: payee, deals: deal, set: plan.sets,
                                     ledgerPath: ledger.map(Commands.ledgerName), strict: strict, reader: InputReader(), locale: try reportLocale(locale)), out: nil)
    }
}

struct Targets: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Break each rep's targets of a year down to quarters and months; print them and write them as CSV.",
        discussion: """
            The data folder holds targets.csv (rep_id,measure,year,target[,period]), roster.csv, and seasonality.csv \
            (year,period,weight[,measure]) when the year is not spread evenly. The CSV written reads back as targets.csv. \
            Example: attain targets --data sample --year 2026 --out targets-2026.csv
            """
    )

    @Option(help: "Folder with targets.csv and roster.csv (and seasonality.csv, hierarchy.csv when it has them).")
    var data: String

    @Option(help: "The year to break down, e.g. 2026, or FY2027 with --fiscal-year-starts.")
    var year: String

    @Option(help: "The first day of the fiscal year, as the plans' `fiscal year starts` line (e.g. 2026-04-01): years are then fiscal, named FY2027.")
    var fiscalYearStarts: String?

    @Option(help: "CSV file to write the breakdown to: one row per rep, measure and period (year, quarters, months).")
    var out: String?

    @Option(help: "Last year's deals (deals.csv format): each month's share of their won amount, company-wide, is the seasonality.")
    var shareFrom: String?

    @Flag(help: "Make every warning an error (targets of reps not in the roster): nothing is written, exit 1.")
    var strict = false

    func run() throws {
        let outcome = Commands.targets(data: data, year: year, out: out, shareFrom: shareFrom, fiscalYearStarts: fiscalYearStarts, strict: strict,
                                       reader: InputReader())
        let folder = out.map { OutputWriter.parent(of: $0) }
        try finish(outcome, out: folder.map { $0.isEmpty ? "." : $0 })
    }
}

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Parse and type-check plans; no data needed. Exits 1 on any error.")

    @OptionGroup var plan: PlanArguments

    func run() throws {
        try finish(Commands.check(plans: plan.plans, set: plan.sets, reader: InputReader()), out: nil)
    }
}

struct Explain: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "explain", abstract: "Print the evaluation tree of each plan: what the engine will do.")

    @OptionGroup var plan: PlanArguments

    func run() throws {
        try finish(Commands.explain(plans: plan.plans, set: plan.sets, reader: InputReader()), out: nil)
    }
}

struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check statement files against the published schemas: .xml against schemas/statement.xsd, .json against schemas/statement.schema.json.",
        discussion: "Prints one line per valid file; problems go to stderr with their line. Exits 1 if any file is invalid."
    )

    @Argument(help: "Statement files (.xml or .json).")
    var files: [String]

    func run() throws {
        try finish(Commands.validate(files: files, reader: InputReader()), out: nil)
    }
}

struct Test: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run golden cases: each folder with a case.conf is run and compared with its expected/ folder.",
        discussion: "Prints a pass/fail line per case and a diff for each failure. Exits 3 if any case fails."
    )

    @Argument(help: "Folders holding golden cases (searched recursively).")
    var folders: [String] = ["golden"]

    @Flag(help: "Rewrite the expected files from what the engine produces now. Review the diff before committing.")
    var update = false

    func run() throws {
        let report = GoldenRunner(reader: InputReader()).runAll(folders, update: update)
        var outcome = CommandOutcome()
        if report.exitCode == ExitCode.ioFailure { outcome.stderr = report.text } else { outcome.stdout = report.text }
        outcome.exitCode = report.exitCode
        try finish(outcome, out: nil)
    }
}

struct Import: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Turn CRM exports (CSV) into deals.csv and activities.csv through a mapping profile (profiles/*.yaml).",
        discussion: """
            Each FILE is a deal export or an activity export (told apart by its header). Writes OUT/deals.csv, \
            OUT/activities.csv and OUT/import.json; stderr ends with a table of where every row went. Any error \
            (a column the profile names that the export lacks, a stage, type, product or owner value without a \
            mapping, a bad date or amount) is reported with its file, line and column, all at once, and nothing is \
            written (exit 1).
            """
    )

    @Option(name: .customLong("from"), help: "The mapping profile (YAML), e.g. profiles/salesforce-api.yaml.")
    var profile: String

    @Argument(help: "The CRM export files (CSV).")
    var files: [String]

    @Option(help: "The data folder to write deals.csv, activities.csv and import.json into.")
    var out: String

    @Option(help: "roster.csv to map owners to rep_id through (by the columns the profile's `owners.by` names).")
    var roster: String?

    @Option(name: .customLong("plans"), parsing: .upToNextOption,
            help: "Plan files or folders the data is for: every extra column they declare (`field …`) must be among the columns written.")
    var plans: [String] = []

    @Flag(help: "Make every warning an error (owners left out, blank amounts skipped, names matching two reps): nothing is written, exit 1.")
    var strict = false

    func run() throws {
        try finish(Commands.importExports(profile: profile, files: files, roster: roster, plans: plans, strict: strict, reader: InputReader()), out: out)
    }
}

/// The locale `--locale` names, or a usage error listing the ones there are.
func reportLocale(_ tag: String) throws -> ReportLocale {
    guard let l = ReportLocale.parse(tag) else {
        throw ValidationError("--locale `\(tag)`: pages are written in " + ReportLocale.all.map(\.tag).joined(separator: ", ") + " (BCP 47 tags)")
    }
    return l
}

/// `attain shard …`: the steps of a run an engine such as Apache Spark spreads over machines.
struct ShardGroup: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "shard",
        abstract: "A run in steps over stdin and stdout, for engines that spread it over machines (spark/attain_spark.py).",
        discussion: """
            credit: deal rows in (`<line>\\t<CSV row>`), credits out (JSON Lines: payee, role, close_date, deal_id, line, row). \
            payees: one record per roster payee. evaluate: the credits and payee records of some payees, grouped by payee \
            and sorted by payee, close_date, deal_id, in; a line per payee and one for the shard out. finish: every line \
            evaluate wrote, sorted by payee, in; the files `attain run` writes, out. The data folder's deals.csv is not read: \
            deal rows come on stdin. For a close, give every step the same --ledger: payees adds the payees the ledger paid \
            who are not in the roster, credit also sends each row to the payees closed periods paid on its deal, evaluate \
            settles its payees against the ledger, and finish is the posting step (a dry run, or --commit), saying and \
            writing what `attain close` does.
            """,
        subcommands: [ShardPayees.self, ShardCredit.self, ShardEvaluate.self, ShardFinish.self]
    )
}

/// The options every shard step takes, as `attain run` does.
struct ShardArguments: ParsableArguments {
    @OptionGroup var plan: PlanArguments

    @Option(help: "Folder with roster.csv and assignments.csv (and fx.csv, hierarchy.csv, targets.csv when it has them); its deals.csv is not read.")
    var data: String

    @Option(help: "Period to pay, as for `attain run`.")
    var period: String
}

/// The `--format` of a shard step; an unknown name is a usage error, as for `attain run`.
func shardFormats(_ text: String) throws -> [OutputFormat] {
    switch OutputFormat.parse(text) {
    case .failure(let e): throw ValidationError(e.description)
    case .success(let formats): return formats
    }
}

/// Standard input, whole.
func standardInput() -> [UInt8] {
    [UInt8](FileHandle.standardInput.readDataToEndOfFile())
}

func printed(_ outcome: CommandOutcome) -> Never {
    FileHandle.standardError.write(Data(outcome.stderr.utf8))
    FileHandle.standardOutput.write(Data(outcome.stdout.utf8))
    exit(outcome.exitCode)
}

struct ShardPayees: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "payees", abstract: "One record per roster payee (JSON Lines), so that payees with no credits are evaluated.",
        discussion: "For a close (--ledger, with the plans and --period), also one per payee the ledger paid who is not in the roster.")

    @Argument(help: "Plan files, or folders of .plan files (for a close).")
    var plans: [String] = []

    @Option(name: .customLong("set"), help: "Override a plan parameter, as for `attain run` (for a close).")
    var sets: [String] = []

    @Option(help: "Folder with roster.csv.")
    var data: String

    @Option(help: "Period to close, with --ledger.")
    var period: String?

    @Option(help: "For a close: the ledger (an SQLite file, a postgres:// URL or a .conf file), read.")
    var ledger: String?

    func run() throws {
        var close: ShardCommands.CloseStep?
        if let ledger {
            guard let period, !plans.isEmpty else { throw ValidationError("--ledger needs the plans and --period") }
            close = ShardCommands.CloseStep(plans: plans, period: period, set: sets, ledger: Commands.ledgerName(ledger))
        }
        printed(ShardCommands.payees(data: data, reader: InputReader(), close: close))
    }
}

/// The `--ledger` of a shard step of a close.
struct ShardLedger: ParsableArguments {
    @Option(help: "For a close: the ledger (an SQLite file, a postgres:// URL or a .conf file), read (brought up to date when older); the same for every step.")
    var ledger: String?

    var name: String? { ledger.map(Commands.ledgerName) }
}

struct ShardCredit: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "credit", abstract: "Deal rows on stdin (`<line>\\t<CSV row>`), their credits on stdout (JSON Lines).")

    @OptionGroup var shard: ShardArguments

    @Option(help: "The deals header: column names, comma-separated, as in deals.csv.")
    var columns: String

    @OptionGroup var ledger: ShardLedger

    func run() throws {
        printed(ShardCommands.credit(plans: shard.plan.plans, data: shard.data, period: shard.period, set: shard.plan.sets, columns: columns,
                                     input: standardInput(), reader: InputReader(), ledger: ledger.name))
    }
}

struct ShardEvaluate: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "evaluate", abstract: "Some payees' credits on stdin, their statements, payroll rows and the shard's figures on stdout.")

    @OptionGroup var shard: ShardArguments

    @Option(help: "The deals header: column names, comma-separated, as in deals.csv.")
    var columns: String

    @Option(help: "Outputs, as for `attain run`: json, xml, payroll, jsonl (html is left to `attain run`).")
    var format: String = "json,xml,payroll"

    @Option(help: "CSV of `kind,code` rows mapping line kinds to payroll earning codes.")
    var earningCodes: String?

    @OptionGroup var ledger: ShardLedger

    func run() throws {
        let formats = try shardFormats(format)
        printed(ShardCommands.evaluate(plans: shard.plan.plans, data: shard.data, period: shard.period, set: shard.plan.sets, columns: columns,
                                       formats: formats, earningCodes: earningCodes, input: standardInput(), reader: InputReader(), ledger: ledger.name))
    }
}

struct ShardFinish: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "finish", abstract: "Every line `shard evaluate` wrote on stdin (sorted by payee); writes what `attain run` writes.")

    @OptionGroup var shard: ShardArguments

    @Option(help: "Folder to write statements into.")
    var out: String = "out"

    @Option(help: "The deals header: column names, comma-separated, as in deals.csv.")
    var columns: String

    @Option(help: "Outputs, as given to `attain shard evaluate`.")
    var format: String = "json,xml,payroll"

    @Option(help: "Language of the terminal's table: en, zh-Hans or fa (BCP 47).")
    var locale: String = "en"

    @Flag(help: "Make every warning an error: nothing is written, exit 1.")
    var strict = false

    @Option(help: "For a close: the ledger, as given to the other steps. finish is then the close's posting step: a dry run, or --commit.")
    var ledger: String?

    @Flag(help: "With --ledger: post the statements and lock the period.")
    var commit = false

    @Option(help: "With --ledger: who prepares this close (recorded with a dry run; the approver must be someone else).")
    var by: String?

    @Flag(help: "With --ledger: list every payee's row on the terminal, however many.")
    var all = false

    @Option(help: "With --ledger: the file (or folder of Parquet parts) the deal rows came from, recorded by SHA-256 as the close's deals input; default DATA/deals.csv.")
    var deals: String?

    @Option(help: "With --ledger: the earning codes given to `shard evaluate`, recorded among the close's inputs.")
    var earningCodes: String?

    func run() throws {
        let formats = try shardFormats(format)
        if ledger == nil && (commit || by != nil || all || deals != nil || earningCodes != nil) {
            throw ValidationError("--commit, --by, --all, --deals and --earning-codes are for a close: give --ledger too")
        }
        let close = ledger.map { ShardCommands.CloseFinish(ledger: Commands.ledgerName($0), commit: commit, by: by, all: all, deals: deals, clock: nil,
                                                           earningCodes: earningCodes) }
        let stage = OutputWriter.Stage(folder: out)
        let outcome = ShardCommands.finish(plans: shard.plan.plans, data: shard.data, period: shard.period, set: shard.plan.sets, columns: columns, formats: formats,
                                           strict: strict, locale: try reportLocale(locale),
                                           lines: { readLine(strippingNewline: true) }, reader: InputReader(), stage: stage, close: close)
        try finish(outcome, out: out, stage: stage)
    }
}
