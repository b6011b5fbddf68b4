// swift-tools-version: 6.2
import PackageDescription

// swift-log's settings block (house-style §5.1): explicit imports, explicit existentials.
let settings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
    .enableUpcomingFeature("NonisolatedNonsendingByDefault"),
    .swiftLanguageMode(.v6),
]

let package = Package(
    name: "image-builder",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "image-builder", targets: ["ImageBuilderCLI"]),
        .library(name: "VSphereKit", targets: ["VSphereKit"]),
        .library(name: "OVAKit", targets: ["OVAKit"]),
        .library(name: "OpenStackKit", targets: ["OpenStackKit"]),
        .library(name: "MAASKit", targets: ["MAASKit"]),
        .library(name: "OpenNebulaKit", targets: ["OpenNebulaKit"]),
    ],
    dependencies: [
        // Command-line parsing; the entry point maps its errors to our exit codes.
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        // Logging API; bootstrapped once in the CLI, libraries take a Logger.
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        // Child processes (packer): stoppable, clean signal mask (stack-findings §4).
        .package(url: "https://github.com/swiftlang/swift-subprocess", from: "1.0.2"),
        // File descriptors and errno for Subprocess' platform options.
        .package(url: "https://github.com/apple/swift-system", from: "1.8.1"),
        // vCenter's HTTPS: a given CA or no verification, which URLSession cannot do on Linux
        // (stack-findings §1).
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.0.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.0.0"),
        // gzip for the MAAS ESXi image (`.dd.gz`), streamed (zlib, over NIO's ByteBuffer).
        .package(url: "https://github.com/adam-fowler/compress-nio", from: "1.5.0"),
        // clouds.yaml and secure.yaml (OpenStack's client configuration).
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        // The layers of the orchestrator, each importing only the ones above it in this list
        // (docs/architecture.md): the compiler keeps the graph acyclic.
        // Processes, files, locks, secrets, errors: imports none of ours.
        .target(
            name: "ImageBuilderBasics",
            dependencies: [
                .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "SystemPackage", package: "swift-system"),
            ],
            swiftSettings: settings
        ),
        // The catalog and layered var files: pure, starts no process.
        .target(name: "ImageBuilderConfig", dependencies: ["ImageBuilderBasics"], swiftSettings: settings),
        // packer: argv pieces, the template, stage parsing, locating the binary.
        .target(name: "ImageBuilderPacker", dependencies: ["ImageBuilderBasics", "ImageBuilderConfig"], swiftSettings: settings),
        // Target names and inputs into final build plans: pure, starts no process.
        .target(
            name: "ImageBuilderPlanning",
            dependencies: ["ImageBuilderBasics", "ImageBuilderConfig", "ImageBuilderPacker"],
            swiftSettings: settings
        ),
        // Orchestration: runs plans (Run/), the vSphere steps (VSphere/), OVA steps (OVA/), the
        // embedded simulator (Simulator/).
        .target(
            name: "ImageBuilderKit",
            dependencies: [
                "ImageBuilderBasics", "ImageBuilderConfig", "ImageBuilderPacker", "ImageBuilderPlanning",
                "VSphereKit", "OVAKit", "OpenStackKit", "MAASKit", "OpenNebulaKit",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "CompressNIO", package: "compress-nio"),
            ],
            swiftSettings: settings
        ),
        // The vSphere SOAP/REST client: imports none of our other modules.
        .target(
            name: "VSphereKit",
            dependencies: [
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: settings
        ),
        // Keystone v3 and Glance v2, clouds.yaml: imports none of our other modules.
        .target(
            name: "OpenStackKit",
            dependencies: [
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                "CLibCrypto",
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: settings
        ),
        // MAAS API 2.0 (OAuth 1.0 PLAINTEXT, boot resources, chunked upload): imports none of ours.
        .target(
            name: "MAASKit",
            dependencies: [
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: settings
        ),
        // OpenNebula's XML-RPC API (images, datastores, VM templates) and its template syntax:
        // imports none of ours.
        .target(
            name: "OpenNebulaKit",
            dependencies: [
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: settings
        ),
        // OVF, manifest, tar, verify: imports none of our other modules.
        .target(name: "OVAKit", dependencies: ["CLibCrypto"], swiftSettings: settings),
        // SHA-256 and SHA-512 from OpenSSL's libcrypto (Debian's libssl-dev): the system's
        // library instead of compiling a second BoringSSL (goal P7: a fresh build sooner).
        .systemLibrary(name: "CLibCrypto", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),
        .executableTarget(
            name: "ImageBuilderCLI",
            dependencies: [
                "ImageBuilderKit", "OpenStackKit", "MAASKit", "OpenNebulaKit",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: settings,
            // A position-dependent executable: the loader then relocates none of the binary's
            // 125,000 pointers at start (a third of `plan`'s start-up time went to those page
            // faults; goal P1). The code is the same position-independent code.
            // Release only: it is linked with the static Swift runtime (a debug build's shared one
            // makes the loader warn about protected symbols). Nothing looks the binary's own symbols
            // up at run time, so it exports none (SwiftPM exports all 31,000): glibc's dladdr, which
            // runs at every start, scanned them all, and their 3 MB table was paged in.
            linkerSettings: [
                .unsafeFlags(["-Xclang-linker", "-no-pie", "-Xlinker", "--no-export-dynamic"], .when(platforms: [.linux], configuration: .release))
            ]
        ),
        // Fakes at the seams and fixtures, shared by the test targets (not shipped).
        .target(
            name: "ImageBuilderTestSupport",
            dependencies: ["ImageBuilderKit", "VSphereKit", "OVAKit", .product(name: "Subprocess", package: "swift-subprocess")],
            path: "Tests/Support",
            swiftSettings: settings
        ),
        .testTarget(
            name: "ImageBuilderKitTests", dependencies: ["ImageBuilderKit", "ImageBuilderTestSupport", "OVAKit", "OpenNebulaKit"],
            swiftSettings: settings
        ),
        .testTarget(
            name: "VSphereKitTests",
            dependencies: [
                "VSphereKit", "OVAKit", "ImageBuilderKit", "ImageBuilderTestSupport",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            exclude: ["Fixtures"],
            swiftSettings: settings
        ),
        .testTarget(name: "OpenStackKitTests", dependencies: ["OpenStackKit", "ImageBuilderTestSupport"], swiftSettings: settings),
        .testTarget(name: "OpenNebulaKitTests", dependencies: ["OpenNebulaKit", "ImageBuilderTestSupport"], swiftSettings: settings),
        .testTarget(name: "OVAKitTests", dependencies: ["OVAKit", "ImageBuilderKit", "ImageBuilderTestSupport"], swiftSettings: settings),
        .testTarget(
            name: "ImageBuilderCLITests",
            dependencies: ["ImageBuilderCLI", "ImageBuilderKit", "ImageBuilderTestSupport"],
            swiftSettings: settings
        ),
        .testTarget(
            name: "IntegrationTests",
            dependencies: [
                "ImageBuilderKit", "ImageBuilderTestSupport", "VSphereKit", "OVAKit", "OpenNebulaKit",
                .product(name: "Subprocess", package: "swift-subprocess"),
            ],
            swiftSettings: settings
        ),
    ]
)
