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
        // reader. One pass over a part checks its bytes and counts its lines: eight bytes at a time, a word of plain
        // bytes (0x20 to 0x7E, no quote) skipped whole, and the bytes of any other word looked at one by one.
        @Sendable func scan(_ part: UnsafeBufferPointer<UInt8>) -> Int? {
            var lines = 0, high = false
            func look(_ b: UInt8) -> Bool {
                if b < 0x20 || b >= 0x7F || b == quote {
                    if b == newline {
                        lines += 1
                    } else if b >= 0x80 {
                        high = true
                    } else if b != 0x09 && b != 0x0D {
                        return false
                    }
                }
                return true
            }
            var i = 0
            if let base = part.baseAddress {
                let raw = UnsafeRawPointer(base)
                while i + 8 <= part.count {
                    let x = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: i, as: UInt64.self))
                    if DataLoader.unplainBytes(x) != 0 {
                        for k in i..<(i + 8) where !look(part[k]) { return nil }
                    }
                    i += 8
                }
            }
            for k in i..<part.count where !look(part[k]) { return nil }
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
        // Each chunk's rows are written straight into the table at a place with room for one row per line (and for a
        // last line without a line break, in a chunk that ends the file), and each row's id hash at the same place in
        // `hashes`; blank lines leave gaps, closed afterwards. Without blank lines no rows move.
        var slots = [0]
        for c in 0..<chunks { slots.append(slots[c] + scans[c]!! + (cuts[c + 1] == bytes.count ? 1 : 0)) }
        let room = slots
        var pools: [DealTable.Pool] = []
        var poolStarts: [Int] = []
        var partial = 0
        var hashes: [UInt64] = []
        let rows = [DealTable.Row](unsafeUninitializedCapacity: room[chunks]) { buffer, count in
            hashes = [UInt64](unsafeUninitializedCapacity: room[chunks]) { hashBuffer, hashCount in
                let (target, keys) = (Shared(buffer), Shared(hashBuffer))
                let made = bytes.withUnsafeBufferPointer { b in
                    let all = Shared(b)
                    return Parallel.map(chunks) { c in
                        DataLoader.fastRows(all.value, from: cuts[c], to: cuts[c + 1], firstLine: starts[c], layout: layout, reps: lookup,
                                            into: target.value.baseAddress! + room[c], hashes: keys.value.baseAddress! + room[c])
                    }
                }
                hashCount = 0
                for c in 0..<chunks {
                    guard let chunk = made[c] ?? nil else {
                        hashCount = 0
                        pools = []
                        return
                    }
                    if room[c] != hashCount {
                        (buffer.baseAddress! + hashCount).update(from: buffer.baseAddress! + room[c], count: chunk.rows)
                        (hashBuffer.baseAddress! + hashCount).update(from: hashBuffer.baseAddress! + room[c], count: chunk.rows)
                    }
                    poolStarts.append(hashCount)
                    pools.append(chunk.pool)
                    partial += chunk.partial
                    hashCount += chunk.rows
                }
            }
            count = hashes.count
        }
        guard pools.count == chunks else { return nil }
        let table = DealTable(bytes: bytes, rows: rows, pools: pools, poolStarts: poolStarts, repIDs: reps.map(\.id))
        guard DataLoader.splitsAgree(table, hashes: &hashes, partial: partial, partialShares: sharesMayBePartial) else { return nil }
        return (table, Set(names))
    }

    /// Whether the table's splits are sound: the rows of one deal agree on its facts, name each payee once, and their
    /// shares total 100%; a row alone with its id has the whole deal (`partial` is how many rows have less).
    ///
    /// Only ids on more than one row need looking at. They are found through 64-bit hashes of the ids (`hashes`, one a
    /// row, emptied here), so no table of every id is built: the rows are put into buckets by the top bits of their
    /// hashes, keeping file order within a bucket, and each bucket is small enough to find its repeated hashes with a
    /// table that stays in the cache. Rows of different ids that share a hash are told apart by comparing the ids.
    static func splitsAgree(_ table: DealTable, hashes: inout [UInt64], partial: Int, partialShares: Bool = false) -> Bool {
        let n = hashes.count
        var bits = 0
        while bits < 12 && n >> bits > 4096 { bits += 1 }
        let buckets = 1 << bits, shift = UInt64(64 - bits)
        // A bucket is the top bits of the hash times an odd constant, which depend on all of its bits (FNV-1a's own top
        // bits change little between ids that differ in their last bytes).
        @inline(__always) @Sendable func bucket(_ h: UInt64) -> Int { Int(truncatingIfNeeded: (h &* 0x9E37_79B9_7F4A_7C15) >> shift) }
        let pieces = n < 1 << 16 ? 1 : 8
        // How many rows of each bucket every piece holds, then where each piece writes its rows of each bucket.
        let counts = hashes.withUnsafeBufferPointer { h in
            let all = Shared(h)
            return Parallel.map(pieces) { c -> [Int] in
                var k = [Int](repeating: 0, count: buckets)
                for i in Parallel.piece(c, of: pieces, over: n) { k[bucket(all.value[i])] += 1 }
                return k
            }.map { $0! }
        }
        var bucketStarts = [Int](repeating: 0, count: buckets + 1)
        var cursors = [[Int]](repeating: [Int](repeating: 0, count: buckets), count: pieces)
        for b in 0..<buckets {
            var at = bucketStarts[b]
            for c in 0..<pieces {
                cursors[c][b] = at
                at += counts[c][b]
            }
            bucketStarts[b + 1] = at
        }
        let places = cursors
        var rowsByBucket: [Int32] = []
        let keys = [UInt64](unsafeUninitializedCapacity: n) { keyBuffer, keyCount in
            rowsByBucket = [Int32](unsafeUninitializedCapacity: n) { rowBuffer, rowCount in
                let (keys, rows) = (Shared(keyBuffer), Shared(rowBuffer))
                hashes.withUnsafeBufferPointer { h in
                    let all = Shared(h)
                    _ = Parallel.map(pieces) { c in
                        var next = places[c]
                        for i in Parallel.piece(c, of: pieces, over: n) {
                            let key = all.value[i], b = bucket(key)
                            keys.value[next[b]] = key
                            rows.value[next[b]] = Int32(truncatingIfNeeded: i)
                            next[b] += 1
                        }
                    }
                }
                rowCount = n
            }
            keyCount = n
        }
        hashes = []
        // Each bucket's repeated hashes, and the rows that have them checked together; groups of buckets on all cores.
        let firsts = bucketStarts, rows = rowsByBucket
        let parts = buckets < 16 ? 1 : 16
        let found = Parallel.map(parts) { c -> Int? in
            let mine = Parallel.piece(c, of: parts, over: buckets)
            var largest = 0
            for b in mine { largest = max(largest, firsts[b + 1] - firsts[b]) }
            // A bucket's table holds where in the bucket each hash first is, plus one (0 marks an empty slot).
            var slots = [Int32](repeating: 0, count: HashSet.slotCount(for: largest))
            var repeated = [Bool](repeating: false, count: largest)
            var group: [(key: UInt64, row: Int32)] = []
            var scratch = SplitScratch()
            var partialRows = 0
            for b in mine where firsts[b + 1] - firsts[b] > 1 {
                let first = firsts[b], count = firsts[b + 1] - first
                let mask = HashSet.slotCount(for: count) - 1
                for s in 0...mask { slots[s] = 0 }
                for e in 0..<count {
                    let key = keys[first + e]
                    var s = Int(truncatingIfNeeded: key) & mask
                    while true {
                        let at = Int(slots[s])
                        if at == 0 {
                            slots[s] = Int32(e + 1)
                            break
                        }
                        if keys[first + at - 1] == key {
                            repeated[at - 1] = true
                            repeated[e] = true
                            break
                        }
                        s = (s + 1) & mask
                    }
                }
                group.removeAll(keepingCapacity: true)
                for e in 0..<count where repeated[e] {
                    group.append((keys[first + e], rows[first + e]))
                    repeated[e] = false
                }
                if group.isEmpty { continue }
                group.sort { ($0.key, $0.row) < ($1.key, $1.row) }
                // The rows lie all over the table and their ids all over the file: the rows are copied, then their ids'
                // first bytes read, each in a loop of independent reads the processor overlaps.
                scratch.rows.removeAll(keepingCapacity: true)
                scratch.heads.removeAll(keepingCapacity: true)
                table.rows.withUnsafeBufferPointer { rows in
                    for m in group { scratch.rows.append(rows[Int(m.row)]) }
                }
                table.bytes.withUnsafeBufferPointer { bytes in
                    for r in scratch.rows { scratch.heads.append(DataLoader.head(r.id(in: bytes))) }
                }
                var g = 0
                while g < group.count {
                    var h = g + 1
                    while h < group.count && group[h].key == group[g].key { h += 1 }
                    guard let p = DataLoader.splitAgrees(group, g..<h, in: table, scratch: &scratch, partialShares: partialShares) else { return nil }
                    partialRows += p
                    g = h
                }
            }
            return partialRows
        }
        var partialRows = 0
        for f in found {
            guard let p = f ?? nil else { return false }
            partialRows += p
        }
        // Every row with part of a deal was among the rows whose ids repeat.
        return partialRows == partial
    }

    /// Lists reused from one group of rows to the next.
    struct SplitScratch {
        /// The group's rows, copied from the table, and the first eight bytes of their ids.
        var rows: [DealTable.Row] = []
        var heads: [UInt64] = []
        var done: [Bool] = []
        var same: [Int] = []
    }

    /// The first eight bytes of an id, zero-padded.
    @inline(__always)
    static func head(_ id: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var head: UInt64 = 0
        for k in 0..<min(8, id.count) { head |= UInt64(id[k]) << (8 * k) }
        return head
    }

    /// Checks rows with one id hash (`members` of `group`, in file order; their copies and id heads in `scratch`) as the
    /// careful reader checks split deals: for each id among them, one row per payee, the same facts on every row, shares
    /// totalling 100%. Returns how many of the rows hold part of a deal, or nil when a check fails.
    static func splitAgrees(_ group: [(key: UInt64, row: Int32)], _ members: Range<Int>, in table: DealTable, scratch: inout SplitScratch, partialShares: Bool = false) -> Int? {
        let pools = table.pools
        scratch.done.removeAll(keepingCapacity: true)
        scratch.done.append(contentsOf: repeatElement(false, count: members.count))
        var partialRows = 0
        return table.bytes.withUnsafeBufferPointer { bytes -> Int? in
            for k in members where !scratch.done[k - members.lowerBound] {
                let a = scratch.rows[k], aPool = table.pool(of: Int(group[k].row))
                let aID = a.id(in: bytes), aAmount = pools[aPool].decimal(a.amount, a.amountScale)
                scratch.same.removeAll(keepingCapacity: true)
                for j in k..<members.upperBound where !scratch.done[j - members.lowerBound] {
                    let bID = scratch.rows[j].id(in: bytes)
                    guard scratch.heads[j] == scratch.heads[k] && DataLoader.same(aID, bID) || DataLoader.sameID(aID, bID) else { continue }
                    scratch.done[j - members.lowerBound] = true
                    scratch.same.append(j)
                }
                // Rows in credit roles are checked per role (`rolesAgree`); the facts below hold across roles.
                let inRoles = scratch.same.contains { scratch.rows[$0].role != 0 }
                if inRoles {
                    guard DataLoader.rolesAgree(scratch.same.map { (scratch.rows[$0], Int(group[$0].row)) }, in: table, partialShares: partialShares) else { return nil }
                } else if scratch.same.count <= 16 {
                    for x in scratch.same.indices {
                        for y in scratch.same.indices[..<x] where scratch.rows[scratch.same[x]].rep == scratch.rows[scratch.same[y]].rep { return nil }
                    }
                } else {
                    var payees = Set<Int32>()
                    for j in scratch.same where !payees.insert(scratch.rows[j].rep).inserted { return nil }
                }
                var total = ExactDecimal.zero
                for j in scratch.same {
                    let d = scratch.rows[j], dPool = table.pool(of: Int(group[j].row))
                    if a.closeDate != d.closeDate || a.currency != d.currency || a.cancelled != d.cancelled || a.cancelDate != d.cancelDate
                        || aAmount != pools[dPool].decimal(d.amount, d.amountScale)
                        || !DataLoader.sameText(a.product, d.product, pools, aPool, dPool) || !DataLoader.sameText(a.type, d.type, pools, aPool, dPool) {
                        return nil
                    }
                    guard let sum = try? total.adding(pools[dPool].decimal(d.share, d.shareScale)) else { return nil }
                    total = sum
                    if d.share != 1 || d.shareScale != 0 { partialRows += 1 }
                }
                if total != .one && !inRoles && !partialShares { return nil }
            }
            return partialRows
        }
    }

    /// Two deal ids are the same: equal bytes, or (as the careful reader compares them, as texts) equal text.
    @inline(__always)
    static func sameID(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        if same(a, b) { return true }
        if a.allSatisfy({ $0 < 0x80 }) && b.allSatisfy({ $0 < 0x80 }) { return false }
        return String(decoding: a, as: UTF8.self) == String(decoding: b, as: UTF8.self)
    }

    /// Two texts of rows (`a` in pool `p`, `b` in pool `q`) are the same. A pool holds each text once, so within one pool
    /// the indices tell; across pools the texts are compared.
    @inline(__always)
    static func sameText(_ a: Int32, _ b: Int32, _ pools: [DealTable.Pool], _ p: Int, _ q: Int) -> Bool {
        p == q ? a == b : pools[p].texts[Int(a)] == pools[q].texts[Int(b)]
    }

    struct FastLayout: Sendable {
        let column: [String: Int]
        let width: Int
        let extras: [(key: String, value: ValueType)]
    }

    /// Parses the rows between two offsets into `target` (room for one row per line), and each row's id hash into
    /// `hashes`: the number of rows, their pool and how many of them hold part of a deal (a split share), or nil when a
    /// row is one the careful reader must see.
    static func fastRows(_ b: UnsafeBufferPointer<UInt8>, from: Int, to: Int, firstLine: Int, layout: FastLayout, reps: RepLookup,
                         into target: UnsafeMutablePointer<DealTable.Row>,
                         hashes: UnsafeMutablePointer<UInt64>) -> (rows: Int, pool: DealTable.Pool, partial: Int)? {
        let comma = UInt8(ascii: ","), newline = UInt8(ascii: "\n"), cr = UInt8(ascii: "\r")
        let c = layout.column
        let iDeal = c["deal_id"]!, iRep = c["rep_id"]!, iDate = c["close_date"]!, iAmount = c["amount"]!, iCurrency = c["currency"]!
        let iProduct = c["product"]!, iType = c["type"]!, iSplit = c["split"], iStatus = c["status"], iCancel = c["cancel_date"]
        let iRole = c["role"]
        let raw = UnsafeRawPointer(b.baseAddress!)
        var pool = DealTable.Pool()
        var currencies: [(bytes: [UInt8], currency: Currency)] = []
        var count = 0, partial = 0
        var fields = [Range<Int>](repeating: 0..<0, count: layout.width)
        // Reps are found a batch of rows at a time, after the rows are written (see `RepLookup.positions`).
        var batch = RepLookup.Batch()
        var i = from
        var line = firstLine
        while i < to {
            // The line's end, and its fields as byte ranges between its commas: eight bytes at a time, the commas and
            // line breaks among them marked in the high bits of their bytes.
            var k = 0, s = i, j = i, end = to
            lineEnd: while j < to {
                var marks: UInt64
                if j + 8 <= to {
                    let x = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: j, as: UInt64.self))
                    marks = ByteMask.equal(x, comma) | ByteMask.equal(x, newline)
                } else {
                    marks = b[j] == comma || b[j] == newline ? 0x80 : 0
                }
                while marks != 0 {
                    let p = j + (marks.trailingZeroBitCount >> 3)
                    if b[p] == newline {
                        end = p
                        break lineEnd
                    }
                    if k >= layout.width { return nil }
                    fields[k] = s..<p
                    k += 1
                    s = p + 1
                    marks &= marks - 1
                }
                j += j + 8 <= to ? 8 : 1
            }
            let next = end + 1
            var stop = end
            if stop > i && b[stop - 1] == cr { stop -= 1 }
            defer { i = next; line += 1 }
            if stop == i { continue }  // a blank line
            if k != layout.width - 1 { return nil }
            fields[k] = s..<stop
            // (Given ranges, not field numbers: a function that read `fields` itself would have it boxed, and every
            // access checked at run time.)
            func slice(_ r: Range<Int>) -> UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(rebasing: b[r]) }
            func trimmed(_ r: Range<Int>) -> Bool {
                !r.isEmpty && b[r.lowerBound] != 0x20 && b[r.upperBound - 1] != 0x20 && b[r.lowerBound] != 0x09 && b[r.upperBound - 1] != 0x09
            }
            guard trimmed(fields[iDeal]), trimmed(fields[iRep]) else { return nil }
            guard case .success(let close) = CivilDate.parse(buffer: slice(fields[iDate])) else { return nil }
            let currencyBytes = slice(fields[iCurrency])
            var currency: Currency
            if let known = currencies.first(where: { c in c.bytes.withUnsafeBufferPointer { DataLoader.same($0, currencyBytes) } }) {
                currency = known.currency
            } else {
                guard let cur = Currency(code: String(decoding: currencyBytes, as: UTF8.self)) else { return nil }
                currencies.append((Array(currencyBytes), cur))
                currency = cur
            }
            guard let amount = DataLoader.smallDecimal(slice(fields[iAmount])) ?? (try? ExactDecimal.parse(slice(fields[iAmount])).get()) else { return nil }
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
                let status = slice(fields[iStatus])
                if status.elementsEqual("cancelled".utf8) { cancelled = true } else if !status.elementsEqual("won".utf8) { return nil }
            }
            if let iCancel, !fields[iCancel].isEmpty {
                guard cancelled, case .success(let d) = CivilDate.parse(buffer: slice(fields[iCancel])), d >= close else { return nil }
                cancelDate = d.packed
            } else if cancelled {
                return nil
            }
            var extras: Int32 = -1
            if !layout.extras.isEmpty {
                var values: [String: Value] = [:]
                for (name, type) in layout.extras {
                    guard case .success(let v) = DataLoader.parseValue(String(decoding: slice(fields[c[name]!]), as: UTF8.self), as: type) else { return nil }
                    values[name] = v
                }
                pool.extras.append(values)
                extras = Int32(pool.extras.count - 1)
            }
            var role: UInt8 = 0
            if let iRole, !fields[iRole].isEmpty {
                guard let r = DataLoader.fastRole(slice(fields[iRole]), &pool) else { return nil }
                role = r
            }
            let (amountUnits, amountScale) = pool.number(amount)
            let (shareUnits, shareScale) = pool.number(share)
            let id = fields[iDeal]
            (target + count).initialize(to: DealTable.Row(idStart: id.lowerBound, amount: amountUnits, share: shareUnits, line: line,
                                                          idLength: Int32(id.count), rep: -1, closeDate: close.packed, cancelDate: cancelDate,
                                                          product: pool.text(slice(fields[iProduct])), type: pool.text(slice(fields[iType])), extras: extras,
                                                          amountScale: amountScale, shareScale: shareScale, currency: currency.index,
                                                          cancelled: cancelled, role: role))
            hashes[count] = DataLoader.idHash(slice(fields[iDeal]))
            if shareUnits != 1 || shareScale != 0 { partial += 1 }
            count += 1
            batch.add(fields[iRep])
            if batch.isFull {
                guard reps.positions(b, &batch, into: target + count - RepLookup.Batch.size) else { return nil }
            }
        }
        guard reps.positions(b, &batch, into: target + count - batch.count) else { return nil }
        return (count, pool, partial)
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

    /// The high bit of each byte of `x` that is not plain (below 0x20, 0x7F or above, or a quote), and no other bit.
    @inline(__always)
    static func unplainBytes(_ x: UInt64) -> UInt64 {
        let top = ((x & ByteMask.low) &+ ByteMask.ones) & ByteMask.high  // the low seven bits 0x7F
        return ByteMask.control(x) | top | x & ByteMask.high | ByteMask.equal(x, UInt8(ascii: "\""))
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

    /// Sizes of open-addressing tables of 64-bit hashes.
    enum HashSet {
        /// Room for `count` keys at most half full, a power of two so a slot is found with a mask.
        static func slotCount(for count: Int) -> Int {
            var size = 16
            while size < count * 2 { size *= 2 }
            return size
        }
    }
}
