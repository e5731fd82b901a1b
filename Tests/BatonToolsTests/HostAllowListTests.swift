import BatonTools
import Testing

@Suite struct HostAllowListTests {
    @Test func exactNamesAllowTheSchemeDefaultPortUnlessAPortIsGiven() throws {
        let list = try HostAllowList(["API.example.com.", "localhost:8080", "127.0.0.1:*"])
        #expect(list.allows(host: "api.example.com", port: 443, scheme: "https"))
        #expect(list.allows(host: "api.EXAMPLE.com.", port: 80, scheme: "http"))
        #expect(!list.allows(host: "api.example.com", port: 8443, scheme: "https"))
        #expect(!list.allows(host: "api.example.com", port: 80, scheme: "https"))
        #expect(!list.allows(host: "other.example.com", port: 443, scheme: "https"))
        #expect(list.allows(host: "localhost", port: 8080, scheme: "http"))
        #expect(!list.allows(host: "localhost", port: 80, scheme: "http"))
        #expect(list.allows(host: "127.0.0.1", port: 1, scheme: "http"))
        #expect(list.allows(host: "127.0.0.1", port: 65_535, scheme: "https"))
    }

    @Test func wildcardsMatchSubdomainsButNotTheDomain() throws {
        let list = try HostAllowList(["*.example.com"])
        #expect(list.allows(host: "a.example.com", port: 443, scheme: "https"))
        #expect(list.allows(host: "a.b.example.com", port: 443, scheme: "https"))
        #expect(!list.allows(host: "example.com", port: 443, scheme: "https"))
        #expect(!list.allows(host: "badexample.com", port: 443, scheme: "https"))
        #expect(!list.allows(host: "example.com.evil.net", port: 443, scheme: "https"))
    }

    @Test func ipv6AddressesAreWrittenInBrackets() throws {
        let list = try HostAllowList(["[::1]:8080"])
        #expect(list.allows(host: "::1", port: 8080, scheme: "http"))
        #expect(list.allows(host: "[::1]", port: 8080, scheme: "http"))
        #expect(list.description == "[::1]:8080")
        #expect(throws: HTTPToolError.invalidAllowListEntry("::1", reason: "write an IPv6 address in brackets, as [::1]")) {
            try HostAllowList(["::1"])
        }
    }

    @Test func malformedEntriesAreRefused() {
        for entry in ["", "*", "a.*.com", "host:0", "host:70000", "host:http", "user@host", "host/path", "[::1", "*."] {
            #expect(throws: HTTPToolError.self, "\(entry)") { try HostAllowList([entry]) }
        }
        #expect(throws: HTTPToolError.invalidAllowListEntry("host:0", reason: "'0' is not a port from 1 to 65535 or '*'")) {
            try HostAllowList(["host:0"])
        }
    }

    @Test func anEmptyListAllowsNothing() throws {
        let list = try HostAllowList([])
        #expect(!list.allows(host: "localhost", port: 80, scheme: "http"))
        #expect(list.description == "(no hosts)")
    }
}
