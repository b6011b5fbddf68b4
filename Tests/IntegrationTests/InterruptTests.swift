import ImageBuilderKit
import ImageBuilderTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// SIGINT or SIGTERM to image-builder stops packer (SIGTERM to it, so it can clean up) and
/// exits 130, leaving no child behind.
@Suite(.enabled(if: FileReader.isExecutable(Fixtures.binary), "needs the built CLI"))
struct InterruptTests {
    @Test(arguments: [SIGINT, SIGTERM])
    func aSignalStopsPackerAndExits130(signalNumber: Int32) async throws {
        let work = try Fixtures.makeTemporaryDirectory()
        let marker = work + "/packer.state"
        let packer = work + "/packer"
        try Fixtures.write(
            """
            #!/bin/sh
            echo "parent $PPID self $$" > '\(marker)'
            trap 'echo cleaned-up >> "\(marker)"; exit 1' TERM
            sleep 30 & wait
            """, to: packer, mode: 0o755)
        let root = try Fixtures.makeRepoCopy()
        async let run = ProcessCapture.run(
            Fixtures.binary, ["build", "node-ova-local-almalinux-9"],
            environment: ["IB_ROOT": root, "PACKER_BIN": packer, "PATH": "/usr/bin:/bin"])
        var started: [Substring] = []
        for _ in 0..<200 where started.count < 4 {
            try await Task.sleep(for: .milliseconds(50))
            started = (Fixtures.read(marker) ?? "").split(separator: " ")
        }
        try #require(started.count >= 4, "packer stand-in never started")
        let parent = try #require(Int32(started[1].trimmingCharacters()))
        let child = try #require(Int32(started[3].trimmingCharacters()))
        #expect(kill(parent, signalNumber) == 0)
        let result = try await run
        #expect(result.status == 130, "\(result.stderr)")
        #expect(Fixtures.read(marker)?.contains("cleaned-up") == true)
        #expect(kill(child, 0) != 0)  // packer is gone
    }
}
