import Foundation

/// The hosts and ports an ``HTTPRequestTool`` may connect to, fixed when the tool is created.
///
/// Each entry is a host name with an optional port:
///
/// | entry                  | allows                                                            |
/// |------------------------|-------------------------------------------------------------------|
/// | `api.example.com`      | that host, on the scheme's default port (80 for http, 443 for https) |
/// | `api.example.com:8080` | that host, on port 8080 only                                      |
/// | `api.example.com:*`    | that host, on any port                                            |
/// | `*.example.com`        | any subdomain at any depth (`a.example.com`, `a.b.example.com`), not `example.com` itself |
/// | `[::1]:8080`           | an IPv6 address, in brackets                                      |
///
/// Names compare without regard to case and to a trailing dot. The list matches the host name
/// written in the URL, not the address it resolves to: allowing a name trusts its DNS.
///
/// ```swift
/// let hosts = try HostAllowList(["api.example.com", "*.internal.example.com:8443"])
/// hosts.allows(host: "eu.internal.example.com", port: 8443, scheme: "https")  // true
/// hosts.allows(host: "example.com", port: 443, scheme: "https")               // false
/// ```
public struct HostAllowList: Sendable, Hashable, CustomStringConvertible {
    /// One entry of the list.
    public struct Entry: Sendable, Hashable, CustomStringConvertible {
        /// Which host names an entry matches.
        public enum Host: Sendable, Hashable {
            /// Exactly this name (lowercase, no trailing dot).
            case exact(String)
            /// Any name that ends in `.` and this domain.
            case subdomains(of: String)
        }

        /// Which ports an entry allows.
        public enum Ports: Sendable, Hashable {
            /// The default port of the URL's scheme: 80 for http, 443 for https.
            case schemeDefault
            /// This port only.
            case only(Int)
            /// Any port.
            case any
        }

        public var host: Host
        public var ports: Ports

        /// Parses an entry such as `api.example.com`, `*.example.com:8080` or `localhost:*`.
        ///
        /// - Throws: ``HTTPToolError/invalidAllowListEntry(_:reason:)`` for an entry that is not a
        ///   host name with an optional `:port` or `:*`.
        public init(_ text: String) throws(HTTPToolError) {
            func invalid(_ reason: String) -> HTTPToolError { .invalidAllowListEntry(text, reason: reason) }
            var name = Substring(text.trimmingCharacters(in: .whitespacesAndNewlines).lowercased())
            var portText: Substring?
            if name.hasPrefix("[") {
                guard let close = name.firstIndex(of: "]") else { throw invalid("an IPv6 address needs a closing ']'") }
                let rest = name[name.index(after: close)...]
                if !rest.isEmpty {
                    guard rest.hasPrefix(":") else { throw invalid("expected ':port' after the IPv6 address") }
                    portText = rest.dropFirst()
                }
                name = name[name.index(after: name.startIndex)..<close]
            } else if name.filter({ $0 == ":" }).count > 1 {
                throw invalid("write an IPv6 address in brackets, as [::1]")
            } else if let colon = name.lastIndex(of: ":") {
                portText = name[name.index(after: colon)...]
                name = name[..<colon]
            }
            switch portText {
            case nil: ports = .schemeDefault
            case "*": ports = .any
            case let digits?:
                guard let port = Int(digits), (1...65_535).contains(port) else { throw invalid("'\(digits)' is not a port from 1 to 65535 or '*'") }
                ports = .only(port)
            }
            let wildcard = name.hasPrefix("*.")
            let domain = HostAllowList.normalize(String(wildcard ? name.dropFirst(2) : name))
            guard !domain.isEmpty else { throw invalid("the host name is empty") }
            guard !domain.contains(where: { "*/@?#% \t".contains($0) }) else {
                throw invalid("a host name has no '*' (except a leading '*.'), '/', '@', '?', '#', '%' or spaces")
            }
            host = wildcard ? .subdomains(of: domain) : .exact(domain)
        }

        /// Whether this entry allows `host` (already normalized) on `port`.
        func allows(host name: String, port: Int, defaultPort: Int) -> Bool {
            let hostMatches: Bool
            switch host {
            case let .exact(exact): hostMatches = name == exact
            case let .subdomains(domain): hostMatches = name.count > domain.count + 1 && name.hasSuffix("." + domain)
            }
            guard hostMatches else { return false }
            switch ports {
            case .schemeDefault: return port == defaultPort
            case let .only(allowed): return port == allowed
            case .any: return true
            }
        }

        public var description: String {
            let name: String
            switch host {
            case let .exact(exact): name = exact.contains(":") ? "[\(exact)]" : exact
            case let .subdomains(domain): name = "*.\(domain)"
            }
            switch ports {
            case .schemeDefault: return name
            case let .only(port): return "\(name):\(port)"
            case .any: return "\(name):*"
            }
        }
    }

    /// The entries, in the order given.
    public let entries: [Entry]

    /// Parses every entry; an empty list allows nothing.
    ///
    /// - Throws: ``HTTPToolError/invalidAllowListEntry(_:reason:)`` for the first malformed entry.
    public init(_ entries: [String]) throws(HTTPToolError) {
        var parsed: [Entry] = []
        for entry in entries { parsed.append(try Entry(entry)) }
        self.entries = parsed
    }

    /// Whether a URL with this host, port and scheme (`http` or `https`) may be requested.
    public func allows(host: String, port: Int, scheme: String) -> Bool {
        let name = HostAllowList.normalize(host)
        let defaultPort = scheme.lowercased() == "https" ? 443 : 80
        return entries.contains { $0.allows(host: name, port: port, defaultPort: defaultPort) }
    }

    public var description: String {
        entries.isEmpty ? "(no hosts)" : entries.map(\.description).joined(separator: ", ")
    }

    /// Lowercase, without IPv6 brackets or a trailing dot.
    static func normalize(_ host: String) -> String {
        var name = host.lowercased()
        if name.hasPrefix("["), name.hasSuffix("]") { name = String(name.dropFirst().dropLast()) }
        if name.hasSuffix(".") { name.removeLast() }
        return name
    }
}
