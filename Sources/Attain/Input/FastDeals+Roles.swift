// The fast deals reader's part of credit roles: a row's `role` read from its bytes, and the rows of one deal checked
// role by role. Anything the careful reader would refuse makes the fast path give up, as for any other column.

extension DataLoader {
    /// A role's index in the pool, from the bytes of a non-empty `role` field; nil when the text is not a role (or the
    /// pool is full), which the careful reader then reports.
    @inline(__always)
    static func fastRole(_ bytes: UnsafeBufferPointer<UInt8>, _ pool: inout DealTable.Pool) -> UInt8? {
        guard bytes.count <= Deal.roleLimit, bytes.allSatisfy(Deal.isRoleByte) else { return nil }
        if bytes.elementsEqual(Deal.owner.utf8) { return 0 }
        for (i, r) in pool.roles.enumerated() where i > 0 && r.utf8.elementsEqual(bytes) { return UInt8(i) }
        return pool.role(String(decoding: bytes, as: UTF8.self))
    }

    /// The rows of one deal (each with its number in the table) in credit roles: within each role one row per payee, and
    /// shares totalling 100%.
    static func rolesAgree(_ rows: [(row: DealTable.Row, number: Int)], in table: DealTable, partialShares: Bool = false) -> Bool {
        var byRole: [String: (total: ExactDecimal, payees: Set<Int32>)] = [:]
        for (row, number) in rows {
            let role = table.role(row, at: number)
            var entry = byRole[role] ?? (.zero, [])
            guard entry.payees.insert(row.rep).inserted, let sum = try? entry.total.adding(table.share(row, at: number)) else { return false }
            entry.total = sum
            byRole[role] = entry
        }
        return partialShares || byRole.values.allSatisfy { $0.total == .one }
    }
}
