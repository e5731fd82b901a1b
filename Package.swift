// swift-tools-version: 6.2
import PackageDescription

let strictSwift: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

/// BatonCore's async functions run on their caller's executor (SE-0461) unless marked
/// `@concurrent`: the engine's hot path makes several nested async calls per step, and each hop
/// to the generic executor cost a task-status lock.
let coreSwift: [SwiftSetting] = strictSwift + [
    .enableUpcomingFeature("NonisolatedNonsendingByDefault"),
]

let package = Package(
    name: "Baton",
    platforms: [.macOS(.v15), .iOS(.v18)],
    products: [
        .library(name: "BatonCore", targets: ["BatonCore"]),
        .library(name: "BatonSQLite", targets: ["BatonSQLite"]),
        .library(name: "BatonPostgres", targets: ["BatonPostgres"]),
        .library(name: "BatonSpec", targets: ["BatonSpec"]),
        .library(name: "BatonTesting", targets: ["BatonTesting"]),
        .library(name: "BatonMCP", targets: ["BatonMCP"]),
        .library(name: "BatonTools", targets: ["BatonTools"]),
        .library(name: "BatonModels", targets: ["BatonModels"]),
        .executable(name: "baton", targets: ["baton"]),
        .executable(name: "baton-bench", targets: ["baton-bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/x-sheep/swift-property-based.git", from: "2.0.1"),
        .package(url: "https://github.com/swiftlang/swift-subprocess.git", from: "1.0.2"),
        .package(url: "https://github.com/apple/swift-system.git", from: "1.8.1"),
        .package(url: "https://github.com/modelcontextprotocol/swift-sdk.git", exact: "0.12.1"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
    ],
    targets: [
        .target(
            name: "BatonCore",
            dependencies: [
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Mustache", package: "swift-mustache"),
            ],
            swiftSettings: coreSwift
        ),
        .target(
            name: "BatonSQLite",
            dependencies: ["BatonCore", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: strictSwift
        ),
        .target(
            name: "BatonPostgres",
            dependencies: [
                "BatonCore",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSwift
        ),
        .target(
            name: "BatonSpec",
            dependencies: ["BatonCore", .product(name: "Yams", package: "Yams")],
            swiftSettings: strictSwift
        ),
        .target(
            name: "BatonMCP",
            dependencies: [
                "BatonCore",
                .product(name: "MCP", package: "swift-sdk"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "SystemPackage", package: "swift-system"),
            ],
            swiftSettings: strictSwift
        ),
        .target(
            name: "BatonTesting",
            dependencies: [
                "BatonCore",
                .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "SystemPackage", package: "swift-system"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: strictSwift
        ),
        .target(
            name: "BatonModels",
            dependencies: [
                "BatonCore",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSwift
        ),
        .target(
            name: "BatonTools",
            dependencies: [
                "BatonCore",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: strictSwift
        ),
        .executableTarget(
            name: "baton",
            dependencies: [
                "BatonModels", "BatonTesting",
                "BatonCore", "BatonSQLite", "BatonPostgres", "BatonSpec", "BatonMCP", "BatonTools",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSwift
        ),
        .executableTarget(
            name: "baton-bench",
            dependencies: [
                "BatonCore", "BatonSQLite", "BatonPostgres", "BatonSpec", "BatonTesting",
                .product(name: "GRDB", package: "GRDB.swift"), .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"), .product(name: "Logging", package: "swift-log"),
            ],
            path: "Benchmarks/baton-bench",
            swiftSettings: strictSwift
        ),
        .executableTarget(
            name: "CrashWorker",
            dependencies: ["BatonCore", "BatonSQLite"],
            path: "Tests/CrashWorker",
            swiftSettings: strictSwift
        ),
        .testTarget(
            name: "BatonCrashTests",
            dependencies: ["BatonCore", "BatonSQLite", "BatonTesting", "CrashWorker"],
            swiftSettings: strictSwift
        ),
        .testTarget(
            name: "BatonCLITests",
            dependencies: ["BatonCore", "BatonPostgres", "BatonTesting", "baton", .product(name: "GRDB", package: "GRDB.swift"), .product(name: "PostgresNIO", package: "postgres-nio"), .product(name: "Subprocess", package: "swift-subprocess"), .product(name: "SystemPackage", package: "swift-system")],
            swiftSettings: strictSwift
        ),
        .testTarget(
            name: "BatonCoreTests",
            dependencies: [
                "BatonCore", "BatonTesting",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            swiftSettings: strictSwift
        ),
        .testTarget(
            name: "BatonSQLiteTests",
            dependencies: ["BatonCore", "BatonSQLite", "BatonTesting", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: strictSwift
        ),
        .testTarget(
            name: "BatonPostgresTests",
            dependencies: [
                "BatonCore", "BatonPostgres", "BatonTesting", .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Subprocess", package: "swift-subprocess"), .product(name: "SystemPackage", package: "swift-system"),
            ],
            swiftSettings: strictSwift
        ),
        .testTarget(
            name: "BatonToolsTests",
            dependencies: [
                "BatonCore", "BatonTools",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: strictSwift
        ),
        .testTarget(
            name: "BatonMCPTests",
            dependencies: ["BatonCore", "BatonMCP", "BatonTesting", .product(name: "MCP", package: "swift-sdk")],
            exclude: ["Fixtures"],
            swiftSettings: strictSwift
        ),
        .testTarget(
            name: "BatonModelsTests",
            dependencies: [
                "BatonCore", "BatonModels", "BatonTesting",
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Yams", package: "Yams"),
            ],
            exclude: ["Fixtures"],
            swiftSettings: strictSwift
        ),
        .testTarget(
            name: "BatonSpecTests",
            dependencies: ["BatonCore", "BatonSpec", "BatonTesting"],
            swiftSettings: strictSwift
        ),
    ]
)
