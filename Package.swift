// swift-tools-version: 6.1
// Attain: a sales compensation engine. Plans in text, statements to the cent.
import PackageDescription

let package = Package(
    name: "Attain",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "Attain", targets: ["Attain"]),
        .executable(name: "attain", targets: ["attain"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/x-sheep/swift-property-based.git", from: "2.0.1"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
    ],
    targets: [
        // The pure engine: no files, no clock, no environment.
        .target(name: "Attain"),
        // libxml2, through a shim header (see Sources/CLibXML2/shim.h).
        .systemLibrary(name: "CLibXML2", pkgConfig: "libxml-2.0", providers: [.apt(["libxml2-dev"])]),
        // XML statements and schema validation; the engine core never imports libxml2.
        .target(name: "AttainXML", dependencies: ["Attain", "CLibXML2"]),
        // The ledger of closed periods: SQLite through GRDB or PostgreSQL through PostgresNIO,
        // input hashes through swift-crypto.
        .target(
            name: "AttainLedger",
            dependencies: [
                "Attain",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ]
        ),
        // The shell around it: reads folders, writes outputs atomically, runs golden cases.
        // Profiles for `attain import` are YAML, read through Yams; derived ids hash through swift-crypto.
        .target(
            name: "AttainTool",
            dependencies: [
                "Attain", "AttainXML", "AttainLedger",
                .product(name: "Yams", package: "Yams"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .executableTarget(
            name: "attain",
            dependencies: [
                "AttainTool",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(
            name: "AttainTests",
            dependencies: [
                "Attain", "AttainTool", "AttainXML", "AttainLedger",
                .product(name: "PropertyBased", package: "swift-property-based"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
    ]
)
