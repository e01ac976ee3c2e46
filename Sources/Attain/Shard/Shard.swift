// A run in shards, for engines that spread work over machines (Apache Spark): crediting deal rows to payees, evaluating
// some payees from their credits alone, and joining what every shard found into the run's summary. The evaluation of
// one payee reads only that payee's credits and the small tables every shard has, so a run sharded by payee gives the
// same statements, payroll and summary as one run over all rows.

public enum Shard {
    /// One payee's credit from one deal row: the row's own payee (in the row's role), a manager above them who measures
    /// it (`manager`), or the rep of a row not in the roster (`unrostered`), whose shard counts it as not paid.
    public struct Credit: Sendable {
        public let payee: String
        public let role: String
        public let closeDate: String
        public let dealID: String
        /// The row's line in the whole deals file.
        public let line: Int
    }

    /// The role of a credit to a manager above the row's payee.
    public static let managerRole = "manager"
    /// The role of a row whose rep is not in the roster.
    public static let unrosteredRole = "unrostered"
    /// The role of the record that makes a shard evaluate a payee (one per roster payee, with no row).
    public static let payeeRole = "payee"
    /// The role of a row sent to a payee a closed period paid on its deal, so that their shard settles the deal (a
    /// clawback, an adjustment of the period) with the deal's rows at hand. The row is not credited to them.
    public static let postedRole = "posted"

    /// The roster's payee ids, in payee id order.
    public static func payees(roster: InputFile) -> Result<[String], Diagnostics> {
        var diagnostics = Diagnostics()
        let reps = DataLoader(declaredFields: [:], planNames: []).loadRoster(roster, &diagnostics)
        if diagnostics.hasErrors { return .failure(diagnostics) }
        return .success(reps.map(\.id).sorted())
    }

    /// The deals file a shard reads: the header, then its rows in line order, each row's line in the whole file kept
    /// beside it (`lines`). Rows are given with their lines in any order; a line given twice is kept once.
    public struct Rows: Sendable {
        public private(set) var file: InputFile
        /// The line in the whole deals file of each row of `file`, in order.
        public private(set) var lines: [Int]

        public init(path: String, header: String, rows: [(line: Int, text: String)]) {
            var seen = Set<Int>()
            let sorted = rows.sorted { $0.line < $1.line }.filter { seen.insert($0.line).inserted }
            var bytes = Array(header.utf8)
            bytes.append(UInt8(ascii: "\n"))
            for r in sorted {
                bytes += r.text.utf8
                bytes.append(UInt8(ascii: "\n"))
            }
            file = InputFile(path: path, bytes: bytes)
            lines = sorted.map(\.line)
        }

        /// The line in the whole file of a line of `file` (the header is line 1 of both).
        func original(_ line: Int) -> Int { line >= 2 && line - 2 < lines.count ? lines[line - 2] : line }

        /// A message about `file` pointing at the whole file's lines.
        func original(_ d: Diagnostic) -> Diagnostic {
            func span(_ s: SourceSpan?) -> SourceSpan? {
                guard let s, s.path == file.path else { return s }
                return SourceSpan(path: s.path, line: original(s.line), column: s.column, width: s.width, lineText: s.lineText)
            }
            let notes = d.notes.map { Diagnostic.Note(kind: $0.kind, message: $0.message, span: span($0.span)) }
            return Diagnostic(d.severity, code: d.code, d.message, at: span(d.span), notes: notes)
        }
    }

    /// `Engine.prepare` over a shard's deal rows (`request.deals` is `rows.file`): rows and messages carry their lines
    /// in the whole deals file. `only`: the payees the shard evaluates (nil: all of them).
    public static func prepare(_ request: RunRequest, rows: Rows, only: Set<String>? = nil) -> Result<PreparedRun, Diagnostics> {
        var diagnostics = Diagnostics()
        let (plans, planDiagnostics) = Engine.compile(request.plans, overrides: request.overrides)
        diagnostics.append(contentsOf: planDiagnostics)
        if diagnostics.hasErrors { return .failure(diagnostics) }
        switch Engine.loadData(request, for: plans) {
        case .failure(let d):
            diagnostics.append(contentsOf: Diagnostics(d.items.map(rows.original)))
            return .failure(diagnostics)
        case .success(let loaded):
            diagnostics.append(contentsOf: Diagnostics(loaded.warnings.items.map(rows.original)))
            var data = loaded.data
            var table = data.deals
            for i in table.rows.indices { table.rows[i].line = rows.original(table.rows[i].line) }
            data.deals = table
            for i in data.unrostered.indices { data.unrostered[i].line = rows.original(data.unrostered[i].line) }
            var prepared = Engine.assemble(plans: plans, data: data, fx: loaded.fx, dealsPath: request.deals.path, warnings: diagnostics)
            prepared.only = only
            return .success(prepared)
        }
    }

    /// Every credit of the prepared rows: each row to its payee in the row's role, and to every manager above that
    /// payee on the row's close date (the dated tree, with hierarchy.csv) whose plans read reports' deals (their direct
    /// reports', or everyone's below); each row of a rep not in the roster to that rep id, as `unrostered`. In the
    /// order of the rows.
    /// `posted`: for a close, the payees each deal's posted lines in closed periods name, by deal id; each row of such a
    /// deal also goes to those of them it is not credited to (`postedRole`).
    public static func credits(_ prepared: PreparedRun, posted: [String: [String]] = [:]) -> [Credit] {
        var scopes: [String: (direct: Bool, all: Bool)] = [:]
        func scope(of id: String) -> (direct: Bool, all: Bool) {
            if let known = scopes[id] { return known }
            var s = (direct: false, all: false)
            for a in prepared.assignmentsByRep[id] ?? [] {
                guard let plan = prepared.planByName[a.plan] else { continue }
                let r = Crediting.reportScopes(of: plan)
                s = (s.direct || r.direct, s.all || r.all)
            }
            scopes[id] = s
            return s
        }
        func manager(of id: String, on date: CivilDate) -> String? {
            if let h = prepared.data.hierarchy { return h.manager(of: id, on: date) }
            return prepared.rep(id)?.managerID
        }
        var out: [Credit] = []
        out.reserveCapacity(prepared.data.deals.count + prepared.data.unrostered.count)
        for deal in prepared.data.deals {
            let date = deal.closeDate.description
            let first = out.count
            out.append(Credit(payee: deal.repID, role: deal.role, closeDate: date, dealID: deal.dealID, line: deal.line))
            // Up the tree on the close date; a cycle (refused when the tree is read) cannot loop here.
            var seen: Set<String> = [deal.repID]
            var depth = 1
            var next = manager(of: deal.repID, on: deal.closeDate)
            while let m = next, seen.insert(m).inserted {
                let s = scope(of: m)
                if s.all || (depth == 1 && s.direct) {
                    out.append(Credit(payee: m, role: managerRole, closeDate: date, dealID: deal.dealID, line: deal.line))
                }
                depth += 1
                next = manager(of: m, on: deal.closeDate)
            }
            route(deal, date, from: first)
        }
        for deal in prepared.data.unrostered {
            let first = out.count
            out.append(Credit(payee: deal.repID, role: unrosteredRole, closeDate: deal.closeDate.description, dealID: deal.dealID, line: deal.line))
            route(deal, deal.closeDate.description, from: first)
        }
        return out

        /// The row to each payee paid on its deal before that its credits from `first` on do not reach.
        func route(_ deal: Deal, _ date: String, from first: Int) {
            guard let paid = posted[deal.dealID] else { return }
            let reached = Set(out[first...].map(\.payee))
            for p in paid where !reached.contains(p) {
                out.append(Credit(payee: p, role: postedRole, closeDate: date, dealID: deal.dealID, line: deal.line))
            }
        }
    }

    /// The payees each deal's posted lines name, by deal id, for the deals in `ids`; each deal's payees sorted.
    public static func postedPayees(_ history: LedgerHistory, deals ids: Set<String>) -> [String: [String]] {
        var found: [String: Set<String>] = [:]
        for line in history.lines {
            guard let d = line.dealID, ids.contains(d) else { continue }
            found[d, default: []].insert(line.payeeID)
        }
        return found.mapValues { $0.sorted() }
    }

    /// The payees the history's posted lines name that are not in the roster: a close's shards settle each of them once.
    public static func unrosteredPaid(_ history: LedgerHistory, roster: [String]) -> [String] {
        let known = Set(roster)
        return Set(history.lines.map(\.payeeID)).subtracting(known).sorted()
    }

    /// What a shard hands on besides its payees' statements: where its payees' rows went, its messages in payee order,
    /// and the texts its rows hold (for the warnings about filter literals and roles, which read every row of the run).
    public struct Part: Sendable, Codable {
        var tally: ReconciliationTally
        /// Messages about payees, each with the payee it is about.
        var messages: [Diagnostic]
        var messagePayees: [String]
        var settlementMessages: [Diagnostic]
        /// Payees left to closes of other period kinds, by kind.
        var otherKinds: [String: Int]
        /// The products and types the shard's rows have, and their roles.
        var texts: [String]
        var roles: [String]
        var hasRoles: Bool
        var rows: Int
        /// The rows of reps not in the roster the shard was given: line and text, for the joined run's message of them.
        public var unrostered: [UnrosteredRow]
        /// A close's settlement of the shard's payees against the ledger, chunk by chunk, for the run's messages.
        var settlements: [SettlementPart] = []

        public struct UnrosteredRow: Sendable, Codable {
            public let line: Int
            public let text: String
        }
    }

    /// What one chunk's settlement said (`Settlement.Said`), as a shard hands it on.
    struct SettlementPart: Sendable, Codable {
        struct Recomputation: Sendable, Codable {
            let period: Int
            let tally: ReconciliationTally?
            let diagnostics: [Diagnostic]
        }

        let diagnostics: [Diagnostic]
        let tags: [Settlement.Tag]
        let recomputations: [Recomputation]

        init(_ said: Settlement.Said) {
            diagnostics = said.diagnostics.items
            tags = said.tags
            recomputations = said.recomputations.keys.sorted().map { Recomputation(period: $0, tally: said.recomputations[$0]!.tally, diagnostics: said.recomputations[$0]!.diagnostics.items) }
        }

        var said: Settlement.Said {
            var r: [Int: (tally: ReconciliationTally?, diagnostics: Diagnostics)] = [:]
            for x in recomputations { r[x.period] = (x.tally, Diagnostics(x.diagnostics)) }
            return Settlement.Said(diagnostics: Diagnostics(diagnostics), tags: tags, recomputations: r)
        }
    }

    /// Why a close cannot go through shards with this history, in words; nil when it can. Holds are settled with
    /// every payee's lines at hand, so a close that holds pay (payments, collection rules, holds in the ledger, held
    /// money posted) is left to `attain close`.
    public static func closeRefusal(_ prepared: PreparedRun, _ history: LedgerHistory) -> String? {
        guard Settlement.holding(prepared, history) else { return nil }
        return "a close through shards does not settle held pay yet (payments, collection rules, holds put on with `attain hold`, held money posted); close this period with `attain close`"
    }

    /// The errors of a close's manual adjustments found before any statement is made (unknown payees, disputes that
    /// cannot be answered), for the posting step to say once for all shards.
    public static func manualErrors(_ prepared: PreparedRun, _ history: LedgerHistory, period: Period) -> Diagnostics {
        ManualPosting.of(history, prepared: prepared, period: period)?.checked ?? Diagnostics()
    }

    /// The statements of the shard's payees (`PreparedRun.only`), in payee id order, and what the shard hands on.
    /// `unrostered`: the text of each row of a rep not in the roster the shard was given, by line. `history`: for a
    /// close, what the ledger posted for the shard's payees (and the manual inputs), settled as one chunk of a close
    /// settles its payees; its errors fail the shard.
    public static func evaluate(_ prepared: PreparedRun, period: Period, detail: Bool, unrostered: [Int: String],
                                history: LedgerHistory = .empty) -> Result<(statements: [Statement], part: Part), Diagnostics> {
        var diagnostics = Diagnostics()
        let manual = ManualPosting.of(history, prepared: prepared, period: period)
        if let manual {
            diagnostics.append(contentsOf: manual.checked)
            if diagnostics.hasErrors { return .failure(diagnostics) }
        }
        // Held pay is refused before a shard evaluates (`closeRefusal`).
        var each: (@Sendable (inout Statement) -> Void)?
        if let manual { each = { manual.apply(&$0) } }
        let settling = Engine.settling(prepared, period: period, history: history, detail: detail, holding: false, inChunks: true,
                                       reconcile: true, each: each)
        var crediting = settling.crediting
        let alone = settling.alone
        let payees = crediting.statements()
        diagnostics.append(contentsOf: crediting.diagnostics)
        diagnostics.append(contentsOf: crediting.settlementDiagnostics)
        if !alone {
            // The shard's own recomputations: a closed period that cannot be recomputed fails it here.
            let said = Settlement.joined(crediting.chunkSettlements, history: history, dealsPath: prepared.dealsPath, calendar: period.calendar)
            if said.hasErrors { diagnostics.append(contentsOf: Diagnostics(said.errors)) }
        }
        if let manual { diagnostics.append(contentsOf: manual.finished()) }
        if diagnostics.hasErrors { return .failure(diagnostics) }
        let table = prepared.data.deals
        var kinds: [String: Int] = [:]
        for (k, n) in crediting.otherKinds { kinds[k.rawValue] = n }
        // Rows of reps not in the roster sent here for their rep, not those sent to a payee paid on their deal.
        let rows = prepared.data.unrostered.compactMap { d in unrostered[d.line].map { Part.UnrosteredRow(line: d.line, text: $0) } }
        var part = Part(tally: crediting.tally ?? ReconciliationTally(), messages: crediting.diagnostics.items, messagePayees: crediting.diagnosticPayees,
                        settlementMessages: crediting.settlementDiagnostics.items, otherKinds: kinds, texts: table.texts.sorted(),
                        roles: table.roleTexts(), hasRoles: table.hasRoles, rows: table.count, unrostered: rows)
        part.settlements = crediting.chunkSettlements.map(SettlementPart.init)
        return .success((payees.map(\.statement), part))
    }

    /// The run joined from its shards: its messages in the order one run over all rows says them, its reconciliation,
    /// the plans its statements used and the payees left to other kinds' closes.
    ///
    /// `prepared`: the plans and small tables, with a deals file of the rows of reps not in the roster alone (every
    /// shard's `Part.unrostered`), so that its messages are those of the whole file's reading. `payees`: every payee's
    /// figure, in payee id order.
    /// `history`: a close's, without its lines (each shard read its payees'), for what the ledger's closed periods say.
    public static func join(_ parts: [Part], payees: [StatementJSON.SummaryEntry], prepared: PreparedRun, period: Period,
                            history: LedgerHistory = .empty) -> (warnings: Diagnostics, plans: [CompiledPlan], reconciliation: Reconciliation, left: [LeftToOtherKind]) {
        var diagnostics = prepared.warnings
        diagnostics.append(contentsOf: Diagnostics(Engine.unreadClosedPeriods(history, calendar: period.calendar)))
        // Messages about payees in payee order, each said once per run when it is about a plan.
        var tagged: [(position: Int, order: Int, message: Diagnostic)] = []
        for part in parts {
            for (i, m) in part.messages.enumerated() {
                let payee = i < part.messagePayees.count ? part.messagePayees[i] : ""
                tagged.append((prepared.position[payee] ?? Int.max, tagged.count, m))
            }
        }
        tagged.sort { ($0.position, $0.order) < ($1.position, $1.order) }
        var said: Set<String> = []
        for t in tagged {
            if ["R304", "R305", "R306"].contains(t.message.code), !said.insert(t.message.code + t.message.message).inserted { continue }
            diagnostics.append(t.message)
        }
        var tally = ReconciliationTally()
        var texts = Set<String>(), roles = Set<String>(), hasRoles = false, rows = 0
        var kinds: [PeriodKind: Int] = [:]
        for part in parts {
            tally.join(part.tally)
            texts.formUnion(part.texts)
            roles.formUnion(part.roles)
            hasRoles = hasRoles || part.hasRoles
            rows += part.rows
            for (k, n) in part.otherKinds { if let kind = PeriodKind(rawValue: k) { kinds[kind, default: 0] += n } }
        }
        let position = prepared.position
        // Each payee's figures stay in the order its shard found them.
        tally.payees = tally.payees.enumerated().sorted { (position[$0.element.payeeID] ?? Int.max, $0.offset) < (position[$1.element.payeeID] ?? Int.max, $1.offset) }.map(\.element)
        tally.add(unrostered: prepared.data.unrostered, period: period, lastPlanEnd: prepared.lastPlanEnd)
        var reconciliation = tally.finished(period: period, dealsPath: prepared.dealsPath, lastPlanEnd: prepared.lastPlanEnd)
        reconciliation.activityOnlyPlans = Set(prepared.plans.filter { p in p.readsActivities && !p.measures.contains { !$0.readsActivities } }.map(\.name))
        let path = prepared.dealsPath
        var literal = FilterFacts.unknownLiterals(prepared.plans, texts: texts, empty: rows == 0, path: path)
        if prepared.plans.contains(where: { !$0.creditsOwnerOnly }) || hasRoles {
            literal += Reconciliation.nearRoleWarnings(prepared.plans, roles: roles.sorted(), path: path)
        }
        diagnostics.append(contentsOf: Diagnostics(literal + reconciliation.warnings()))
        for part in parts { diagnostics.append(contentsOf: Diagnostics(part.settlementMessages)) }
        let settled = parts.flatMap(\.settlements)
        if !settled.isEmpty {
            diagnostics.append(contentsOf: Settlement.joined(settled.map(\.said), history: history, dealsPath: prepared.dealsPath, calendar: period.calendar))
        }
        diagnostics.append(contentsOf: Diagnostics(Extremes.negativePay(payees.map { Extremes.PaidFigure(payeeID: $0.payeeID, paid: $0.paid, period: period.description) })))
        let used = Set(payees.flatMap(\.plans))
        var left: [LeftToOtherKind] = []
        if !kinds.isEmpty {
            var crediting = Crediting(prepared: prepared, period: period)
            crediting.otherKinds = kinds
            left = crediting.leftToOtherKinds()
        }
        return (diagnostics, prepared.plans.filter { used.contains($0.name) }.sorted { $0.name < $1.name }, reconciliation, left)
    }
}
