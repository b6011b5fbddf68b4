public import ImageBuilderConfig

/// One step after packer exits, decided at planning (a step whose setting is off is left out
/// of the list). `plan` prints the list; the runner performs exactly it, in order.
package enum AfterPackerStep: String, Sendable, Codable, CaseIterable, Equatable {
    /// packer's `local` post-processor packages the OVA (`image-builder ova package`).
    case packageByPostProcessor = "package-by-post-processor"
    /// CD-ROM drives that hold or would connect install media are removed, so templates (and
    /// what `onevcenter import` and clones see) carry no ISO.
    case removeInstallMedia = "remove-install-media"
    /// `firmware=efi-secure`: Secure Boot on the VM, where the builder left it off.
    case enableSecureBoot = "enable-secure-boot"
    /// `vtpm`: a vTPM is added to the VM (EFI only).
    case addVTPM = "add-vtpm"
    /// `vtpm`: vCenter does not export a VM with a vTPM: it is removed before the export.
    case removeVTPMForExport = "remove-vtpm-for-export"
    /// `vtpm`: after the export the VM (the template to be) gets a vTPM again, a new one.
    case restoreVTPM = "restore-vtpm"
    /// The VM becomes a template (MarkAsTemplate; a base stays one for linked clones).
    case convertToTemplate = "convert-to-template"
    /// Simulator profile: a qemu-img stand-in disk is uploaded over the VM's disk.
    case uploadStandInDisk = "upload-stand-in-disk"
    /// The VM's disks are exported straight into the OVA (.ovf, .mf, .ova, .ova.sha256).
    case exportOVA = "export-ova"
    /// The build VM is destroyed (`destroy` is true).
    case destroyVM = "destroy-vm"

    /// What it does, for `plan`.
    package var summary: String {
        switch self {
        case .packageByPostProcessor: "package the OVA"
        case .removeInstallMedia: "remove CD-ROM drives holding install media"
        case .enableSecureBoot: "make sure Secure Boot is on (firmware efi-secure)"
        case .addVTPM: "add a vTPM (vtpm)"
        case .removeVTPMForExport: "remove the vTPM for the export (vCenter does not export a VM with one)"
        case .restoreVTPM: "give the VM a vTPM again after the export (the template keeps it)"
        case .convertToTemplate: "convert to template"
        case .uploadStandInDisk: "upload a stand-in disk (simulator profile)"
        case .exportOVA: "export streamed into the OVA (.ovf, .mf, .ova, .ova.sha256)"
        case .destroyVM: "destroy the build VM"
        }
    }

    /// Who does it.
    package var performer: String {
        switch self {
        case .packageByPostProcessor: "packer post-processor 'local' (image-builder ova package)"
        case .removeInstallMedia, .enableSecureBoot, .addVTPM, .removeVTPMForExport, .restoreVTPM: "orchestrator (ReconfigVM_Task)"
        case .convertToTemplate: "orchestrator (MarkAsTemplate)"
        case .uploadStandInDisk: "orchestrator (datastore upload)"
        case .exportOVA: "orchestrator (ExportVm, else the datastore; OVAKit)"
        case .destroyVM: "orchestrator (Destroy_Task)"
        }
    }

    /// Whether the orchestrator itself performs it (else packer does).
    package var byOrchestrator: Bool { self != .packageByPostProcessor }

    /// The steps of a build of `family`, given its settings. With a vTPM the export comes before
    /// the template conversion (a template is not reconfigured): the vTPM is removed for the
    /// export and added again for the template.
    package static func steps(
        family: Family, convertToTemplate: Bool, destroy: Bool, simulated: Bool, secureBoot: Bool = false, vtpm: Bool = false
    ) -> [AfterPackerStep] {
        let firmware: [AfterPackerStep] = (secureBoot ? [.enableSecureBoot] : []) + (vtpm ? [.addVTPM] : [])
        switch family {
        case .local, .localVMX, .qemu: return [.packageByPostProcessor]
        case .localBase: return []
        case .vsphereBase: return [.removeInstallMedia] + firmware + [.convertToTemplate]
        case .vsphere, .vsphereClone:
            var steps: [AfterPackerStep] = [.removeInstallMedia] + firmware
            if convertToTemplate, !vtpm { steps.append(.convertToTemplate) }
            if simulated { steps.append(.uploadStandInDisk) }
            if vtpm { steps.append(.removeVTPMForExport) }
            steps.append(.exportOVA)
            if vtpm, !destroy { steps.append(.restoreVTPM) }
            if convertToTemplate, vtpm { steps.append(.convertToTemplate) }
            if destroy { steps.append(.destroyVM) }
            return steps
        }
    }
}
