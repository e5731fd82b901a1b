import BatonCore
import Foundation
import GRDB

/// Opening a store file: checks that fail before anything is written, the connection settings,
/// and the migrations. When opening fails, the file is left as it was (and a file this attempt
/// created is removed).
enum Opening {
    static func open(path: String, durability: SQLiteStore.Durability, busyTimeout: Duration) throws -> DatabasePool {
        try makeParentDirectory(of: path)
        let existed = FileManager.default.fileExists(atPath: path)
        if existed, !isWritable(path) {
            throw StoreError.readOnly("\(path): the file is not writable")
        }
        if !isWritable(directory(of: path)) {
            throw StoreError.readOnly("\(path): its directory is not writable (SQLite keeps its journal beside the file)")
        }
        var pool: DatabasePool?
        do {
            let opened = try DatabasePool(path: path, configuration: configuration(busyTimeout: busyTimeout))
            pool = opened
            // After the pool's own set-up, which turns on WAL with synchronous=NORMAL.
            try opened.writeWithoutTransaction { db in
                try db.execute(sql: durability == .normal ? "PRAGMA synchronous = NORMAL" : "PRAGMA synchronous = FULL")
            }
            try Schema.migrator.migrate(opened)
            return opened
        } catch {
            try? pool?.close()
            if !existed {
                for suffix in ["", "-wal", "-shm", "-journal"] { try? FileManager.default.removeItem(atPath: path + suffix) }
            }
            throw StoreErrorMapping.map(error, path: path)
        }
    }

    /// WAL through a `DatabasePool`: readers (listing runs, paging events, the console) never
    /// wait behind a commit's fsync; writes are serialized by SQLite anyway, on one writer connection.
    static func configuration(busyTimeout: Duration) -> Configuration {
        var configuration = Configuration()
        configuration.label = "baton"
        configuration.busyMode = .timeout(busyTimeout.seconds)
        configuration.maximumReaderCount = 4
        configuration.prepareDatabase { db in
            // Runs before GRDB touches the file (WAL set-up, migrations): a file that is not a
            // database fails here, and a newer schema is refused without a change.
            guard !db.configuration.readonly else { return }
            let found = try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0
            if found > Schema.version {
                throw StoreError.schemaTooNew(found: found, supported: Schema.version)
            }
        }
        return configuration
    }

    static func directory(of path: String) -> String {
        let directory = (path as NSString).deletingLastPathComponent
        return directory.isEmpty ? "." : directory
    }

    static func isWritable(_ path: String) -> Bool {
        FileManager.default.isWritableFile(atPath: path)
    }

    private static func makeParentDirectory(of path: String) throws {
        let directory = directory(of: path)
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) {
            if !isDirectory.boolValue { throw StoreError.unavailable("\(path): \(directory) is not a directory") }
            return
        }
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            let nearest = nearestExistingAncestor(of: directory)
            if !isWritable(nearest) {
                throw StoreError.readOnly("\(path): cannot create \(directory) (\(nearest) is not writable)")
            }
            throw StoreError.unavailable("\(path): cannot create \(directory): \(error.localizedDescription)")
        }
    }

    private static func nearestExistingAncestor(of directory: String) -> String {
        var current = directory
        while !FileManager.default.fileExists(atPath: current), current != "/", !current.isEmpty, current != "." {
            current = (current as NSString).deletingLastPathComponent
        }
        return current.isEmpty ? "." : current
    }
}
