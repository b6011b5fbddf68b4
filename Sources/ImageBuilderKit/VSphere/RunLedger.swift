public import ImageBuilderBasics
public import ImageBuilderConfig

/// What a run has on vCenter, written before packer starts and removed when the build has
/// ended cleanly: `output/.runs/<run id>/<target>.json` holds the VM's name, the ids of the VMs
/// of that name that existed before (never touched), and the id of the VM the build created
/// once it appears. A run killed outright leaves its entry; the next run of the same target
/// (holding the target's lock, so the other run is gone) removes that VM by its id.
package struct RunLedger: Sendable {
    package struct Entry: Sendable, Equatable {
        package let target: String
        package let server: String
        package let vmName: String
        package var preexisting: [String]
        package var created: String?
        /// The run that wrote it.
        package let runID: String

        package init(target: String, server: String, vmName: String, preexisting: [String], created: String?, runID: String) {
            self.target = target
            self.server = server
            self.vmName = vmName
            self.preexisting = preexisting
            self.created = created
            self.runID = runID
        }
    }

    package let layout: RepoLayout

    package init(layout: RepoLayout) { self.layout = layout }

    var directory: String { layout.outputDirectory + "/.runs" }

    func path(runID: String, target: String) -> String { directory + "/" + runID + "/" + Paths.safeName(target) + ".json" }

    /// Writes (or rewrites) an entry (0600 in a 0700 folder).
    package func record(_ entry: Entry) throws {
        let path = path(runID: entry.runID, target: entry.target)
        try FileWriter.makeDirectory(Paths.dirname(path), mode: 0o700)
        func quoted(_ text: String) -> String { VarValue.string(text).display }
        let ids = entry.preexisting.map(quoted).joined(separator: ", ")
        let text =
            "{\"target\": \(quoted(entry.target)), \"server\": \(quoted(entry.server)), \"vm\": \(quoted(entry.vmName)), "
            + "\"preexisting\": [\(ids)], \"created\": \(entry.created.map(quoted) ?? "null")}\n"
        try FileWriter.write(text, to: path, mode: 0o600)
    }

    /// Removes an entry (the build ended and cleaned up after itself).
    package func remove(runID: String, target: String) {
        let path = path(runID: runID, target: target)
        _ = try? FileWriter.remove(path)
        if FileReader.list(Paths.dirname(path))?.isEmpty == true { _ = try? FileWriter.remove(Paths.dirname(path)) }
    }

    /// Entries other runs left for `target`.
    package func leftBehind(target: String, except runID: String) -> [Entry] {
        var entries: [Entry] = []
        for run in (FileReader.list(directory) ?? []).sorted() where run != runID {
            let path = path(runID: run, target: target)
            guard case .contents(let bytes, _) = FileReader.read(path, limit: 1 << 20), let json = try? JSONParser.parse(bytes),
                let vm = json["vm"]?.stringValue, let server = json["server"]?.stringValue
            else { continue }
            let preexisting = (json["preexisting"]?.arrayValue ?? []).compactMap(\.stringValue)
            entries.append(
                Entry(
                    target: target, server: server, vmName: vm, preexisting: preexisting,
                    created: json["created"]?.stringValue, runID: run))
        }
        return entries
    }
}
