// Reps of many deal rows found together, so that their waits for memory overlap.

extension RepLookup {
    /// Rep ids waiting to be found, as byte ranges of the file, with room for their hashes and first slots.
    struct Batch {
        static let size = 32
        var ids = [Range<Int>](repeating: 0..<0, count: Batch.size)
        var hashes = [UInt64](repeating: 0, count: Batch.size)
        var firstSlots = [Slot](repeating: Slot(tag: 0, head: 0), count: Batch.size)
        var count = 0

        var isFull: Bool { count == Batch.size }

        @inline(__always)
        mutating func add(_ id: Range<Int>) {
            ids[count] = id
            count += 1
        }
    }

    /// Finds the reps of a batch of rows (from `rows` on, one a batch entry), writes their roster positions into the
    /// rows and empties the batch; false when an id is not in the roster.
    ///
    /// The ids' slots lie all over the table, and each read would wait for memory in turn. So each id's first slot is
    /// read first, in a loop of independent reads the processor overlaps; the ids are then found from those slots.
    func positions(_ b: UnsafeBufferPointer<UInt8>, _ batch: inout Batch, into rows: UnsafeMutablePointer<DealTable.Row>) -> Bool {
        let n = batch.count
        batch.count = 0
        for k in 0..<n { batch.hashes[k] = DataLoader.idHash(UnsafeBufferPointer(rebasing: b[batch.ids[k]])) }
        slots.withUnsafeBufferPointer { slots in
            for k in 0..<n { batch.firstSlots[k] = slots[Int(truncatingIfNeeded: batch.hashes[k]) & mask] }
        }
        for k in 0..<n {
            guard let p = position(UnsafeBufferPointer(rebasing: b[batch.ids[k]]), hash: batch.hashes[k], first: batch.firstSlots[k]) else {
                return false
            }
            rows[k].rep = p
        }
        return true
    }

    /// The roster position of the rep with these id bytes, or nil, given the id's hash and its first slot (as
    /// `position(_:)` finds it).
    @inline(__always)
    func position(_ id: UnsafeBufferPointer<UInt8>, hash h: UInt64, first: Slot) -> Int32? {
        // The tag and head as `key(_:)` makes them.
        let head = DataLoader.head(id)
        let tag = (h >> 40) << 40 | UInt64(min(id.count, 255)) << 32
        return slots.withUnsafeBufferPointer { slots in
            var s = Int(truncatingIfNeeded: h) & mask
            var slot = first
            while true {
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
                slot = slots[s]
            }
        }
    }
}
