// Every deal row, held compactly: 64 bytes a row with no reference-counted parts, so ten million rows take 640 MB,
// are grouped without copying them, and are freed at once. A `Deal` value is made from a row only when a payee's
// deals are evaluated.

/// The deal rows of deals.csv in file order. Reading an element makes a `Deal`; the table itself keeps ids as byte
/// ranges, products and types as indices into a small table of texts, and amounts as scaled integers.
public struct DealTable: Sendable, RandomAccessCollection {
    /// One row. Dates are `CivilDate.packed` (0 when there is none); an amount or share whose coefficient does not fit
    /// 64 bits is kept in its pool's `large`, with scale `DealTable.large` and the index as coefficient.
    struct Row: Sendable {
        var idStart: Int
        var amount: Int64
        var share: Int64
        var line: Int
        var idLength: Int32
        /// The rep's position in the roster (`DataSet.reps`).
        var rep: Int32
        var closeDate: Int32
        var cancelDate: Int32
        var product: Int32
        var type: Int32
        /// Index into the pool's `extras`, or -1 when the plans declared no extra fields.
        var extras: Int32
        var amountScale: UInt8
        var shareScale: UInt8
        var currency: UInt8
        /// Bit 0: cancelled; bits 1–7: the credit role, an index into the pool's `roles` (0: `owner`).
        var flags: UInt8

        /// The deal id's bytes within `bytes` (the table's bytes).
        @inline(__always)
        func id(in bytes: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
            UnsafeBufferPointer(rebasing: bytes[idStart..<(idStart + Int(idLength))])
        }
    }

    /// What rows refer to by index: texts, extra fields and large numbers. Rows made on different cores have pools of
    /// their own, so nothing is shared while they are made.
    struct Pool: Sendable {
        var texts: [String] = []
        var extras: [[String: Value]] = []
        var large: [ExactDecimal] = []
        /// Where a text already is.
        var textIndex: [String: Int32] = [:]
        /// The bytes of the first few texts: a file's products and types are found among them without making a `String`.
        var firstTexts: [[UInt8]] = []
        /// Credit roles of the rows, by the index a row keeps; the first is always `owner`.
        var roles: [String] = [Deal.owner]

        /// The index of a text, added when new.
        mutating func text(_ bytes: UnsafeBufferPointer<UInt8>) -> Int32 {
            for (i, t) in firstTexts.enumerated() where t.withUnsafeBufferPointer({ DataLoader.same($0, bytes) }) { return Int32(i) }
            return text(String(decoding: bytes, as: UTF8.self))
        }

        mutating func text(_ s: String) -> Int32 {
            if let i = textIndex[s] { return i }
            texts.append(s)
            if firstTexts.count < 16 { firstTexts.append(Array(s.utf8)) }
            textIndex[s] = Int32(texts.count - 1)
            return Int32(texts.count - 1)
        }

        /// A decimal as a row keeps it: a 64-bit coefficient and scale, or an index into `large`.
        mutating func number(_ d: ExactDecimal) -> (Int64, UInt8) {
            if let c = Int64(exactly: d.coefficient) { return (c, UInt8(d.scale)) }
            large.append(d)
            return (Int64(large.count - 1), DealTable.large)
        }

        func decimal(_ coefficient: Int64, _ scale: UInt8) -> ExactDecimal {
            scale == DealTable.large ? large[Int(coefficient)] : ExactDecimal(coefficient: Int128(coefficient), scale: Int(scale))
        }
    }

    static let large: UInt8 = 255

    /// The bytes ids are read from: the file itself, or (for rows made from `Deal` values) a buffer of their ids.
    let bytes: [UInt8]
    var rows: [Row]
    let pools: [Pool]
    /// The first row of each pool's rows.
    let poolStarts: [Int]
    /// Rep ids by roster position.
    let repIDs: [String]

    init(bytes: [UInt8], rows: [Row], pools: [Pool], poolStarts: [Int], repIDs: [String]) {
        precondition(rows.count < Int(Int32.max), "more deal rows than a table holds")
        self.bytes = bytes
        self.rows = rows
        self.pools = pools
        self.poolStarts = poolStarts
        self.repIDs = repIDs
    }

    /// Rows made from deal values (the careful reader's, or scaled ones). Reps must be in the roster.
    public init(_ deals: [Deal], reps: [Rep]) {
        let position = Rep.positions(reps)
        var bytes: [UInt8] = []
        var pool = Pool()
        var rows: [Row] = []
        rows.reserveCapacity(deals.count)
        for d in deals {
            let start = bytes.count
            bytes += d.dealID.utf8
            let (amount, amountScale) = pool.number(d.amount)
            let (share, shareScale) = pool.number(d.share)
            var extras: Int32 = -1
            if !d.extras.isEmpty {
                pool.extras.append(d.extras)
                extras = Int32(pool.extras.count - 1)
            }
            rows.append(Row(idStart: start, amount: amount, share: share, line: d.line, idLength: Int32(bytes.count - start),
                            rep: Int32(position[d.repID]!), closeDate: d.closeDate.packed, cancelDate: d.cancelDate?.packed ?? 0,
                            product: pool.text(d.product), type: pool.text(d.type), extras: extras, amountScale: amountScale,
                            shareScale: shareScale, currency: d.currency.index, cancelled: d.status == .cancelled, role: pool.role(d.role) ?? 0))
        }
        self.init(bytes: bytes, rows: rows, pools: [pool], poolStarts: [0], repIDs: reps.map(\.id))
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { rows.count }

    /// The pool of a row's texts and numbers.
    func pool(of i: Int) -> Int { DealTable.pool(of: i, in: poolStarts) }

    /// The pool of row `i`, from where each pool's rows start.
    @inline(__always)
    static func pool(of i: Int, in starts: [Int]) -> Int {
        var p = 0
        while p + 1 < starts.count && starts[p + 1] <= i { p += 1 }
        return p
    }

    public subscript(i: Int) -> Deal {
        rows.withUnsafeBufferPointer { rows in
            bytes.withUnsafeBufferPointer { bytes in
                pools.withUnsafeBufferPointer { pools in deal(i, rows, bytes, pools[pool(of: i)]) }
            }
        }
    }

    /// Row `i`'s amount and share. Only a number too large for the row is looked up in the row's pool.
    func amount(_ r: Row, at i: Int) -> ExactDecimal {
        r.amountScale == DealTable.large ? pools[pool(of: i)].decimal(r.amount, r.amountScale) : ExactDecimal(coefficient: Int128(r.amount), scale: Int(r.amountScale))
    }

    func share(_ r: Row, at i: Int) -> ExactDecimal {
        r.shareScale == DealTable.large ? pools[pool(of: i)].decimal(r.share, r.shareScale) : ExactDecimal(coefficient: Int128(r.share), scale: Int(r.shareScale))
    }

    /// A row's deal id.
    func id(of i: Int) -> String {
        bytes.withUnsafeBufferPointer { String(decoding: rows[i].id(in: $0), as: UTF8.self) }
    }

    /// The deals of some rows, in the order given.
    ///
    /// Rows picked in rep order lie all over the table and the file, and each read would wait for memory in turn. So the
    /// rows and their ids are touched first, in a loop of independent reads the processor overlaps; the deals are then
    /// made from the cache.
    func deals<Picks: Collection<Int32>>(at picks: Picks) -> [Deal] {
        rows.withUnsafeBufferPointer { rows in
            bytes.withUnsafeBufferPointer { bytes in
                pools.withUnsafeBufferPointer { pools in
                    var touched: UInt8 = 0
                    for i in picks { touched |= rows[Int(i)].id(in: bytes).first ?? 0 }
                    DealTable.keep(touched)
                    return picks.map { deal(Int($0), rows, bytes, pools[pool(of: Int($0))]) }
                }
            }
        }
    }

    /// Keeps a value the optimiser would otherwise find unused.
    @inline(never) @_optimize(none)
    static func keep(_ value: UInt8) {}

    @inline(__always)
    func deal(_ i: Int, _ rows: UnsafeBufferPointer<Row>, _ bytes: UnsafeBufferPointer<UInt8>, _ pool: Pool) -> Deal {
        let r = rows[i]
        let id = String(decoding: r.id(in: bytes), as: UTF8.self)
        return Deal(dealID: id, repID: repIDs[Int(r.rep)], closeDate: CivilDate(packed: r.closeDate),
                    amount: pool.decimal(r.amount, r.amountScale), currency: Currency(index: r.currency),
                    product: pool.texts[Int(r.product)], type: pool.texts[Int(r.type)], share: pool.decimal(r.share, r.shareScale),
                    status: r.cancelled ? .cancelled : .won, cancelDate: r.cancelDate == 0 ? nil : CivilDate(packed: r.cancelDate),
                    extras: r.extras < 0 ? [:] : pool.extras[Int(r.extras)], line: r.line, role: pool.roles[Int(r.role)])
    }
}

/// Finds a rep's roster position from the bytes of its id, without making a `String`: open addressing over 64-bit
/// hashes of the ids. A slot holds part of the hash, the id's length and position, and the id's first eight bytes,
/// so an id of up to eight bytes is found or refused from its slot alone; longer ones are then compared whole.
struct RepLookup: Sendable {
    struct Slot {
        /// Hash bits 40–63, then the id's length (capped at 255), then position + 1 in the low 32 bits; 0 when empty.
        var tag: UInt64
        /// The id's first eight bytes, zero-padded.
        var head: UInt64
    }

    /// Every id's bytes, one after another, and where each starts (count + 1 entries).
    let bytes: [UInt8]
    let starts: [Int]
    let slots: [Slot]
    let mask: Int

    init(_ ids: [String]) {
        var bytes: [UInt8] = [], starts = [0]
        for id in ids {
            bytes += id.utf8
            starts.append(bytes.count)
        }
        let size = DataLoader.HashSet.slotCount(for: ids.count)
        var slots = [Slot](repeating: Slot(tag: 0, head: 0), count: size)
        bytes.withUnsafeBufferPointer { b in
            for i in ids.indices {
                let id = UnsafeBufferPointer(rebasing: b[starts[i]..<starts[i + 1]])
                let (h, tag, head) = RepLookup.key(id)
                var s = Int(truncatingIfNeeded: h) & (size - 1)
                var known = false
                while slots[s].tag != 0 {
                    let p = Int(slots[s].tag & 0xFFFF_FFFF) - 1
                    if DataLoader.same(UnsafeBufferPointer(rebasing: b[starts[p]..<starts[p + 1]]), id) { known = true; break }
                    s = (s + 1) & (size - 1)
                }
                if !known { slots[s] = Slot(tag: tag | UInt64(i + 1), head: head) }
            }
        }
        self.bytes = bytes
        self.starts = starts
        self.slots = slots
        self.mask = size - 1
    }

    /// An id's hash, its slot tag without the position, and its first eight bytes.
    @inline(__always)
    static func key(_ id: UnsafeBufferPointer<UInt8>) -> (hash: UInt64, tag: UInt64, head: UInt64) {
        let h = DataLoader.idHash(id)
        var head: UInt64 = 0
        for k in 0..<min(8, id.count) { head |= UInt64(id[k]) << (8 * k) }
        return (h, (h >> 40) << 40 | UInt64(min(id.count, 255)) << 32, head)
    }

    /// The roster position of the rep with these id bytes, or nil.
    func position(_ id: UnsafeBufferPointer<UInt8>) -> Int32? {
        let (h, tag, head) = RepLookup.key(id)
        return slots.withUnsafeBufferPointer { slots in
            var s = Int(truncatingIfNeeded: h) & mask
            while true {
                let slot = slots[s]
                if slot.tag == 0 { return nil }
                if slot.tag >> 32 == tag >> 32 && slot.head == head {
                    let p = Int(slot.tag & 0xFFFF_FFFF) - 1
                    if id.count <= 8 { return Int32(p) }
                    let same = bytes.withUnsafeBufferPointer { b in
                        starts.withUnsafeBufferPointer { starts in
                            DataLoader.same(UnsafeBufferPointer(rebasing: b[starts[p]..<starts[p + 1]]), id)
                        }
                    }
                    if same { return Int32(p) }
                }
                s = (s + 1) & mask
            }
        }
    }
}

/// What crediting checks of a deal before anything is made of it: when it closed, and whether and when it was cancelled.
struct DealDates {
    let close: CivilDate
    let cancelled: Bool
    let cancel: CivilDate?
}

extension Deal {
    var dates: DealDates { DealDates(close: closeDate, cancelled: status == .cancelled, cancel: cancelDate) }
}

extension DealTable.Row {
    var dates: DealDates {
        DealDates(close: CivilDate(packed: closeDate), cancelled: cancelled, cancel: cancelDate == 0 ? nil : CivilDate(packed: cancelDate))
    }
}
