/// Waiting for vCenter tasks, with progress and typed faults.
extension VSphereClient {
    /// Calls a `…_Task` method and waits for the task; returns the task's result, if any.
    @discardableResult
    public func runTask(
        _ method: String, on object: ManagedObjectReference, _ parameters: [String] = [],
        progress: @Sendable (Int) -> Void = { _ in }
    ) async throws(VSphereError) -> XMLNode? {
        let body = try await invoke(method, on: object, parameters)
        guard let task = body.child("returnval").flatMap(ManagedObjectReference.init) else {
            throw .invalidResponse(host: host, reason: "\(method) returned no task")
        }
        return try await wait(for: task, named: method, progress: progress)
    }

    /// Polls `info` of `task` until it succeeds (its `result`) or fails (its fault, typed).
    public func wait(
        for task: ManagedObjectReference, named name: String,
        progress: @Sendable (Int) -> Void = { _ in }
    ) async throws(VSphereError) -> XMLNode? {
        var delay: UInt64 = 20_000_000
        var reported = -1
        while true {
            guard let info = try await properties(of: task, ["info"])["info"]?.node else {
                throw .invalidResponse(host: host, reason: "task \(task.value) has no info")
            }
            switch info.child("state")?.text {
            case "success":
                if reported < 100 { progress(100) }
                return info.child("result")
            case "error":
                throw .taskFailed(host: host, task: name, Self.fault(info.child("error"), task: task))
            default:
                if let percent = info.child("progress").flatMap({ Int($0.text) }), percent != reported {
                    reported = percent
                    progress(percent)
                }
            }
            do { try await Task.sleep(nanoseconds: delay) } catch { throw .unreachable(host: host, reason: "cancelled while waiting for \(name)") }
            delay = min(delay * 2, 500_000_000)
        }
    }

    /// A LocalizedMethodFault (`<error><fault xsi:type="InvalidPowerState">…</fault><localizedMessage>…`).
    static func fault(_ error: XMLNode?, task: ManagedObjectReference) -> SOAPFault {
        let fault = error?.child("fault")
        let message = error?.child("localizedMessage")?.text ?? ""
        return SOAPFault(
            code: "ServerFaultCode", message: message.isEmpty ? (fault?.xsiType ?? "task error") : message,
            type: fault?.xsiType, object: fault?.child("obj").flatMap(ManagedObjectReference.init))
    }
}
