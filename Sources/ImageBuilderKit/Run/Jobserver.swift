public import ImageBuilderBasics
public import ImageBuilderConfig
public import ImageBuilderPacker
public import ImageBuilderPlanning
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// GNU make's jobserver, as handed to a `+` recipe through MAKEFLAGS (`--jobserver-auth=R,W`
/// pipe form in make 4.3, `fifo:PATH` in 4.4). The orchestrator runs its first build on the
/// token make already spent on it, and takes one more token for each further build, so
/// `make -j4 a b c` never runs more than 4 builds in all.
package final class Jobserver: Sendable {
    private let readFD: Int32
    private let writeFD: Int32
    /// Tokens taken and not yet given back (returned on every exit path).
    private let held = Mutex<[UInt8]>([])

    private init(readFD: Int32, writeFD: Int32) {
        self.readFD = readFD
        self.writeFD = writeFD
    }

    /// The jobserver make handed over, if any (its descriptors must really be open).
    package static func fromMakeflags(_ makeflags: String?) -> Jobserver? {
        guard let makeflags else { return nil }
        for word in makeflags.split(separator: " ") {
            for prefix in ["--jobserver-auth=", "--jobserver-fds="] where word.hasPrefix(prefix) {
                let value = word.dropFirst(prefix.count)
                if value.hasPrefix("fifo:") {
                    let path = String(value.dropFirst(5))
                    let fd = open(path, O_RDWR | O_CLOEXEC)
                    return fd >= 0 ? Jobserver(readFD: fd, writeFD: fd) : nil
                }
                let parts = value.split(separator: ",").compactMap { Int32($0) }
                guard parts.count == 2, fcntl(parts[0], F_GETFD) != -1, fcntl(parts[1], F_GETFD) != -1 else { return nil }
                // Keep packer and other children from inheriting make's pipe.
                _ = fcntl(parts[0], F_SETFD, FD_CLOEXEC)
                _ = fcntl(parts[1], F_SETFD, FD_CLOEXEC)
                return Jobserver(readFD: parts[0], writeFD: parts[1])
            }
        }
        return nil
    }

    /// Tries for a token for up to `milliseconds` (off the cooperative pool); true if taken.
    package func tryAcquire(milliseconds: Int32 = 200) async throws -> Bool {
        let fd = readFD
        let outcome: Int = await DispatchTaskExecutor.blocking {
            var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let ready = poll(&pfd, 1, milliseconds)
            if ready == 0 || (ready < 0 && errno == EINTR) { return -1 }
            guard ready > 0 else { return -2 }
            var byte: UInt8 = 0
            // Another process may take the token first: then this read waits for the next.
            let n = read(fd, &byte, 1)
            return n == 1 ? Int(byte) : (n < 0 && errno == EINTR ? -1 : -2)
        }
        if outcome == -1 { return false }
        guard outcome >= 0 else { throw RunError.jobserverClosed }
        held.withLock { $0.append(UInt8(outcome)) }
        return true
    }

    /// Gives one token back.
    package func release() {
        guard let token = held.withLock({ $0.popLast() }) else { return }
        var byte = token
        _ = write(writeFD, &byte, 1)
    }

    /// Gives every held token back (at the end of a run, whatever happened).
    package func releaseAll() {
        while held.withLock({ !$0.isEmpty }) { release() }
    }

}
