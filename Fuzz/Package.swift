// swift-tools-version: 6.2
// libFuzzer targets for Baton. A separate package because an executable built with
// `-sanitize=fuzzer` cannot link in a normal build of the main package: build and run it with
// scripts/fuzz.sh (see docs/fuzzing.md).
import PackageDescription

/// libFuzzer provides the process's `main`; the targets export `LLVMFuzzerTestOneInput` and
/// `<Target>_main` instead of having top-level code.
let fuzzTarget: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .unsafeFlags(["-parse-as-library"]),
]

let package = Package(
    name: "BatonFuzz",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "YAMLFuzz", targets: ["YAMLFuzz"]),
        .executable(name: "JSONExpressionFuzz", targets: ["JSONExpressionFuzz"]),
        .executable(name: "SchemaFuzz", targets: ["SchemaFuzz"]),
        .executable(name: "SSEFuzz", targets: ["SSEFuzz"]),
        .executable(name: "PolicyFuzz", targets: ["PolicyFuzz"]),
    ],
    dependencies: [
        .package(name: "Baton", path: ".."),
    ],
    targets: [
        .target(
            name: "FuzzSupport",
            dependencies: [.product(name: "BatonCore", package: "Baton"), .product(name: "BatonSpec", package: "Baton")],
            swiftSettings: [.enableUpcomingFeature("ExistentialAny")]
        ),
        .executableTarget(
            name: "YAMLFuzz",
            dependencies: [
                "FuzzSupport",
                .product(name: "BatonCore", package: "Baton"),
                .product(name: "BatonSpec", package: "Baton"),
            ],
            swiftSettings: fuzzTarget
        ),
        .executableTarget(
            name: "JSONExpressionFuzz",
            dependencies: ["FuzzSupport", .product(name: "BatonCore", package: "Baton")],
            swiftSettings: fuzzTarget
        ),
        .executableTarget(
            name: "SchemaFuzz",
            dependencies: ["FuzzSupport", .product(name: "BatonCore", package: "Baton")],
            swiftSettings: fuzzTarget
        ),
        .executableTarget(
            name: "SSEFuzz",
            dependencies: ["FuzzSupport", .product(name: "BatonCore", package: "Baton")],
            swiftSettings: fuzzTarget
        ),
        .executableTarget(
            name: "PolicyFuzz",
            dependencies: [
                "FuzzSupport",
                .product(name: "BatonCore", package: "Baton"),
                .product(name: "BatonSpec", package: "Baton"),
            ],
            swiftSettings: fuzzTarget
        ),
    ]
)
