import Foundation
import Synchronization
package import VSphereKit

/// A seam around the real transport: records every SOAP call, and answers chosen methods the way
/// a real vCenter does where the simulator is more permissive — with a SOAP fault, or with a task
/// that ends in a fault (then the task's `info` reads come from here too).
package final class FaultInjectingTransport: HTTPTransport {
    package enum Injection: Sendable {
        /// The call itself fails: HTTP 500 with a SOAP fault whose detail is `<type>Fault`.
        case soapFault(type: String, message: String, detail: String = "")
        /// The call returns a task that ends in `error` with this fault.
        case taskFault(type: String, message: String, detail: String = "")
        /// The call returns an HttpNfcLease that is `ready` with this `info` (children of
        /// HttpNfcLeaseInfo); the lease's own methods are answered here.
        case lease(info: String)
        /// The call returns a task that succeeds with this result (`xsi:type`, text), as a
        /// vCenter with the method answers (CreateScreenshot_Task: a datastore path).
        case taskResult(type: String, value: String)
    }

    package let inner: any HTTPTransport
    private let rules: Mutex<[String: Injection]>
    private let log = Mutex<[String]>([])
    private let injectedTasks = Mutex<[String: (method: String, Injection)]>([:])

    package init(_ inner: any HTTPTransport, inject rules: [String: Injection] = [:]) {
        self.inner = inner
        self.rules = Mutex(rules)
    }

    package func inject(_ method: String, _ injection: Injection?) { rules.withLock { $0[method] = injection } }

    /// The SOAP bodies sent, in order.
    package var requests: [String] { log.withLock { $0 } }

    package func send(_ request: HTTPRequest) async throws(VSphereError) -> HTTPResponse {
        guard case .bytes(let bytes) = request.body, let text = String(validating: bytes, as: UTF8.self) else {
            return try await inner.send(request)
        }
        log.withLock { $0.append(text) }
        let method = Self.method(text)
        if let injection = rules.withLock({ $0[method] }) {
            switch injection {
            case .soapFault(let type, let message, let detail):
                return Self.envelope(
                    status: 500,
                    "<soapenv:Fault><faultcode>ServerFaultCode</faultcode><faultstring>\(message)</faultstring>"
                        + "<detail><\(type)Fault xmlns=\"urn:vim25\" xsi:type=\"\(type)\">\(detail)</\(type)Fault></detail></soapenv:Fault>")
            case .taskFault, .lease, .taskResult:
                let kind = if case .lease = injection { "HttpNfcLease" } else { "Task" }
                let object = "\(kind.lowercased())-injected-\(injectedTasks.withLock { $0.count + 1 })"
                injectedTasks.withLock { $0[object] = (method, injection) }
                return Self.envelope(
                    status: 200, "<\(method)Response xmlns=\"urn:vim25\"><returnval type=\"\(kind)\">\(object)</returnval></\(method)Response>")
            }
        }
        if method.hasPrefix("HttpNfcLease"), text.contains("httpnfclease-injected-") {
            return Self.envelope(status: 200, "<\(method)Response xmlns=\"urn:vim25\"></\(method)Response>")
        }
        if method == "RetrievePropertiesEx",
            let (lease, (_, injection)) = injectedTasks.withLock({ leases in leases.first { text.contains(">\($0.key)<") } }),
            case .lease(let info) = injection
        {
            return Self.envelope(
                status: 200,
                "<RetrievePropertiesExResponse xmlns=\"urn:vim25\"><returnval><objects><obj type=\"HttpNfcLease\">\(lease)</obj>"
                    + "<propSet><name>state</name><val xsi:type=\"HttpNfcLeaseState\">ready</val></propSet>"
                    + "<propSet><name>info</name><val xsi:type=\"HttpNfcLeaseInfo\"><lease type=\"HttpNfcLease\">\(lease)</lease>\(info)</val></propSet>"
                    + "</objects></returnval></RetrievePropertiesExResponse>")
        }
        if method == "RetrievePropertiesEx",
            let (task, (name, injection)) = injectedTasks.withLock({ tasks in tasks.first { text.contains(">\($0.key)<") } }),
            case .taskFault(let type, let message, let detail) = injection
        {
            return Self.envelope(
                status: 200,
                "<RetrievePropertiesExResponse xmlns=\"urn:vim25\"><returnval><objects><obj type=\"Task\">\(task)</obj>"
                    + "<propSet><name>info</name><val xsi:type=\"TaskInfo\"><key>\(task)</key><task type=\"Task\">\(task)</task>"
                    + "<name>\(name)</name><state>error</state><cancelled>false</cancelled><cancelable>false</cancelable>"
                    + "<error><fault xsi:type=\"\(type)\">\(detail)</fault><localizedMessage>\(message)</localizedMessage></error>"
                    + "</val></propSet></objects></returnval></RetrievePropertiesExResponse>")
        }
        if method == "RetrievePropertiesEx",
            let (task, (name, injection)) = injectedTasks.withLock({ tasks in tasks.first { text.contains(">\($0.key)<") } }),
            case .taskResult(let type, let value) = injection
        {
            return Self.envelope(
                status: 200,
                "<RetrievePropertiesExResponse xmlns=\"urn:vim25\"><returnval><objects><obj type=\"Task\">\(task)</obj>"
                    + "<propSet><name>info</name><val xsi:type=\"TaskInfo\"><key>\(task)</key><task type=\"Task\">\(task)</task>"
                    + "<name>\(name)</name><state>success</state><cancelled>false</cancelled><cancelable>false</cancelable>"
                    + "<result xsi:type=\"\(type)\">\(value)</result></val></propSet></objects></returnval></RetrievePropertiesExResponse>")
        }
        return try await inner.send(request)
    }

    package func download(_ request: HTTPRequest, into sink: @Sendable ([UInt8]) async throws -> Void) async throws(VSphereError) -> Int {
        try await inner.download(request, into: sink)
    }

    package func shutdown() async { await inner.shutdown() }

    /// The method element's name in a SOAP body (`<CloneVM_Task xmlns="urn:vim25">`).
    package static func method(_ envelope: String) -> String {
        guard let body = envelope.range(of: "<soapenv:Body><") else { return "" }
        return String(envelope[body.upperBound...].prefix { $0 != " " && $0 != ">" })
    }

    /// A response envelope as a real vCenter writes it (`xsi:` prefix).
    package static func envelope(status: Int, _ body: String) -> HTTPResponse {
        let text =
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><soapenv:Envelope xmlns:soapenc=\"http://schemas.xmlsoap.org/soap/encoding/\""
            + " xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\" xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\""
            + " xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><soapenv:Body>\(body)</soapenv:Body></soapenv:Envelope>"
        return HTTPResponse(status: status, headers: [("Content-Type", "text/xml; charset=utf-8")], body: Array(text.utf8))
    }
}
