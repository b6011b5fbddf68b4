import ImageBuilderKit
import ImageBuilderTestSupport
import Testing

/// Issue 17's planning rules: the vTPM's steps and their order, the per-firmware boot command,
/// the seed over packer's HTTP server, and the values refused before anything starts.
@Suite struct HardwarePlanningTests {
    func planned(_ os: String, family: Family = .vsphere, _ json: String) throws -> (BuildPlan, ResolvedVariables) {
        let work = try Fixtures.makeTemporaryDirectory()
        try Fixtures.write(json, to: work + "/v.json")
        let environment = RunEnvironment(variables: ["IB_ROOT": Fixtures.repoRoot, "PACKER_VAR_FILES": "v.json"], workingDirectory: work)
        return try Planner(environment: environment, varFileOptions: []).plan(Target(family: family, os: os), verb: .build)
    }

    @Test func aVTPMIsRemovedForTheExportAndAddedAgainBeforeTheTemplate() throws {
        let (plan, _) = try planned("debian-12", #"{"firmware": "efi", "vtpm": "true", "convert_to_template": "true"}"#)
        #expect(
            plan.afterPacker == [.removeInstallMedia, .addVTPM, .removeVTPMForExport, .exportOVA, .restoreVTPM, .convertToTemplate])
        let (destroyed, _) = try planned("ubuntu-2404", #"{"firmware": "efi-secure", "vtpm": "true", "destroy": "true"}"#)
        #expect(destroyed.afterPacker == [.removeInstallMedia, .enableSecureBoot, .addVTPM, .removeVTPMForExport, .exportOVA, .destroyVM])
        let (base, _) = try planned("ubuntu-2404-efi", family: .vsphereBase, #"{"vtpm": "true"}"#)
        #expect(base.afterPacker == [.removeInstallMedia, .addVTPM, .convertToTemplate])
        let (none, _) = try planned("ubuntu-2404", #"{"convert_to_template": "true"}"#)
        #expect(none.afterPacker == [.removeInstallMedia, .convertToTemplate, .exportOVA])
    }

    @Test func debianBootsWithTheCommandOfItsFirmwareAndItsSeedOverHTTP() throws {
        let (bios, biosVars) = try planned("debian-13", "{}")
        #expect(biosVars.value("boot_command_prefix").hasPrefix("<esc><wait>auto preseed/url=http://{{ .HTTPIP }}"))
        #expect(bios.environment.values["IB_HTTP_DIR"] == bios.workDirectory + "/cidata")
        #expect(bios.seed?.files == ["preseed.cfg"])
        let (efi, efiVars) = try planned("debian-13", #"{"firmware": "efi"}"#)
        #expect(efiVars.value("boot_command_prefix").hasPrefix("c<wait>linux /install.amd/vmlinuz auto=true"))
        #expect(efi.packer.arguments.contains { $0.hasPrefix("boot_command_prefix=c<wait>linux") })
        // A user's own boot command wins over the OS file's per-firmware one.
        let (_, mine) = try planned("debian-13", #"{"firmware": "efi", "boot_command_prefix": "<mine>"}"#)
        #expect(mine.value("boot_command_prefix") == "<mine>")
        // A CD-delivered seed starts no HTTP server.
        let (ubuntu, _) = try planned("ubuntu-2404", "{}")
        #expect(ubuntu.environment.values["IB_HTTP_DIR"] == "")
    }

    @Test(arguments: [
        (#"{"vmx_version": "9"}"#, "vmx_version"), (#"{"vmx_version": "v19"}"#, "vmx_version"),
        (#"{"cloudinit_datasources": "NoCloud,VMware"}"#, "cloudinit_datasources"),
        (#"{"cloudinit_datasources": "VMware,,None"}"#, "cloudinit_datasources"), (#"{"vtpm": "yes"}"#, "vtpm"),
        (#"{"vtpm": "true"}"#, "vtpm"), (#"{"ib_seed_delivery": "floppy"}"#, "ib_seed_delivery"),
    ])
    func badHardwareValuesAreRefusedNamingFileAndKey(json: String, key: String) throws {
        #expect {
            _ = try planned("ubuntu-2404", json)
        } throws: { error in
            guard case .invalidValue(let source, let named, _, _) = error as? ConfigError else { return false }
            return named == key && source.contains("v.json:1")
        }
    }

    @Test func everyLinuxOSButFlatcarSetsAVMwareFirstDatasourceList() throws {
        let catalog = try Catalog.load(RepoLayout(root: Fixtures.repoRoot), loader: VarFileLoader())
        for os in catalog.systems where !os.isWindows && os.name != "flatcar" {
            let (_, vars) = try planned(os.name, "{}")
            #expect(vars.value("cloudinit_datasources").hasPrefix("VMware,"), "\(os.name)")
            if case .varFile(_, let role, _)? = vars.effective("cloudinit_datasources")?.source {
                #expect(role == .os, "\(os.name)")
            } else {
                Issue.record("\(os.name): cloudinit_datasources is not from its OS file")
            }
        }
    }
}
