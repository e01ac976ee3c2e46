// Work spread across the cores with results in index order, so the output is what a plain loop would give.
import Dispatch
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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

/// Work started on a thread of its own at once, its result waited for when `value` is read. For work that can fill a
/// core another piece of work leaves idle now and then.
struct Concurrent<T>: Sendable {
    /// Where the result goes.
    private final class Box: @unchecked Sendable {
        var value: T?
        let done = DispatchSemaphore(value: 0)
    }

    private let box = Box()

    init(_ work: @escaping @Sendable () -> T) {
        let box = self.box
        let body = ThreadBody {
            box.value = work()
            box.done.signal()
        }
        // Without a thread to be had, the work is done here and now.
        if !body.start() { body.run() }
    }

    /// The work's result, once it is finished.
    var value: T {
        box.done.wait()
        box.done.signal()
        return box.value!
    }
}

/// What a thread of its own runs.
private final class ThreadBody: @unchecked Sendable {
    let run: () -> Void
    init(_ run: @escaping () -> Void) { self.run = run }

    /// Runs the body on a new thread; false when no thread could be made.
    func start() -> Bool {
        let context = Unmanaged.passRetained(self).toOpaque()
        var thread = pthread_t()
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        defer { pthread_attr_destroy(&attributes) }
        pthread_attr_setstacksize(&attributes, 8 << 20)
        let made = pthread_create(&thread, &attributes, { context in
            Unmanaged<ThreadBody>.fromOpaque(context!).takeRetainedValue().run()
            return nil
        }, context)
        guard made == 0 else {
            Unmanaged<ThreadBody>.fromOpaque(context).release()
            return false
        }
        pthread_detach(thread)
        return true
    }
}
