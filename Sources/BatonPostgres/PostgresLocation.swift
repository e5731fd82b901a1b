import BatonCore
import Foundation
import NIOSSL
import PostgresNIO

/// Where a PostgreSQL store is: a `postgres://` URL read into the client's configuration and the
/// schema that holds Baton's tables.
///
/// ```
/// postgres://baton:secret@db.internal:5432/baton?sslmode=require&schema=baton
/// postgres://baton@%2Fvar%2Frun%2Fpostgresql/baton          (a Unix socket directory as the host)
/// postgres://owner@db.internal/baton?worker_role=baton_worker  (the role the migrations grant to)
/// postgres://baton@db.internal/baton?keepalive=30             (idle connections send SELECT 1 every 30 s)
/// ```
///
/// The password may also come from `PGPASSWORD`. `sslmode` is `disable`, `prefer` (the default,
/// except on a loopback address or a socket, where it is `disable`) or `require`. The password
/// never appears in ``description`` or in any error.
public struct PostgresLocation: Sendable, CustomStringConvertible {
    public enum TLSMode: String, Sendable, CaseIterable {
        case disable, prefer, require
    }

    public var host: String
    public var port: Int
    /// A Unix socket directory, when the host is one (a path).
    public var socketDirectory: String?
    public var username: String
    /// From the URL or `PGPASSWORD`; never printed.
    public var password: String?
    public var database: String
    public var tls: TLSMode
    /// The schema Baton's tables live in (`baton` unless the URL's `schema` says otherwise).
    public var schema: String
    /// The role the migrations grant the workers' privileges to: read and write every table, but
    /// only insert into and read the event journal (``defaultWorkerRole`` unless the URL's
    /// `worker_role` says otherwise). Workers log in as a role that is a member of it.
    public var workerRole: String
    /// `baton_worker`.
    public static let defaultWorkerRole = "baton_worker"
    /// How often an idle pooled connection runs `SELECT 1`, from the URL's `keepalive` (whole
    /// seconds); `nil`, the default, sends none. Turn it on where a firewall or NAT between the
    /// workers and the database drops connections that stay quiet: a connection that died
    /// unseen otherwise costs its next operation the store's operation timeout.
    public var keepAlive: Duration?

    /// Reads `url`; `environment` supplies `PGPASSWORD` when the URL has no password.
    ///
    /// - Throws: ``StoreError/unavailable(_:)`` naming what is wrong with the URL.
    public init(url: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        func invalid(_ why: String) -> StoreError {
            .unavailable("'\(Self.redacted(url))' is not a PostgreSQL URL: \(why); write postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE[?sslmode=require&schema=baton&worker_role=baton_worker&keepalive=30]")
        }
        guard let components = URLComponents(string: url), let scheme = components.scheme, ["postgres", "postgresql"].contains(scheme) else {
            throw invalid("it does not start with postgres://")
        }
        let host = components.percentEncodedHost.flatMap { $0.removingPercentEncoding } ?? ""
        guard !host.isEmpty else { throw invalid("it names no host") }
        guard let username = components.user, !username.isEmpty else { throw invalid("it names no user") }
        let database = String(components.path.drop { $0 == "/" })
        guard !database.isEmpty, !database.contains("/") else { throw invalid("it names no database (the path after the host)") }
        self.host = host
        self.port = components.port ?? 5432
        self.socketDirectory = host.hasPrefix("/") ? host : nil
        self.username = username
        self.password = components.password ?? environment["PGPASSWORD"]
        self.database = database
        var tls: TLSMode? = nil
        var schema = "baton"
        var workerRole = Self.defaultWorkerRole
        var keepAlive: Duration? = nil
        for item in components.queryItems ?? [] {
            switch item.name {
            case "sslmode":
                guard let mode = item.value.flatMap(TLSMode.init(rawValue:)) else {
                    throw invalid("sslmode is '\(item.value ?? "")'; use disable, prefer or require")
                }
                tls = mode
            case "schema":
                schema = item.value ?? ""
            case "worker_role":
                workerRole = item.value ?? ""
            case "keepalive":
                guard let seconds = item.value.flatMap(Int.init), (1...86_400).contains(seconds) else {
                    throw invalid("keepalive is '\(item.value ?? "")'; give whole seconds between idle connections' SELECT 1, from 1 to 86400")
                }
                keepAlive = .seconds(seconds)
            default:
                throw invalid("unknown option '\(item.name)' (known: sslmode, schema, worker_role, keepalive)")
            }
        }
        for (option, name) in [("schema", schema), ("worker_role", workerRole)] where !Self.isIdentifier(name) {
            throw invalid("\(option) '\(name)' must be a lower-case identifier: letters, digits and _, not starting with a digit, at most 63 characters")
        }
        self.schema = schema
        self.workerRole = workerRole
        self.keepAlive = keepAlive
        let local = socketDirectory != nil || ["localhost", "127.0.0.1", "::1"].contains(host)
        self.tls = tls ?? (local ? .disable : .prefer)
    }

    /// `postgres://USER@HOST:PORT/DATABASE (schema S)`, without the password.
    public var description: String {
        "postgres://\(username)@\(socketDirectory ?? host):\(port)/\(database) (schema \(schema))"
    }

    /// The same place with another schema (each test, or each tenant, can have its own).
    public func with(schema: String) throws -> PostgresLocation {
        guard Self.isIdentifier(schema) else { throw StoreError.unavailable("schema '\(schema)' must be a lower-case identifier") }
        var copy = self
        copy.schema = schema
        return copy
    }

    /// The driver's configuration for this place.
    public var configuration: PostgresClient.Configuration {
        get throws {
            if let socketDirectory {
                return PostgresClient.Configuration(
                    unixSocketPath: "\(socketDirectory)/.s.PGSQL.\(port)", username: username, password: password, database: database
                )
            }
            let tls: PostgresClient.Configuration.TLS
            switch self.tls {
            case .disable: tls = .disable
            case .prefer: tls = .prefer(TLSConfiguration.makeClientConfiguration())
            case .require: tls = .require(TLSConfiguration.makeClientConfiguration())
            }
            return PostgresClient.Configuration(host: host, port: port, username: username, password: password, database: database, tls: tls)
        }
    }

    /// The configuration of one direct connection (the store opens one to migrate, which also
    /// reports a wrong address, user or database at once instead of through the pool's retries).
    var connectionConfiguration: PostgresConnection.Configuration {
        get throws {
            var configuration: PostgresConnection.Configuration
            if let socketDirectory {
                configuration = PostgresConnection.Configuration(
                    unixSocketPath: "\(socketDirectory)/.s.PGSQL.\(port)", username: username, password: password, database: database
                )
            } else {
                let tls: PostgresConnection.Configuration.TLS
                switch self.tls {
                case .disable: tls = .disable
                case .prefer: tls = .prefer(try NIOSSLContext(configuration: .makeClientConfiguration()))
                case .require: tls = .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
                }
                configuration = PostgresConnection.Configuration(host: host, port: port, username: username, password: password, database: database, tls: tls)
            }
            configuration.options.connectTimeout = .seconds(10)
            return configuration
        }
    }

    static func isIdentifier(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, name.unicodeScalars.count <= 63, !("0"..."9").contains(first) else { return false }
        return name.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }
    }

    /// `url` with its password replaced, for messages.
    static func redacted(_ url: String) -> String {
        guard var components = URLComponents(string: url), components.password != nil else { return url }
        components.password = "***"
        return components.string ?? "postgres://…"
    }
}
