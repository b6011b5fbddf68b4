import ImageBuilderKit
import ImageBuilderTestSupport
import Testing

/// docs/architecture.md's module table is the layering: every `import` of one of our modules
/// in Sources/ is listed there, and the graph it draws has no cycle.
@Suite struct ArchitectureTests {
    /// Module → the modules of ours the table says it imports.
    static func documented() throws -> [String: Set<String>] {
        let text = try #require(Fixtures.read(Fixtures.repoRoot + "/docs/architecture.md"))
        var table: [String: Set<String>] = [:]
        for line in text.split(separator: "\n") where line.hasPrefix("| ") {
            let cells = line.split(separator: "|").map { $0.trimmingCharacters() }
            guard cells.count >= 3, FileReader.isDirectory(Fixtures.repoRoot + "/Sources/" + cells[0]) else { continue }
            table[cells[0]] = Set(cells[1].split(separator: ",").map { $0.trimmingCharacters() }.filter { $0 != "—" })
        }
        return table
    }

    /// Module → the modules of ours its sources import.
    static func actual(_ modules: Set<String>) -> [String: Set<String>] {
        var imports: [String: Set<String>] = [:]
        for module in modules {
            var found = Set<String>()
            for file in Fixtures.swiftFiles(under: Fixtures.repoRoot + "/Sources/" + module) {
                for line in (Fixtures.read(file) ?? "").split(separator: "\n") {
                    let words = line.split(separator: " ")
                    guard let index = words.firstIndex(of: "import"), index + 1 < words.count else { continue }
                    let name = String(words[index + 1])
                    if modules.contains(name) { found.insert(name) }
                }
            }
            imports[module] = found
        }
        return imports
    }

    @Test("every module of Sources is in the table, and imports only what the table lists")
    func importsFollowTheTable() throws {
        let table = try Self.documented()
        let modules = Set((FileReader.list(Fixtures.repoRoot + "/Sources") ?? []).filter { !$0.hasPrefix(".") })
        #expect(Set(table.keys) == modules)
        // A folder without Swift (CLibCrypto: a module map for the system's OpenSSL) binds a
        // library that is not ours; importing it is importing that library.
        let ours = modules.filter { !Fixtures.swiftFiles(under: Fixtures.repoRoot + "/Sources/" + $0).isEmpty }
        #expect(ours.count == modules.count - 1 && !ours.contains("CLibCrypto"))
        for (module, imports) in Self.actual(ours) {
            #expect(imports.isSubset(of: table[module] ?? []), "\(module) imports \(imports.subtracting(table[module] ?? []).sorted())")
        }
        #expect(table["ImageBuilderBasics"] == [], "the basics are a leaf")
        #expect(table["VSphereKit"] == [] && table["OVAKit"] == [], "the clients import none of ours")
    }

    @Test("the documented graph has no cycle")
    func noCycles() throws {
        let table = try Self.documented()
        var state: [String: Int] = [:]  // 1 visiting, 2 done
        func visit(_ module: String, _ path: [String]) {
            if state[module] == 2 { return }
            if state[module] == 1 {
                Issue.record("cycle: \((path + [module]).joined(separator: " → "))")
                return
            }
            state[module] = 1
            for next in table[module] ?? [] { visit(next, path + [module]) }
            state[module] = 2
        }
        for module in table.keys.sorted() { visit(module, []) }
        #expect(state.count == table.count)
    }
}
