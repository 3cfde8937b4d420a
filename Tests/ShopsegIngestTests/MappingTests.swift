import XCTest
@testable import ShopsegIngest

/// Mapping files (YAML) and row mapping: fields, constants, event types, derived amount, errors.
final class MappingTests: XCTestCase {
    private func mapping(_ yaml: String) throws -> SourceMapping {
        try SourceMapping.parse(yaml: yaml, origin: "m.yaml")
    }

    private func read(_ text: String, _ mapping: SourceMapping, _ target: LoadTarget = .events) throws -> [ParsedRecord] {
        var reader = try SourceFileReader(bytes: Array(text.utf8), name: "data.csv", mapping: mapping, target: target)
        var out: [ParsedRecord] = []
        while let r = reader.next() { out.append(r) }
        return out
    }

    private func event(_ record: ParsedRecord?) -> EventRow? {
        if case .accepted(_, .event(let e))? = record { return e }
        XCTFail("not an accepted event: \(String(describing: record))")
        return nil
    }

    private func reason(_ record: ParsedRecord?) -> String? {
        if case .rejected(_, _, let reason)? = record { return reason }
        XCTFail("not a reject: \(String(describing: record))")
        return nil
    }

    private func assertBadMapping(_ yaml: String, contains text: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try mapping(yaml), file: file, line: line) { error in
            guard case .badMapping(let f, let message)? = error as? IngestError else {
                return XCTFail("\(error)", file: file, line: line)
            }
            XCTAssertEqual(f, "m.yaml", file: file, line: line)
            XCTAssertTrue(message.contains(text), "\(message)", file: file, line: line)
        }
    }

    static let retailYAML = """
    format: csv
    delimiter: comma
    header: true
    timezone: Europe/London
    fields:
      user_id: CustomerID
      order_id: InvoiceNo
      item_id: StockCode
      quantity: Quantity
      unit_price: UnitPrice
      occurred_at: { column: InvoiceDate, format: "M/d/yyyy H:mm" }
      event_type: { column: InvoiceNo, prefixes: { C: return }, values: { X1: view }, default: purchase }
    """

    func testParsesAMappingFile() throws {
        let m = try mapping(Self.retailYAML)
        XCTAssertEqual(m.format, .csv)
        XCTAssertEqual(m.delimiter, .comma)
        XCTAssertTrue(m.hasHeader)
        XCTAssertEqual(m.timezone, "Europe/London")
        XCTAssertEqual(m.fields["user_id"], FieldMapping(column: "CustomerID"))
        XCTAssertEqual(m.fields["occurred_at"]?.format, .pattern("M/d/yyyy H:mm"))
        XCTAssertEqual(m.fields["event_type"]?.prefixes, [PrefixRule(prefix: "C", value: "return")])
        XCTAssertEqual(m.fields["event_type"]?.values, ["X1": "view"])
        XCTAssertEqual(m.fields["event_type"]?.defaultValue, "purchase")
    }

    func testRetailRowsPrefixesDefaultsAndDerivedAmount() throws {
        let text = """
        InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country
        536365,85123A,"WHITE HANGING HEART T-LIGHT HOLDER",6,12/1/2010 8:26,2.55,17850,United Kingdom
        C536379,D,Discount,-1,6/1/2011 9:41,27.50,14527,United Kingdom
        X1,POST,POSTAGE,3,6/1/2011 9:41,,14527,United Kingdom
        536370,22728,"ALARM CLOCK, PINK",24,12/1/2010 8:45,3.75,,France
        """
        let records = try read(text, try mapping(Self.retailYAML))
        XCTAssertEqual(records.count, 4)
        XCTAssertEqual(event(records[0]), EventRow(userId: "17850", eventType: .purchase, occurredAt: 1_291_191_960,
                                                   itemId: "85123A", orderId: "536365", quantity: 6, unitPrice: 2.55, amount: 15.3))
        let cancelled = event(records[1])
        XCTAssertEqual(cancelled?.eventType, .return)
        XCTAssertEqual(cancelled?.amount, -27.5)
        XCTAssertEqual(cancelled.map { UTCTime.iso8601($0.occurredAt) }, "2011-06-01T08:41:00Z")  // BST
        let noPrice = event(records[2])
        XCTAssertEqual(noPrice?.eventType, .view)
        XCTAssertNil(noPrice?.unitPrice)
        XCTAssertNil(noPrice?.amount)
        XCTAssertEqual(reason(records[3]), "user_id (column 'CustomerID'): empty — every event needs a user")
    }

    func testCDNOWStyleWhitespaceFileWithConstantsKeepsIdsAsText() throws {
        let m = try mapping("""
        delimiter: whitespace
        fields:
          user_id: customer_id
          occurred_at: { column: date, format: yyyyMMdd }
          quantity: number_of_cds
          amount: dollar_value
        constants:
          event_type: purchase
        """)
        let text = " customer_id  date number_of_cds  dollar_value\r\n 00001 19970101  1   11.77\r\n 00001 19970101  1   11.77\r\n 00002 19970112  5   0.00\r\n"
        let records = try read(text, m)
        let row = EventRow(userId: "00001", eventType: .purchase, occurredAt: 852_076_800, quantity: 1, amount: 11.77)
        // Exact repeats are separate purchases: both kept.
        XCTAssertEqual(records[0], .accepted(line: 2, row: .event(row)))
        XCTAssertEqual(records[1], .accepted(line: 3, row: .event(row)))
        XCTAssertEqual(event(records[2])?.amount, 0)
        XCTAssertNil(event(records[2])?.unitPrice)
    }

    func testHeaderlessByColumnsAndByPosition() throws {
        let text = " 00004 0001 19970101  2   29.33\n 00004 0001 19970118\n"
        let named = try mapping("""
        delimiter: whitespace
        header: false
        columns: [master_id, sample_id, date, cds, dollars]
        fields: { user_id: master_id, occurred_at: { column: date, format: yyyyMMdd }, amount: dollars }
        constants: { event_type: purchase }
        """)
        var records = try read(text, named)
        XCTAssertEqual(event(records[0])?.userId, "00004")
        XCTAssertEqual(event(records[0])?.amount, 29.33)
        XCTAssertEqual(records[1], .rejected(line: 2, rawText: " 00004 0001 19970118", reason: "expected 5 fields, found 3"))

        let positional = try mapping("""
        delimiter: whitespace
        header: false
        fields: { user_id: "2", occurred_at: { column: 3, format: yyyyMMdd }, amount: "5" }
        constants: { event_type: purchase }
        """)
        records = try read(text, positional)
        XCTAssertEqual(event(records[0])?.userId, "0001")
        XCTAssertEqual(reason(records[1]), "expected at least 5 fields, found 3")
    }

    func testEventTypeRules() throws {
        let m = try mapping("""
        fields:
          user_id: u
          occurred_at: t
          event_type: { column: kind, values: { AddToCart: cart, cancel: return }, prefixes: { "R": rating, "RET": return } }
        """)
        let text = "u,t,kind\n1,2024-01-01,AddToCart\n1,2024-01-01,view\n1,2024-01-01,RETURNED\n1,2024-01-01,Review\n1,2024-01-01,click\n1,2024-01-01,\n"
        let records = try read(text, m)
        XCTAssertEqual(records.prefix(4).map { event($0)?.eventType }, [.cart, .view, .return, .rating])
        XCTAssertEqual(reason(records[4]), "event_type (column 'kind'): 'click' is not one of view, cart, purchase, return, rating")
        XCTAssertEqual(reason(records[5]), "event_type (column 'kind'): empty — every event needs a type")
    }

    func testNumbersArePlainDecimalsOnly() throws {
        let m = try mapping("fields: { user_id: u, occurred_at: t, quantity: q, amount: a }\nconstants: { event_type: view }")
        var text = "u,t,q,a\n"
        for bad in ["1,5", "1e3", "nan", "£5", "1 000", "-", "."] { text += "1,2024-01-01,1,\"\(bad)\"\n" }
        text += "1,2024-01-01, -2 ,+.5\n"
        let records = try read(text, m)
        XCTAssertEqual(reason(records[0]), "amount (column 'a'): expected a number, got '1,5'")
        XCTAssertEqual(reason(records[1]), "amount (column 'a'): expected a number, got '1e3'")
        XCTAssertEqual(records.dropLast().compactMap(reason).count, 7)
        XCTAssertEqual(event(records.last)?.quantity, -2)
        XCTAssertEqual(event(records.last)?.amount, 0.5)
    }

    func testCanonicalMappingWithOptionalColumnsAbsent() throws {
        let events = SourceMapping.canonical(target: .events, format: .csv, delimiter: .semicolon)
        let records = try read("user_id;event_type;occurred_at;amount\n7;purchase;2024-03-01T10:00:00Z;9.90\n", events)
        XCTAssertEqual(records, [.accepted(line: 2, row: .event(EventRow(userId: "7", eventType: .purchase,
                                                                         occurredAt: 1_709_287_200, amount: 9.9)))])
        let users = SourceMapping.canonical(target: .users, format: .csv, delimiter: .comma)
        XCTAssertEqual(try read("user_id,birth_date,country\n00042,1980-02-29,FR\n7,1981-02-29,\n", users, .users), [
            .accepted(line: 2, row: .user(UserRow(userId: "00042", birthDate: "1980-02-29", country: "FR"))),
            .rejected(line: 3, rawText: "7,1981-02-29,",
                      reason: "birth_date (column 'birth_date'): expected yyyy-MM-dd, got '1981-02-29' (no such date)"),
        ])
        let items = SourceMapping.canonical(target: .items, format: .csv, delimiter: .tab)
        XCTAssertEqual(try read("item_id\tname\tprice\nA-1\tMug\t4.5\n", items, .items),
                       [.accepted(line: 2, row: .item(ItemRow(itemId: "A-1", name: "Mug", price: 4.5)))])
    }

    func testMissingColumnNamesFileColumnAndAvailableColumns() throws {
        let m = try mapping("fields: { user_id: customer_id, occurred_at: date }\nconstants: { event_type: purchase }")
        XCTAssertThrowsError(try read("cust,date\n1,2024-01-01\n", m)) { error in
            XCTAssertEqual(error as? IngestError,
                           .missingColumn(file: "data.csv", column: "customer_id", field: "user_id", available: ["cust", "date"]))
            XCTAssertEqual("\(error)", "data.csv: line 1: column 'customer_id' (mapped to user_id) is not in the header; "
                + "columns available: 'cust', 'date'")
        }
        let canonical = SourceMapping.canonical(target: .events, format: .csv, delimiter: .comma)
        XCTAssertThrowsError(try read("user_id,occurred_at\n1,2024-01-01\n", canonical)) { error in
            guard case .missingColumn(_, "event_type", "event_type", _)? = error as? IngestError else { return XCTFail("\(error)") }
            // No mapping file: the message does not speak of one.
            XCTAssertTrue("\(error)".hasPrefix("data.csv: line 1: required column 'event_type' is not in the header"), "\(error)")
        }
        // CR-only line endings: the whole file is one header record; the message says so.
        for text in ["user_id,event_type,occurred_at\ru1,view,2024-01-01\r",          // a field then looks missing
                     "user_id,event_type,occurred_at,item_id\ru1,view,2024-01-01,i\r"] {  // or nothing does
            XCTAssertThrowsError(try read(text, canonical)) { error in
                XCTAssertTrue("\(error)".contains("seems to end its lines with CR only"), "\(error)")
            }
        }
    }

    func testUTF16FilesAreRefusedWithAConversionHint() throws {
        let canonical = SourceMapping.canonical(target: .events, format: .csv, delimiter: .comma)
        for bom in [[0xFF, 0xFE], [0xFE, 0xFF]] as [[UInt8]] {
            let text = Array("user_id,event_type,occurred_at\nu1,view,2024-01-01\n".utf16)
            let body = text.flatMap { bom[0] == 0xFF ? [UInt8($0 & 0xFF), UInt8($0 >> 8)] : [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
            XCTAssertThrowsError(try SourceFileReader(bytes: bom + body, name: "u16.csv", mapping: canonical, target: .events)) { error in
                guard case .unreadable(_, let message)? = error as? IngestError else { return XCTFail("\(error)") }
                XCTAssertTrue(message.contains("UTF-16") && message.contains("iconv -f UTF-16 -t UTF-8"), message)
            }
        }
    }

    func testMappingErrorsAreThrownBeforeData() {
        assertBadMapping("fields: [a, b", contains: "not valid YAML")
        assertBadMapping("- a\n- b", contains: "expected a YAML mapping")
        assertBadMapping("fields: { user: a }", contains: "line 1: unknown canonical field 'user'")
        assertBadMapping("feilds: { user_id: a }", contains: "unknown key 'feilds'")
        assertBadMapping("fields:\n  occurred_at: { column: d, format: yy-MM-dd }", contains: "line 2: occurred_at: format 'yy-MM-dd': unknown token 'yy'")
        assertBadMapping("timezone: Europe/Londn", contains: "unknown time zone 'Europe/Londn'")
        assertBadMapping("delimiter: colon", contains: "delimiter: expected comma, tab, semicolon, pipe or whitespace")
        assertBadMapping("target: events\nfields: { user_id: u, occurred_at: t }", contains: "required field 'event_type' is not mapped")
        assertBadMapping("target: events\nfields: { user_id: u, occurred_at: t, amount: { column: a, format: unix } }\nconstants: { event_type: view }",
                         contains: "amount: format applies only to")
        assertBadMapping("target: events\nfields: { user_id: u, occurred_at: t, event_type: { column: k, default: click } }",
                         contains: "event_type: 'click' is not one of view, cart, purchase, return, rating")
    }

    func testTargetChecksHappenWhenTheReaderOpens() throws {
        let m = try mapping("fields: { user_id: u, name: n }")
        XCTAssertThrowsError(try read("u,n\n1,x\n", m, .events)) { error in
            XCTAssertEqual(error as? IngestError,
                           .badMapping(file: "m.yaml", message: "'name' is not a field of events (fields: user_id, event_type, occurred_at, "
                                + "item_id, category, order_id, quantity, unit_price, amount, rating, review_text, session_id)"))
        }
        let constantBad = try mapping("fields: { user_id: u, occurred_at: t }\nconstants: { event_type: click }")
        XCTAssertThrowsError(try read("u,t\n1,2024-01-01\n", constantBad)) { error in
            XCTAssertEqual(error as? IngestError, .badMapping(file: "m.yaml", message:
                "constants: event_type (constant): 'click' is not one of view, cart, purchase, return, rating"))
        }
    }

    func testNaiveTimesUseTheMappingZoneAndAFieldMayOverrideIt() throws {
        let m = try mapping("""
        timezone: America/New_York
        fields:
          user_id: u
          occurred_at: t
          signup_at: { column: s, timezone: Europe/London }
        """)
        let users = try mapping("timezone: America/New_York\nfields: { user_id: u, signup_at: { column: s, timezone: Europe/London } }")
        XCTAssertThrowsError(try read("u,t,s\n1,2011-07-01T12:00,x\n", m))   // signup_at is not an event field
        let records = try read("u,s\n1,2011-07-01T12:00\n2,1311\n", users, .users)
        guard case .accepted(_, .user(let row))? = records.first else { return XCTFail("\(records)") }
        XCTAssertEqual(row.signupAt.map(UTCTime.iso8601), "2011-07-01T11:00:00Z")
        XCTAssertEqual(reason(records.last), "signup_at (column 's'): expected an ISO-8601 date or date-time, got '1311'")
    }

    func testValuesAreTrimmedAndExtraFieldsRejected() throws {
        let m = SourceMapping.canonical(target: .events, format: .csv, delimiter: .comma)
        let records = try read("user_id,event_type,occurred_at\n  u1 , view ,2024-01-01 \nu2,view,2024-01-01,extra\n", m)
        XCTAssertEqual(event(records[0])?.userId, "u1")
        XCTAssertEqual(reason(records[1]), "expected 3 fields, found 4")
    }

    /// Quoted fields reach the mapper as their text: escaped quotes removed, then trimmed and
    /// converted like any value (the mapper reads unescaped fields as bytes in the window).
    func testQuotedAndEscapedFieldsMapAsTheirText() throws {
        let m = SourceMapping.canonical(target: .events, format: .csv, delimiter: .comma)
        let text = "user_id,event_type,occurred_at,quantity,review_text\r\n"
            + "\" u1 \",\"view\",\"2024-01-01T10:00:00+01:00\",\" 2.50\",\"say \"\"hi\"\", twice\r\nnext line\"\r\n"
            + "u2,\"cart\"x,2024-01-01,\"1\"\"\",\"\"\r\n"
            + "u3,\"vi\"\"ew\",2024-01-01,,\r\n"
        let records = try read(text, m)
        let first = event(records[0])
        XCTAssertEqual(first?.userId, "u1")
        XCTAssertEqual(first.map { UTCTime.iso8601($0.occurredAt) }, "2024-01-01T09:00:00Z")
        XCTAssertEqual(first?.quantity, 2.5)
        XCTAssertEqual(first?.reviewText, "say \"hi\", twice\r\nnext line")
        XCTAssertEqual(reason(records[1]), "event_type (column 'event_type'): 'cartx' is not one of view, cart, purchase, return, rating")
        XCTAssertEqual(reason(records[2]), "event_type (column 'event_type'): 'vi\"ew' is not one of view, cart, purchase, return, rating")
    }

    func testAColumnNamedTwiceInTheHeaderIsAmbiguous() {
        let csv = Array("user_id,event_type,occurred_at,user_id\nu1,view,2024-01-01T00:00:00Z,x\n".utf8)
        XCTAssertThrowsError(try SourceFileReader(bytes: csv, name: "dup.csv",
                                                  mapping: .canonical(target: .events, format: .csv, delimiter: .comma), target: .events)) { error in
            XCTAssertEqual(error as? IngestError, .ambiguousColumn(file: "dup.csv", column: "user_id", positions: [1, 4]))
        }
    }

    func testAnEventsFileLoadedAsUsersWithoutMappingIsRefused() {
        let csv = Array("user_id,event_type,occurred_at\nu1,view,2024-01-01T00:00:00Z\n".utf8)
        XCTAssertThrowsError(try SourceFileReader(bytes: csv, name: "events.csv",
                                                  mapping: .canonical(target: .users, format: .csv, delimiter: .comma), target: .users)) { error in
            guard case let .noFieldsForTarget(_, target, _, header)? = error as? IngestError else { return XCTFail("\(error)") }
            XCTAssertEqual(target, "users")
            XCTAssertEqual(header, ["user_id", "event_type", "occurred_at"])
        }
        // One users column is enough.
        XCTAssertNoThrow(try SourceFileReader(bytes: Array("user_id,country\nu1,GB\n".utf8), name: "u.csv",
                                              mapping: .canonical(target: .users, format: .csv, delimiter: .comma), target: .users))
    }
}
