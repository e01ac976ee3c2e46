// A fast path for deals.csv: fields read as byte ranges, numbers and dates parsed from bytes, repeated texts shared,
// and the rows split across the cores. It handles well-formed files only: anything unusual (a quote, a bad value,
// a split that does not add up) makes it give up, and the careful reader runs instead and reports every error
// with its position. Both produce the same deals.

extension DataLoader {
    /// The deals of a well-formed file, or nil when the careful reader must look at it.
    func fastDeals(_ file: InputFile, reps: [Rep]) -> (DealTable, Set<String>)? {
        let bytes = file.bytes
        let quote = UInt8(ascii: "\""), newline = UInt8(ascii: "\n"), comma = UInt8(ascii: ",")
        var start = 0
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { start = 3 }
        // Quotes (fields with commas or line breaks), control characters and bytes that are not UTF-8 go to the careful
        // reader. One pass over a part checks its bytes and counts its lines.
        @Sendable func scan(_ part: UnsafeBufferPointer<UInt8>) -> Int? {
            var lines = 0, high = false
            for b in part where b < 0x20 || b >= 0x7F || b == quote {
                if b == newline {
                    lines += 1
                } else if b >= 0x80 {
                    high = true
                } else if b != 0x09 && b != 0x0D {
                    return nil
                }
            }
            if high && String(validating: part, as: UTF8.self) == nil { return nil }
            return lines
        }
        guard let headerEnd = bytes[start...].firstIndex(of: newline) else { return nil }
        var headerBytes = bytes[start..<headerEnd]
        if headerBytes.last == 0x0D { headerBytes = headerBytes.dropLast() }
        let names = headerBytes.split(separator: comma, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self).trimmingSpaces() }
        var column: [String: Int] = [:]
        for (i, n) in names.enumerated() {
            if column[n] != nil { return nil }
            column[n] = i
        }
        for required in ["deal_id", "rep_id", "close_date", "amount", "currency", "product", "type"] where column[required] == nil { return nil }
        let extras = declaredFields.sorted { $0.key < $1.key }
        for (name, _) in extras where column[name] == nil { return nil }

        // Rows split into chunks at line breaks, parsed in parallel, joined in file order.
        let body = headerEnd + 1
        let chunks = bytes.count - body < 1 << 20 ? 1 : 8
        var bounds = [body]
        for c in 1..<chunks {
            var cut = body + (bytes.count - body) * c / chunks
            while cut < bytes.count && bytes[cut - 1] != newline { cut += 1 }
            bounds.append(max(cut, bounds.last!))
        }
        bounds.append(bytes.count)
        let cuts = bounds
        // Each chunk checked for plain bytes and its lines counted, on all cores; then each chunk's first line number,
        // so rows carry their line without a further pass.
        let scans = bytes.withUnsafeBufferPointer { b in
            let all = Shared(b)
            return Parallel.map(chunks) { c -> Int? in
                scan(UnsafeBufferPointer(rebasing: all.value[cuts[c]..<cuts[c + 1]]))
            }
        }
        guard bytes.withUnsafeBufferPointer({ scan(UnsafeBufferPointer(rebasing: $0[start..<body])) }) != nil else { return nil }
        var firstLines = [2]
        for c in 0..<chunks {
            guard let lines = scans[c] ?? nil else { return nil }
            firstLines.append(firstLines[c] + lines)
        }
        let starts = firstLines
        let layout = FastLayout(column: column, width: names.count, extras: extras)
        let lookup = RepLookup(reps.map(\.id))
        // Each chunk's rows are written straight into the table at a place with room for one row per line; blank
        // lines leave gaps, closed afterwards.
        var slots = [0]
        for c in 0..<chunks { slots.append(slots[c] + scans[c]!! + 1) }
        let room = slots
        var pools: [DealTable.Pool] = []
        var poolStarts: [Int] = []
        let rows = [DealTable.Row](unsafeUninitializedCapacity: room[chunks]) { buffer, count in
            let target = Shared(buffer)
            let made = bytes.withUnsafeBufferPointer { b in
                let all = Shared(b)
                return Parallel.map(chunks) { c in
                    DataLoader.fastRows(all.value, from: cuts[c], to: cuts[c + 1], firstLine: starts[c], layout: layout, reps: lookup,
                                        into: target.value.baseAddress! + room[c])
                }
            }
            count = 0
            for c in 0..<chunks {
                guard let (n, pool) = made[c] ?? nil else {
                    count = 0
                    pools = []
                    return
                }
                if room[c] != count { (buffer.baseAddress! + count).update(from: buffer.baseAddress! + room[c], count: n) }
                poolStarts.append(count)
                pools.append(pool)
                count += n
            }
        }
        guard pools.count == chunks else { return nil }
        let table = DealTable(bytes: bytes, rows: rows, pools: pools, poolStarts: poolStarts, repIDs: reps.map(\.id))
        // Splits: the rows of one deal agree on its facts, name each payee once, and their shares total 100%.
        // Only deal ids on more than one row need looking at: they are found through 64-bit hashes of the ids, so no
        // table of every id is built. A row alone with its id must have the whole deal.
        let pieces = rows.count < 1 << 16 ? 1 : 8
        let keys = rows.withUnsafeBufferPointer { r in
            bytes.withUnsafeBufferPointer { b in
                let (rows, bytes) = (Shared(r), Shared(b))
                return Parallel.map(pieces) { c in
                    Parallel.piece(c, of: pieces, over: rows.value.count).map { i in
                        DataLoader.idHash(rows.value[i].id(in: bytes.value))
                    }
                }.flatMap { $0! }
            }
        }
        let repeated = DataLoader.repeatedKeys(keys)
        let found = Parallel.map(pieces) { c -> [(key: UInt64, row: Int)]? in
            var rows: [(key: UInt64, row: Int)] = []
            for i in Parallel.piece(c, of: pieces, over: keys.count) {
                if repeated.contains(keys[i]) { rows.append((keys[i], i)) } else if table.rows[i].share != 1 || table.rows[i].shareScale != 0 { return nil }
            }
            return rows
        }
        var candidates: [(key: UInt64, row: Int)] = []
        for f in found {
            guard let rows = f ?? nil else { return nil }
            candidates += rows
        }
        // Rows with the same hash side by side (in file order), so each deal's rows are checked together without a
        // table of ids; rows of different ids that share a hash are told apart by comparing the ids.
        candidates.sort { ($0.key, $0.row) < ($1.key, $1.row) }
        // Each group of rows with one hash checked on its own, the groups shared out between the cores.
        let groups = candidates
        var groupStarts: [Int] = []
        for k in groups.indices where k == 0 || groups[k].key != groups[k - 1].key { groupStarts.append(k) }
        groupStarts.append(groups.count)
        let firsts = groupStarts
        let parts = firsts.count < 1024 ? 1 : 8
        let agreed = Parallel.map(parts) { c -> Bool in
            for g in Parallel.piece(c, of: parts, over: firsts.count - 1) {
                var rows = groups[firsts[g]..<firsts[g + 1]].map { table[$0.row] }
                while let a = rows.first {
                    let same = rows.filter { $0.dealID == a.dealID }
                    rows.removeAll { $0.dealID == a.dealID }
                    var total = ExactDecimal.zero
                    var payees: Set<String> = []
                    for d in same {
                        if !payees.insert(d.repID).inserted { return false }
                        if a.closeDate != d.closeDate || a.amount != d.amount || a.currency != d.currency || a.product != d.product
                            || a.type != d.type || a.status != d.status || a.cancelDate != d.cancelDate { return false }
                        guard let sum = try? total.adding(d.share) else { return false }
                        total = sum
                    }
                    if total != .one { return false }
                }
            }
            return true
        }
        guard agreed.allSatisfy({ $0! }) else { return nil }
        return (table, Set(names))
    }

    struct FastLayout: Sendable {
        let column: [String: Int]
        let width: Int
        let extras: [(key: String, value: ValueType)]
    }

    /// Parses the rows between two offsets into `target` (room for one row per line): the number of rows and their
    /// pool, or nil at the first row the careful reader must see.
    static func fastRows(_ b: UnsafeBufferPointer<UInt8>, from: Int, to: Int, firstLine: Int, layout: FastLayout, reps: RepLookup,
                         into target: UnsafeMutablePointer<DealTable.Row>) -> (Int, DealTable.Pool)? {
        let comma = UInt8(ascii: ","), newline = UInt8(ascii: "\n"), cr = UInt8(ascii: "\r")
        let c = layout.column
        let iDeal = c["deal_id"]!, iRep = c["rep_id"]!, iDate = c["close_date"]!, iAmount = c["amount"]!, iCurrency = c["currency"]!
        let iProduct = c["product"]!, iType = c["type"]!, iSplit = c["split"], iStatus = c["status"], iCancel = c["cancel_date"]
        var pool = DealTable.Pool()
        var currencies: [(bytes: [UInt8], currency: Currency)] = []
        var count = 0
        var fields = [Range<Int>](repeating: 0..<0, count: layout.width)
        var i = from
        var line = firstLine
        while i < to {
            var end = i
            while end < to && b[end] != newline { end += 1 }
            let next = end + 1
            var stop = end
            if stop > i && b[stop - 1] == cr { stop -= 1 }
            defer { i = next; line += 1 }
            if stop == i { continue }  // a blank line
            // Fields as byte ranges.
            var k = 0, s = i
            for j in i..<stop where b[j] == comma {
                if k >= layout.width { return nil }
                fields[k] = s..<j
                k += 1
                s = j + 1
            }
            if k != layout.width - 1 { return nil }
            fields[k] = s..<stop
            func slice(_ f: Int) -> UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(rebasing: b[fields[f]]) }
            func trimmed(_ f: Int) -> Bool {
                let r = fields[f]
                return !r.isEmpty && b[r.lowerBound] != 0x20 && b[r.upperBound - 1] != 0x20 && b[r.lowerBound] != 0x09 && b[r.upperBound - 1] != 0x09
            }
            guard trimmed(iDeal), trimmed(iRep), let rep = reps.position(slice(iRep)) else { return nil }
            guard case .success(let close) = CivilDate.parse(buffer: slice(iDate)) else { return nil }
            let currencyBytes = slice(iCurrency)
            var currency: Currency
            if let known = currencies.first(where: { c in c.bytes.withUnsafeBufferPointer { DataLoader.same($0, currencyBytes) } }) {
                currency = known.currency
            } else {
                guard let cur = Currency(code: String(decoding: currencyBytes, as: UTF8.self)) else { return nil }
                currencies.append((Array(currencyBytes), cur))
                currency = cur
            }
            guard let amount = DataLoader.smallDecimal(slice(iAmount)) ?? (try? ExactDecimal.parse(slice(iAmount)).get()) else { return nil }
            if amount.scale > currency.minorUnits && amount.normalized.scale > currency.minorUnits { return nil }
            var share = ExactDecimal.one
            if let iSplit, !fields[iSplit].isEmpty {
                var r = fields[iSplit]
                if b[r.upperBound - 1] == UInt8(ascii: "%") { r = r.lowerBound..<(r.upperBound - 1) }
                guard case .success(let p) = ExactDecimal.parse(UnsafeBufferPointer(rebasing: b[r])), p > .zero, p <= .hundred,
                      let f = try? Rate(percent: p).fraction else { return nil }
                share = f
            }
            var cancelled = false
            var cancelDate: Int32 = 0
            if let iStatus, !fields[iStatus].isEmpty {
                let status = slice(iStatus)
                if status.elementsEqual("cancelled".utf8) { cancelled = true } else if !status.elementsEqual("won".utf8) { return nil }
            }
            if let iCancel, !fields[iCancel].isEmpty {
                guard cancelled, case .success(let d) = CivilDate.parse(buffer: slice(iCancel)), d >= close else { return nil }
                cancelDate = d.packed
            } else if cancelled {
                return nil
            }
            var extras: Int32 = -1
            if !layout.extras.isEmpty {
                var values: [String: Value] = [:]
                for (name, type) in layout.extras {
                    guard case .success(let v) = DataLoader.parseValue(String(decoding: slice(c[name]!), as: UTF8.self), as: type) else { return nil }
                    values[name] = v
                }
                pool.extras.append(values)
                extras = Int32(pool.extras.count - 1)
            }
            let (amountUnits, amountScale) = pool.number(amount)
            let (shareUnits, shareScale) = pool.number(share)
            let id = fields[iDeal]
            (target + count).initialize(to: DealTable.Row(idStart: id.lowerBound, amount: amountUnits, share: shareUnits, line: line,
                                                          idLength: Int32(id.count), rep: rep, closeDate: close.packed, cancelDate: cancelDate,
                                                          product: pool.text(slice(iProduct)), type: pool.text(slice(iType)), extras: extras,
                                                          amountScale: amountScale, shareScale: shareScale, currency: currency.index,
                                                          cancelled: cancelled))
            count += 1
        }
        return (count, pool)
    }

    /// A plain decimal of at most 18 digits, read straight into 64 bits; nil for anything else, which `ExactDecimal.parse`
    /// then reads or refuses. Both give the same value for what this accepts.
    @inline(__always)
    static func smallDecimal(_ b: UnsafeBufferPointer<UInt8>) -> ExactDecimal? {
        guard !b.isEmpty, b.count <= 20 else { return nil }
        var i = 0, negative = false
        if b[0] == UInt8(ascii: "-") {
            negative = true
            i = 1
        }
        var value: Int64 = 0, before = 0, scale = 0, point = false
        while i < b.count {
            let digit = b[i] &- UInt8(ascii: "0")
            if digit < 10 {
                value = value &* 10 &+ Int64(digit)
                if point { scale += 1 } else { before += 1 }
            } else if b[i] == UInt8(ascii: "."), !point, before > 0 {
                point = true
            } else {
                return nil
            }
            i += 1
        }
        guard before > 0, before + scale <= 18, !point || scale > 0 else { return nil }
        return ExactDecimal(coefficient: Int128(negative ? -value : value), scale: scale)
    }

    /// Two byte strings are equal.
    @inline(__always)
    static func same(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        guard a.count == b.count else { return false }
        for k in 0..<a.count where a[k] != b[k] { return false }
        return true
    }

    /// FNV-1a over an id's bytes: equal ids hash equal; unequal ids rarely do, and are told apart by the caller.
    static func idHash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in bytes { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01b3 }
        return h
    }

    /// The hashes that occur more than once: the keys split by their top bits, each part sorted on its own core.
    static func repeatedKeys(_ keys: [UInt64]) -> HashSet {
        let parts = keys.count < 1 << 16 ? 1 : 8
        var buckets = [[UInt64]](repeating: [], count: parts)
        for k in keys { buckets[parts == 1 ? 0 : Int(k >> 61)].append(k) }
        let all = buckets
        let found = Parallel.map(parts) { p -> [UInt64] in
            var b = all[p]
            b.sort()
            var out: [UInt64] = []
            for i in b.indices.dropFirst() where b[i] == b[i - 1] && (out.last != b[i]) { out.append(b[i]) }
            return out
        }
        return HashSet(found.flatMap { $0! })
    }

    /// A set of 64-bit hashes. Their bits are already spread, so a slot is found from the low bits with no further
    /// hashing (a `Set<UInt64>` hashes each key again).
    struct HashSet: Sendable {
        let slots: [UInt64]
        let mask: Int
        /// Whether 0 is in the set (0 marks an empty slot).
        let hasZero: Bool

        init(_ keys: [UInt64]) {
            let size = HashSet.slotCount(for: keys.count)
            var slots = [UInt64](repeating: 0, count: size)
            for k in keys where k != 0 {
                var s = Int(truncatingIfNeeded: k) & (size - 1)
                while slots[s] != 0 && slots[s] != k { s = (s + 1) & (size - 1) }
                slots[s] = k
            }
            self.slots = slots
            self.mask = size - 1
            self.hasZero = keys.contains(0)
        }

        /// Room for `count` keys at most half full, a power of two so a slot is found with a mask.
        static func slotCount(for count: Int) -> Int {
            var size = 16
            while size < count * 2 { size *= 2 }
            return size
        }

        func contains(_ k: UInt64) -> Bool {
            if k == 0 { return hasZero }
            var s = Int(truncatingIfNeeded: k) & mask
            while slots[s] != 0 {
                if slots[s] == k { return true }
                s = (s + 1) & mask
            }
            return false
        }
    }
}
