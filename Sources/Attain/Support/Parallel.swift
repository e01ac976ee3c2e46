// Work spread across the cores with results in index order, so the output is what a plain loop would give.
import Dispatch

public enum Parallel {
    /// `work(0)`, …, `work(count - 1)`, run on all cores when there is more than one; results in index order.
    public static func map<T>(_ count: Int, _ work: @Sendable (Int) -> T) -> [T?] {
        let slots = Slots<T>(count)
        if count <= 1 {
            for i in 0..<count { slots.set(i, work(i)) }
        } else {
            DispatchQueue.concurrentPerform(iterations: count) { slots.set($0, work($0)) }
        }
        return slots.values
    }

    /// The `c`th of `pieces` contiguous, near-equal parts of `0..<count`: how work is cut for the cores.
    public static func piece(_ c: Int, of pieces: Int, over count: Int) -> Range<Int> {
        (count * c / pieces)..<(count * (c + 1) / pieces)
    }

    /// `transform` of every element, worked out in contiguous pieces on all cores; results in the elements' order.
    public static func each<T, U>(_ items: [T], _ transform: @Sendable (T) throws -> U) throws -> [U] where T: Sendable {
        let pieces = items.count < 64 ? 1 : min(64, items.count / 16)
        let parts = map(pieces) { c in
            Result { try items[piece(c, of: pieces, over: items.count)].map(transform) }
        }
        var out: [U] = []
        out.reserveCapacity(items.count)
        for part in parts { out += try part!.get() }
        return out
    }

    /// One slot per index, each written by one worker and read after all have finished.
    final class Slots<T>: @unchecked Sendable {
        var values: [T?]
        init(_ count: Int) { values = Array(repeating: nil, count: count) }
        func set(_ i: Int, _ value: T) { values.withUnsafeMutableBufferPointer { $0[i] = value } }
    }
}

/// A value handed to parallel workers that touch disjoint parts of it (a buffer each worker reads, or writes only its own range of).
public struct Shared<Value>: @unchecked Sendable {
    public let value: Value
    public init(_ value: Value) { self.value = value }
}
