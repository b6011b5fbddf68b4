public import ImageBuilderBasics
import VSphereKit

extension VSphereBuildSteps {
    /// vCenter's view of a stalled build's VM: guest state, recent events and a console
    /// screenshot written to `screenshotFile`. What cannot be had is noted, never thrown.
    package func diagnose(_ diagnosis: inout StallDiagnosis, screenshotFile: String, display: String) async {
        let vm: ManagedObjectReference
        do {
            guard let found = try await client.findVM(vmName) else {
                diagnosis.problems.append("no VM named \(vmName) on vCenter \(client.host)")
                return
            }
            vm = found
        } catch {
            diagnosis.problems.append("vCenter: \(error)")
            return
        }
        do { diagnosis.guest = try await client.guestState(vm) } catch { diagnosis.problems.append("guest state: \(error)") }
        do { diagnosis.events = try await client.recentEvents(vm) } catch { diagnosis.problems.append("events: \(error)") }
        do {
            let path = try await client.createScreenshot(vm)
            let datacenter = try await client.datacenterName(of: vm)
            let png = try await client.readDatastoreFile(path, datacenter: datacenter, limit: 32 << 20)
            try FileWriter.write(png, to: screenshotFile, mode: 0o644)
            diagnosis.screenshot = display
        } catch let error where ["NotImplemented", "MethodNotFound", "NotSupported"].contains((error as? VSphereError)?.faultType ?? "") {
            diagnosis.screenshotNote = "no screenshot: not supported by vCenter"
        } catch {
            diagnosis.screenshotNote = "no screenshot: \(error)"
        }
    }
}

extension VSphereBuildSteps {
    /// A sign of the guest's work packer does not print: the VM's committed storage (its disk
    /// grows while an installer writes it). nil when it cannot be read.
    package func progressToken() async -> String? {
        guard let vm = try? await client.findVM(vmName),
            let values = try? await client.properties(of: vm, ["summary.storage.committed"])
        else { return nil }
        return values["summary.storage.committed"]?.string ?? values["summary.storage.committed"]?.node?.text
    }
}
