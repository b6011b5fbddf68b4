/// The `Encoder` behind `PrettyJSONEncoder`: fills one `JSONNode`.
struct JSONNodeEncoder: Encoder {
    let node: JSONNode
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        node.becomeObject()
        return KeyedEncodingContainer(KeyedJSONNodeContainer<Key>(node: node, codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        node.becomeArray()
        return UnkeyedJSONNodeContainer(node: node, codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        SingleJSONNodeContainer(node: node, codingPath: codingPath)
    }

    /// A value's node: strings, booleans and integers written at once, anything else encoded
    /// into a new node.
    static func node(for value: some Encodable, codingPath: [any CodingKey]) throws -> JSONNode {
        switch value {
        case let string as String: return JSONNode.string(string)
        case let bool as Bool: return JSONNode.bool(bool)
        case let int as Int: return JSONNode.integer(int)
        default:
            let child = JSONNode()
            try value.encode(to: JSONNodeEncoder(node: child, codingPath: codingPath))
            return child
        }
    }
}

struct KeyedJSONNodeContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let node: JSONNode
    let codingPath: [any CodingKey]

    mutating func encodeNil(forKey key: Key) throws { node.set(key.stringValue, JSONNode.null) }
    mutating func encode(_ value: String, forKey key: Key) throws { node.set(key.stringValue, JSONNode.string(value)) }
    mutating func encode(_ value: Bool, forKey key: Key) throws { node.set(key.stringValue, JSONNode.bool(value)) }
    mutating func encode(_ value: Int, forKey key: Key) throws { node.set(key.stringValue, JSONNode.integer(value)) }
    mutating func encode(_ value: Double, forKey key: Key) throws { node.set(key.stringValue, try JSONNode.double(value)) }
    mutating func encode(_ value: Float, forKey key: Key) throws { node.set(key.stringValue, try JSONNode.double(Double(value))) }

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        node.set(key.stringValue, try JSONNodeEncoder.node(for: value, codingPath: codingPath + [key]))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key)
        -> KeyedEncodingContainer<NestedKey>
    {
        let child = JSONNode()
        node.set(key.stringValue, child)
        return JSONNodeEncoder(node: child, codingPath: codingPath + [key]).container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        let child = JSONNode()
        node.set(key.stringValue, child)
        return JSONNodeEncoder(node: child, codingPath: codingPath + [key]).unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder { superEncoder(named: "super") }
    mutating func superEncoder(forKey key: Key) -> any Encoder { superEncoder(named: key.stringValue) }

    private func superEncoder(named name: String) -> any Encoder {
        let child = JSONNode()
        node.set(name, child)
        return JSONNodeEncoder(node: child, codingPath: codingPath)
    }
}

struct UnkeyedJSONNodeContainer: UnkeyedEncodingContainer {
    let node: JSONNode
    let codingPath: [any CodingKey]
    var count: Int {
        if case .array(let elements) = node.value { return elements.count }
        return 0
    }

    mutating func encodeNil() throws { node.append(JSONNode.null) }
    mutating func encode(_ value: String) throws { node.append(JSONNode.string(value)) }
    mutating func encode(_ value: Double) throws { node.append(try JSONNode.double(value)) }
    mutating func encode(_ value: Float) throws { node.append(try JSONNode.double(Double(value))) }
    mutating func encode<T: Encodable>(_ value: T) throws {
        node.append(try JSONNodeEncoder.node(for: value, codingPath: codingPath))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        let child = JSONNode()
        node.append(child)
        return JSONNodeEncoder(node: child, codingPath: codingPath).container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let child = JSONNode()
        node.append(child)
        return JSONNodeEncoder(node: child, codingPath: codingPath).unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder {
        let child = JSONNode()
        node.append(child)
        return JSONNodeEncoder(node: child, codingPath: codingPath)
    }
}

struct SingleJSONNodeContainer: SingleValueEncodingContainer {
    let node: JSONNode
    let codingPath: [any CodingKey]

    mutating func encodeNil() throws { become(JSONNode.null) }
    mutating func encode(_ value: String) throws { become(JSONNode.string(value)) }
    mutating func encode(_ value: Bool) throws { become(JSONNode.bool(value)) }
    mutating func encode(_ value: Int) throws { become(JSONNode.integer(value)) }
    mutating func encode(_ value: Int8) throws { become(JSONNode.integer(value)) }
    mutating func encode(_ value: Int16) throws { become(JSONNode.integer(value)) }
    mutating func encode(_ value: Int32) throws { become(JSONNode.integer(value)) }
    mutating func encode(_ value: Int64) throws { become(JSONNode.integer(value)) }
    mutating func encode(_ value: UInt) throws { become(JSONNode.integer(value)) }
    mutating func encode(_ value: UInt8) throws { become(JSONNode.integer(value)) }
    mutating func encode(_ value: UInt16) throws { become(JSONNode.integer(value)) }
    mutating func encode(_ value: UInt32) throws { become(JSONNode.integer(value)) }
    mutating func encode(_ value: UInt64) throws { become(JSONNode.integer(value)) }
    mutating func encode(_ value: Double) throws { become(try JSONNode.double(value)) }
    mutating func encode(_ value: Float) throws { become(try JSONNode.double(Double(value))) }
    mutating func encode<T: Encodable>(_ value: T) throws { become(try JSONNodeEncoder.node(for: value, codingPath: codingPath)) }

    /// The encoder's node takes the value's.
    private func become(_ encoded: JSONNode) { node.value = encoded.value }
}
