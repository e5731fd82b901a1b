import BatonCore
import Testing

/// The personal-data detectors on the formats they must find, and on look-alikes they must not.
@Suite struct PersonalDataDetectorTests {
    @Test(arguments: [
        "ada@example.com", "first.last+tag@mail.example.co.uk", "o_brien-99@sub-domain.example.org", "José.García@example.es",
        "X@Y.MUSEUM", "user%team@example.io",
    ])
    func emailAddressesAreFound(_ address: String) {
        #expect(detected("Write to \(address).", [.email]) == [address])
        #expect(detected("<\(address)>", [.email]) == [address])
    }

    @Test func emailAddressesInContext() {
        #expect(detected("mailto:ada@example.com, then bob@example.org", [.email]) == ["ada@example.com", "bob@example.org"])
        #expect(detected("\"ada@example.com\"", [.email]) == ["ada@example.com"])
        #expect(detected("请联系ada@example.com谢谢", [.email]).count == 1)
    }

    @Test(arguments: [
        "user@localhost", "lodash@4.17.21", "admin@10.0.0.1", "@handle", "a@b.c", "name@", "foo@bar", "user@-example.com",
        "first..last@example.com", ".@example.com", "user@example.c0m", "npm install @scope/pkg@1.0.0",
    ])
    func lookAlikesAreNotEmailAddresses(_ text: String) {
        #expect(detected(text, [.email]).isEmpty, "\(text)")
    }

    @Test(arguments: [
        "+44 20 7946 0958", "+1 (555) 123-4567", "+4915123456789", "+33 6 12 34 56 78", "+81-3-1234-5678", "+44 (0)20 7946 0958",
        "555-123-4567", "(555) 123-4567", "(555)123-4567", "555.123.4567", "555 123 4567", "1 555 123 4567", "1-555-123-4567",
        "020 7946 0958", "06 12 34 56 78", "06.12.34.56.78", "(030) 1234567", "0151 2345 6789",
    ])
    func phoneNumbersAreFound(_ number: String) {
        #expect(detected("Call \(number) today.", [.phone]) == [number])
    }

    @Test func phoneNumbersAmongOtherNumbers() {
        #expect(detected("In 2024 555-123-4567 answered", [.phone]) == ["555-123-4567"])
        #expect(detected("555-123-4567, 555-987-6543", [.phone]) == ["555-123-4567", "555-987-6543"])
    }

    @Test(arguments: [
        "2024-01-15", "15.01.2024", "01/15/2024", "2024-01-15 10:30", "10:30:00", "version 1.2.3", "0.12.1", "192.168.100.200",
        "order A-1001", "order #5551234567", "5551234567", "12345", "3.14159", "123-45-6789", "4111 1111 1111 1111",
        "123e4567-e89b-12d3-a456-426614174000", "9fceb02d0ae598e95dc970b74767f19372d61af8", "ISBN 978-3-16-148410-0",
        "155-123-4567", "1,000,000", "2024-2025", "x555-123-4567", "555-123-4567-89", "0044 0532 0130",
    ])
    func lookAlikesAreNotPhoneNumbers(_ text: String) {
        #expect(detected(text, [.phone]).isEmpty, "\(text)")
    }

    @Test(arguments: [
        "4111 1111 1111 1111", "4111-1111-1111-1111", "4111111111111111", "5555 5555 5555 4444", "2223 0031 2200 3222",
        "3782 822463 10005", "378282246310005", "6011 1111 1111 1117", "3530 1113 3330 0000", "3056 930902 5904",
        "6200 0000 0000 0005", "4222222222222", "6759 6498 2643 8453", "2200 0000 0000 0004",
    ])
    func paymentCardsAreFound(_ number: String) {
        #expect(detected("Card: \(number).", [.paymentCard]) == [number])
    }

    @Test(arguments: [
        "4111 1111 1111 1112", "1234 5678 9012 3456", "0000 0000 0000 0000", "4111 1111-1111 1111", "41111111111111111111",
        "card4111111111111111", "id-4111111111111111", "4111111111111111x", "9fceb02d0ae598e95dc970b74767f19372d61af8",
        "41 11 11 11 11 11 11 11", "3.4111111111111111",
    ])
    func lookAlikesAreNotPaymentCards(_ text: String) {
        #expect(detected(text, [.paymentCard]).isEmpty, "\(text)")
    }

    @Test func paymentCardsSideBySide() {
        #expect(detected("4111 1111 1111 1111 5555 5555 5555 4444", [.paymentCard]) == ["4111 1111 1111 1111", "5555 5555 5555 4444"])
        #expect(detected("12 4111 1111 1111 1111", [.paymentCard]) == ["4111 1111 1111 1111"])
    }

    @Test(arguments: [
        "DE89 3704 0044 0532 0130 00", "DE89370400440532013000", "GB29 NWBK 6016 1331 9268 19", "FR14 2004 1010 0505 0001 3M02 606",
        "NL91 ABNA 0417 1643 00", "ES91 2100 0418 4502 0005 1332", "IT60 X054 2811 1010 0000 0123 456", "CH93 0076 2011 6238 5295 7",
        "BE68 5390 0754 7034", "NO93 8601 1117 947", "MT84 MALT 0110 0001 2345 MTLC AST0 01S", "AT61 1904 3002 3457 3201",
        "PL61 1090 1014 0000 0712 1981 2874", "IE29 AIBK 9311 5212 3456 78", "de89 3704 0044 0532 0130 00",
    ])
    func ibansAreFound(_ iban: String) {
        #expect(detected("IBAN: \(iban), thanks", [.iban]) == [iban])
    }

    @Test(arguments: [
        "DE89 3704 0044 0532 0130 01", "DE89 3704 0044 0532 0130", "XX89 3704 0044 0532 0130 00", "DE89 3704 0044 0532 0130 000",
        "DE89 37040044 0532013000", "ADE89370400440532013000", "DE8937040044053201300",
    ])
    func lookAlikesAreNotIBANs(_ text: String) {
        #expect(detected(text, [.iban]).isEmpty, "\(text)")
    }

    @Test func socialSecurityNumbersOutsideTheUnissuedRanges() {
        for number in ["123-45-6789", "078-05-1121", "123 45 6789", "899-99-9999"] {
            #expect(detected("SSN \(number).", [.usSSN]) == [number], "\(number)")
        }
        for number in ["000-12-3456", "666-12-3456", "900-12-3456", "123-00-6789", "123-45-0000", "078-05-1120", "219-09-9999",
                       "123456789", "123-45-67890", "1234-56-789", "123.45.6789", "123-45 6789", "A123-45-6789"] {
            #expect(detected("SSN \(number).", [.usSSN]).isEmpty, "\(number)")
        }
    }

    @Test func nationalInsuranceNumbers() {
        for number in ["AB123456C", "AB 12 34 56 C", "JG103786A", "ZY 98 76 54 D"] {
            #expect(detected("NI \(number).", [.ukNINO]) == [number], "\(number)")
        }
        for number in ["QQ123456C", "BG123456A", "GB123456A", "AB123456E", "ab123456c", "AB12345C", "DA123456A", "AO123456A", "AB1234567C"] {
            #expect(detected("NI \(number).", [.ukNINO]).isEmpty, "\(number)")
        }
    }

    @Test func spanishDNIAndNIE() {
        for number in ["12345678Z", "12345678-Z", "X1234567L", "12345678z"] {
            #expect(detected("DNI \(number).", [.esDNI]) == [number], "\(number)")
        }
        for number in ["12345678A", "X1234567A", "1234567Z", "123456789Z", "A12345678Z"] {
            #expect(detected("DNI \(number).", [.esDNI]).isEmpty, "\(number)")
        }
    }

    @Test func italianCodiceFiscale() {
        for code in ["RSSMRA85T10A562S", "rssmra85t10a562s"] {
            #expect(detected("CF \(code).", [.itCodiceFiscale]) == [code], "\(code)")
        }
        for code in ["RSSMRA85T10A562A", "RSSMRA85Z10A562S", "RSSMRA85T10A562SX", "RSSMRA8"] {
            #expect(detected("CF \(code).", [.itCodiceFiscale]).isEmpty, "\(code)")
        }
    }

    @Test func ordinaryProseTripsNothing() {
        let prose = """
            On 2024-01-15 at 10:30 the customer (order A-1001, ticket #4521) wrote: "Version 1.2.3 of the app crashes \
            when I pay 42.50 EUR; my colleague at the London office says build 9fceb02d fixed it." The request id was \
            123e4567-e89b-12d3-a456-426614174000 and the invoice INV-2024-000123 totals 1,234.56.
            """
        #expect(detectedKinds(prose).isEmpty)
    }
}
