public import ImageBuilderBasics
public import ImageBuilderConfig
public import ImageBuilderPacker
public import ImageBuilderPlanning

/// The job slots of one image-builder process under make: the slot make already spent on
/// this recipe (reused first, by whichever build is next), plus one jobserver token for each
/// further build running at the same time. Without a jobserver, slots are unlimited (the
/// scheduler's window still applies).
package actor JobSlots {
    package enum Slot: Sendable { case implicit, token, unlimited }

    private let jobserver: Jobserver?
    private var implicitFree = true

    package init(jobserver: Jobserver?) { self.jobserver = jobserver }

    /// Waits for a slot; cancellable. `onWait` is called once if no slot is free at once.
    package func acquire(onWait: @Sendable () -> Void = {}) async throws -> Slot {
        guard let jobserver else { return .unlimited }
        var waited = false
        while true {
            try Task.checkCancellation()
            if implicitFree {
                implicitFree = false
                return .implicit
            }
            if !waited {
                waited = true
                onWait()
            }
            // Polls in short steps, so a slot freed here meanwhile is taken instead.
            if try await jobserver.tryAcquire() { return .token }
        }
    }

    package func release(_ slot: Slot) {
        switch slot {
        case .implicit: implicitFree = true
        case .token: jobserver?.release()
        case .unlimited: break
        }
    }
}
