// Credit roles in the deal table: a row keeps its role in seven bits beside its cancelled flag, so a row stays 64 bytes,
// and each pool lists the role texts its rows use (`owner` first).

extension Deal {
    /// The role of a row with no `role` (or an empty one): the deal's owner.
    public static let owner = "owner"
    /// The longest role text.
    static let roleLimit = 32
    /// How many roles one table holds (seven bits, `owner` among them).
    static let roleCount = 128

    /// Whether a text is a role: letters, digits, `_` and `-`, at most `roleLimit` bytes. nil when it is; otherwise why not.
    static func roleProblem(_ text: String) -> String? {
        if text.utf8.count > roleLimit { return "a role has at most \(roleLimit) characters" }
        if let bad = text.unicodeScalars.first(where: { !isRoleByte($0) }) {
            return "a role is a word of letters, digits, `_` and `-`; found \(Reconciliation.quoted(String(bad)))"
        }
        return nil
    }

    @inline(__always)
    static func isRoleByte(_ u: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(u) || ("A"..."Z").contains(u) || ("0"..."9").contains(u) || u == "_" || u == "-"
    }

    @inline(__always)
    static func isRoleByte(_ b: UInt8) -> Bool {
        (b >= 0x61 && b <= 0x7A) || (b >= 0x41 && b <= 0x5A) || (b >= 0x30 && b <= 0x39) || b == 0x5F || b == 0x2D
    }
}

extension DealTable.Row {
    init(idStart: Int, amount: Int64, share: Int64, line: Int, idLength: Int32, rep: Int32, closeDate: Int32, cancelDate: Int32,
         product: Int32, type: Int32, extras: Int32, amountScale: UInt8, shareScale: UInt8, currency: UInt8, cancelled: Bool, role: UInt8 = 0) {
        self.init(idStart: idStart, amount: amount, share: share, line: line, idLength: idLength, rep: rep, closeDate: closeDate,
                  cancelDate: cancelDate, product: product, type: type, extras: extras, amountScale: amountScale, shareScale: shareScale,
                  currency: currency, flags: (cancelled ? 1 : 0) | role << 1)
    }

    /// The deal was cancelled (`status` `cancelled`).
    @inline(__always)
    var cancelled: Bool { flags & 1 != 0 }

    /// The row's credit role: an index into its pool's `roles`, 0 for `owner`.
    @inline(__always)
    var role: UInt8 { flags >> 1 }
}

extension DealTable.Pool {
    /// The index of a role, added when new; nil when the pool already holds `Deal.roleCount` roles.
    mutating func role(_ text: String) -> UInt8? {
        if let i = roles.firstIndex(of: text) { return UInt8(i) }
        guard roles.count < Deal.roleCount else { return nil }
        roles.append(text)
        return UInt8(roles.count - 1)
    }
}

extension DealTable {
    /// The credit role of row `i` (`r` is the row).
    @inline(__always)
    func role(_ r: Row, at i: Int) -> String {
        r.role == 0 ? Deal.owner : pools[pool(of: i)].roles[Int(r.role)]
    }

    /// True when some row credits a role other than `owner`.
    var hasRoles: Bool { pools.contains { $0.roles.count > 1 } }

    /// Every text the rows' pools hold (products and types among them).
    var texts: Set<String> {
        var all = Set<String>()
        for pool in pools { all.formUnion(pool.texts) }
        return all
    }

    /// Every role some row has, `owner` among them when a row has it, sorted.
    func roleTexts() -> [String] {
        var all = Set<String>()
        for r in rows where r.role == 0 {
            all.insert(Deal.owner)
            break
        }
        for pool in pools { all.formUnion(pool.roles.dropFirst()) }
        return all.sorted()
    }
}
