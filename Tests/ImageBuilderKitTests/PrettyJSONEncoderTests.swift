import ImageBuilderKit
import Testing

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// `PrettyJSONEncoder` must write exactly what Foundation's encoder writes with the options the
/// CLI prints JSON with.
@Suite struct PrettyJSONEncoderTests {
    static func foundation(_ value: some Encodable) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(value))
    }

    enum Kind: String, Encodable { case a, b }
    enum Stage: String, Encodable, CodingKeyRepresentable, Hashable { case ip, ssh }

    struct Inner: Encodable, Equatable {
        var name = "in/ner"
        var flags: [Bool] = [true, false]
    }

    /// Every container kind, nesting, empty containers, nil and present optionals, every integer
    /// width, doubles, enums, dictionaries with string and enum keys, and keys in an order only
    /// byte-wise sorting gets right.
    struct Everything: Encodable {
        var text = "plain"
        var escapes = String((0..<0x80).map { Character(Unicode.Scalar(UInt8($0))) }) + "é\u{2028}😀"
        var absent: String? = nil
        var present: Int? = 7
        var integers: [Int64] = [Int64.min, -1, 0, Int64.max]
        var small: [Int8] = [-128, 127]
        var unsigned: [UInt64] = [0, UInt64.max]
        var widths: [UInt16] = [65535]
        var doubles: [Double] = [0, 2, 0.1, -1.5, 1e21, 1.5e-7, 123456.789]
        var float: Float = 0.25
        var kinds: [Kind] = [.a, .b]
        var nested: [[Inner]] = [[], [Inner()], [Inner(), Inner(name: "x", flags: [])]]
        var emptyArray: [String] = []
        var emptyObject: [String: Int] = [:]
        var keys = ["a10": 1, "a2": 2, "B": 3, "a": 4, "_z": 5, "é": 6, "Z1": 7, "a b": 8, "": 9]
        var stages: [Stage: Int] = [.ip: 1, .ssh: 2]
        var inner: Inner? = Inner()
        var bools = (true, false)

        enum CodingKeys: String, CodingKey {
            case text, escapes, absent, present, integers, small, unsigned, widths, doubles, float, kinds, nested, emptyArray,
                emptyObject, keys, stages, inner, manual, sub
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(text, forKey: .text)
            try container.encode(escapes, forKey: .escapes)
            try container.encodeIfPresent(absent, forKey: .absent)
            try container.encodeIfPresent(present, forKey: .present)
            try container.encode(integers, forKey: .integers)
            try container.encode(small, forKey: .small)
            try container.encode(unsigned, forKey: .unsigned)
            try container.encode(widths, forKey: .widths)
            try container.encode(doubles, forKey: .doubles)
            try container.encode(float, forKey: .float)
            try container.encode(kinds, forKey: .kinds)
            try container.encode(nested, forKey: .nested)
            try container.encode(emptyArray, forKey: .emptyArray)
            try container.encode(emptyObject, forKey: .emptyObject)
            try container.encode(keys, forKey: .keys)
            try container.encode(stages, forKey: .stages)
            try container.encode(inner, forKey: .inner)
            var manual = container.nestedUnkeyedContainer(forKey: .manual)
            try manual.encodeNil()
            try manual.encode(bools.0)
            try manual.encode(UInt8(255))
            var deeper = manual.nestedContainer(keyedBy: CodingKeys.self)
            try deeper.encodeNil(forKey: .absent)
            try deeper.encode(bools.1, forKey: .present)
            var list = manual.nestedUnkeyedContainer()
            try list.encode("x")
            try Inner().encode(to: container.superEncoder(forKey: .sub))
        }
    }

    @Test func writesFoundationsTextForEveryKindOfValue() throws {
        let ours = try PrettyJSONEncoder().encode(Everything())
        let theirs = try Self.foundation(Everything())
        #expect(String(decoding: ours, as: UTF8.self) == String(decoding: theirs, as: UTF8.self))
        #expect(ours.count > 1000)
    }

    @Test func writesFoundationsTextForTopLevelValues() throws {
        #expect(try PrettyJSONEncoder().encode("a/\"b\"") == Self.foundation("a/\"b\""))
        #expect(try PrettyJSONEncoder().encode([String]()) == Self.foundation([String]()))
        #expect(try PrettyJSONEncoder().encode([String: [Int]]()) == Self.foundation([String: [Int]]()))
        #expect(try PrettyJSONEncoder().encode(42) == Self.foundation(42))
        #expect(try PrettyJSONEncoder().encode(Optional<Int>.none) == Self.foundation(Optional<Int>.none))
        #expect(try PrettyJSONEncoder().encode([Inner()]) == Self.foundation([Inner()]))
    }

    @Test func refusesWhatFoundationRefuses() {
        #expect(throws: (any Error).self) { try PrettyJSONEncoder().encode([Double.nan]) }
        #expect(throws: (any Error).self) { try Self.foundation([Double.nan]) }
    }
}
