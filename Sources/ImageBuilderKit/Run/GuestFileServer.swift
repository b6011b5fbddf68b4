import Foundation
import ImageBuilderBasics
import NIOCore
import NIOHTTP1
import NIOPosix

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// What a qemu build serves its guest (`qemu_guest_files`): one folder, read-only, on 127.0.0.1
/// (a free port), for the build's lifetime. The guest reaches it only through qemu's guestfwd
/// (hack/loopback-relay.py), as http://10.0.2.100/. GET and HEAD of regular files inside the
/// folder (and what symbolic links there lead to); no listings, no `..`; each request is a line
/// for the build's log.
package final class GuestFileServer: Sendable {
    package let port: Int
    private let channel: any Channel

    private init(port: Int, channel: any Channel) {
        self.port = port
        self.channel = channel
    }

    /// Starts serving `folder`; `log` gets `GET /path 200` for each request.
    package static func start(serving folder: String, log: @escaping @Sendable (String) -> Void) async throws -> GuestFileServer {
        guard
            let root = realpath(folder, nil).map({ pointer in
                defer { free(pointer) }
                return String(cString: pointer)
            })
        else {
            throw FileError.cannotPrepare(path: folder, reason: "it does not exist")
        }
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(GuestFileHandler(root: root, log: log))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        return GuestFileServer(port: channel.localAddress?.port ?? 0, channel: channel)
    }

    package func stop() {
        channel.close(promise: nil)
    }

    /// The path a request names inside `root`, or nil: `.` segments dropped, `..` refused
    /// (symbolic links the folder's owner put there are followed; the handler serves regular
    /// files only).
    static func file(_ uri: String, root: String) -> String? {
        let path = String(uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)[0])
        guard let decoded = path.removingPercentEncoding, !decoded.contains("\0") else { return nil }
        let segments = decoded.split(separator: "/").filter { $0 != "." }
        guard !segments.isEmpty, !segments.contains("..") else { return nil }
        return root + "/" + segments.joined(separator: "/")
    }
}

/// One connection's requests.
private final class GuestFileHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart
    let root: String
    let log: @Sendable (String) -> Void
    var head: HTTPRequestHead?

    init(root: String, log: @escaping @Sendable (String) -> Void) {
        self.root = root
        self.log = log
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head): self.head = head
        case .body: break
        case .end:
            if let head { respond(context, head) }
            head = nil
        }
    }

    private func respond(_ context: ChannelHandlerContext, _ head: HTTPRequestHead) {
        guard head.method == .GET || head.method == .HEAD else { return status(context, head, .methodNotAllowed) }
        guard let path = GuestFileServer.file(head.uri, root: root) else { return status(context, head, .notFound) }
        // O_NONBLOCK: a FIFO opens at once (and is then refused), never waiting for a writer.
        let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        var info = stat()
        guard descriptor >= 0, fstat(descriptor, &info) == 0, info.st_mode & S_IFMT == S_IFREG else {
            if descriptor >= 0 { close(descriptor) }
            return status(context, head, .notFound)
        }
        log("\(head.method) \(head.uri) 200 \(info.st_size) bytes")
        var headers = HTTPHeaders([("Content-Length", String(info.st_size)), ("Content-Type", "application/octet-stream")])
        headers.add(name: "Connection", value: head.isKeepAlive ? "keep-alive" : "close")
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: .ok, headers: headers))), promise: nil)
        let handle = NIOFileHandle(_deprecatedTakingOwnershipOfDescriptor: descriptor)
        if head.method == .GET, info.st_size > 0 {
            let region = FileRegion(fileHandle: handle, readerIndex: 0, endIndex: Int(info.st_size))
            context.write(wrapOutboundOut(.body(.fileRegion(region))), promise: nil)
        }
        finish(context, head, closing: handle)
    }

    private func status(_ context: ChannelHandlerContext, _ head: HTTPRequestHead, _ status: HTTPResponseStatus) {
        log("\(head.method) \(head.uri) \(status.code)")
        let headers = HTTPHeaders([("Content-Length", "0"), ("Connection", head.isKeepAlive ? "keep-alive" : "close")])
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: status, headers: headers))), promise: nil)
        finish(context, head, closing: nil)
    }

    private func finish(_ context: ChannelHandlerContext, _ head: HTTPRequestHead, closing handle: NIOFileHandle?) {
        let keepAlive = head.isKeepAlive
        let channel = context.channel
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in
            try? handle?.close()
            if !keepAlive { channel.close(promise: nil) }
        }
    }
}
