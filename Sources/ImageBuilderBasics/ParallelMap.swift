import Dispatch

extension Array {
    /// `map` on every core (Dispatch's `concurrentPerform`), results in the input's order. For
    /// CPU-bound work on independent elements (planning targets, encoding plans). The caller
    /// promises what the compiler cannot check here: `transform` is safe to call from several
    /// threads at once (it shares no unguarded mutable state), and each result is written once,
    /// to its own slot, before `concurrentPerform` returns.
    package func parallelMap<Result>(_ transform: (Element) -> Result) -> [Result] {
        guard count > 1 else { return map(transform) }
        return withoutActuallyEscaping(transform) { transform in
            [Result](unsafeUninitializedCapacity: count) { buffer, initialized in
                let shared = Shared(elements: self, transform: transform, base: buffer.baseAddress!)
                DispatchQueue.concurrentPerform(iterations: count) { index in
                    (shared.base + index).initialize(to: shared.transform(shared.elements[index]))
                }
                initialized = count
            }
        }
    }
}

/// What the worker threads share (see `parallelMap`'s promise).
private struct Shared<Element, Result>: @unchecked Sendable {
    let elements: [Element]
    let transform: (Element) -> Result
    let base: UnsafeMutablePointer<Result>
}
