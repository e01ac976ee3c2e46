// A statement as a close posts it: the totals, each line's kind, component, deal, settled period, amount and source,
// each draw line's balances, and the digest of the JSON document posted for it. A posting adds these, whether the
// statement was made by this process or by a shard (`attain shard evaluate --ledger`), which hands them on as JSON.
import Attain

public struct PostedStatement: Sendable, Codable {
    public struct Line: Sendable, Codable {
        /// The line kind's name (`LineKind.rawValue`).
        public let kind: String
        public let component: String
        public let dealID: String?
        public let refPeriod: String?
        public let amount: String
        public let source: String
        /// A draw line's balance before and after it; nil on every other line.
        public let balanceBefore: String?
        public let balanceAfter: String?

        public init(kind: String, component: String, dealID: String?, refPeriod: String?, amount: String, source: String,
                    balanceBefore: String?, balanceAfter: String?) {
            self.kind = kind
            self.component = component
            self.dealID = dealID
            self.refPeriod = refPeriod
            self.amount = amount
            self.source = source
            self.balanceBefore = balanceBefore
            self.balanceAfter = balanceAfter
        }
    }

    public let payeeID: String
    public let payeeName: String
    public let planName: String
    public let planVersion: String
    public let currency: String
    public let earned: String
    public let adjustments: String
    public let paid: String
    /// The SHA-256 of the document, lowercase hex, and its length in bytes.
    public let sha256: String
    public let bytes: Int64
    public let lines: [Line]

    /// The statement as posted with `document` (its JSON file), hashed here.
    public init(_ s: Attain.Statement, document: String) {
        payeeID = s.payeeID
        payeeName = s.payeeName
        planName = s.planName
        planVersion = s.planVersion
        currency = s.currency.code
        earned = s.earned.text
        adjustments = s.adjustments.text
        paid = s.paid.text
        sha256 = InputHash.hex(InputHash.sha256Bytes(document))
        bytes = Int64(document.utf8.count)
        // Read in place: a statement line is a large value, not copied per line.
        lines = s.lines.withUnsafeBufferPointer { ls in
            ls.map { l in
                let draw = l.kind == .draw && l.balanceBefore != nil && l.balanceAfter != nil
                return Line(kind: l.kind.rawValue, component: l.component, dealID: l.dealID, refPeriod: l.refPeriod, amount: l.amount.text,
                            source: l.source, balanceBefore: draw ? l.balanceBefore!.text : nil, balanceAfter: draw ? l.balanceAfter!.text : nil)
            }
        }
    }

    /// The same statement with other lines (a record that carries its lines apart from the rest).
    public func with(lines: [Line]) -> PostedStatement {
        PostedStatement(self, lines: lines)
    }

    private init(_ s: PostedStatement, lines: [Line]) {
        payeeID = s.payeeID
        payeeName = s.payeeName
        planName = s.planName
        planVersion = s.planVersion
        currency = s.currency
        earned = s.earned
        adjustments = s.adjustments
        paid = s.paid
        sha256 = s.sha256
        bytes = s.bytes
        self.lines = lines
    }

    /// The digest's 32 bytes, as the ledger stores them.
    var hashBytes: [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(32)
        var high: UInt8?
        for c in sha256.utf8 {
            let v: UInt8 = c >= 97 ? c - 87 : c - 48
            if let h = high { out.append(h << 4 | v); high = nil } else { high = v }
        }
        return out
    }
}
