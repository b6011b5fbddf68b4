public import ImageBuilderBasics
public import ImageBuilderConfig
public import ImageBuilderPacker

/// Everything one build will do, final when planning ends: nothing after planning edits argv,
/// fills in a path or reads a variable by its name. The run id is chosen before planning
/// (`plan` and `explain` show `<run-id>` instead).
package struct BuildPlan: Sendable, Encodable {
    /// The full name, with its verb (`build-node-ova-vsphere-ubuntu-2404`).
    package let target: String
    package let verb: Verb
    package let family: Family
    package let os: String
    package let packer: PackerInvocation
    package let varFiles: [PlannedVarFile]
    package let builder: String
    package let builderType: String
    package let postProcessors: [String]
    /// What follows packer, in order: `plan` prints this list and the runner performs it.
    package let afterPacker: [AfterPackerStep]
    /// `output/.work/<target>-<run-id>`.
    package let workDirectory: String
    /// The name every run's work directory of this target starts with (`<target>-`).
    package let workPrefix: String
    package let outputDirectory: String
    package let logFile: String
    /// The unattended-install files rendered into the work directory before packer starts.
    package let seed: SeedFiles?
    /// An ISO the orchestrator fetches into its cache before packer starts (packer gets the
    /// cached copy through `-var iso_url=file://…`).
    package let isoDownload: ISODownload?
    /// Where the base's SSH password is kept (base families and the families built from a base).
    package let sshSecretFile: String?
    /// vSphere settings still empty after layering (a build refuses; plan and validate warn).
    package let missingSettings: [String]
    package let warnings: [String]
    /// The VM packer creates on vSphere (`vm_name`): watched, converted, exported, cleaned up.
    package let vmName: String?
    /// Set under the simulator profile.
    package let simulator: SimulatedBuild?
    /// The repository's template (the simulator profile derives its own from it).
    package let sourceTemplate: String
    /// The vCenter a vSphere build talks to around packer (nil when settings are missing, or
    /// for the local families). Its password never leaves this value.
    package let vsphere: VSphereSettings?
    /// A clone's base: the template it is cloned from and the target that builds it.
    package let base: BaseReference?
    /// A base build writes its marker last; a build from a base built here requires it.
    package let baseCompletion: BaseCompletion?
    /// What packer's environment gets besides the user's own (values known at planning).
    package let environment: PackerEnvironment
    /// Where packer's secrets come from; never encoded.
    package let secrets: PlanSecrets
    /// The stall watchdog's limits (builds only).
    package var stall: StallPolicy? = nil
    /// Where packer finds the ISO on the datastore (vsphere-iso builds), when it does.
    package var isoDatastore: ISODatastore? = nil
    /// How qemu runs a qemu build: KVM or TCG, and why.
    package var accelerator: Accelerator? = nil
    /// The folder a qemu build serves its guest on loopback (`qemu_guest_files`), absolute.
    package var guestFiles: String? = nil

    /// The placeholder in `workDirectory` when no run is planned (`plan`, `explain`).
    package static let runIDPlaceholder = "<run-id>"

    enum CodingKeys: String, CodingKey {
        case target, verb, family, os, packer, varFiles, builder, builderType, postProcessors, afterPacker, workDirectory,
            workPrefix, outputDirectory, logFile, seed, isoDownload, sshSecretFile, missingSettings, warnings, vmName, simulator,
            sourceTemplate, base, baseCompletion, stall, isoDatastore, guestFiles
    }
}

/// The base a clone build starts from.
package struct BaseReference: Sendable, Encodable, Equatable {
    /// The template on vCenter (`template`, default `base-<build_name>`).
    package let template: String
    /// The target that builds it (`build-node-ova-vsphere-base-<os>`).
    package let target: String
}

/// A base is usable only when its build completed: the base build writes a marker last (after
/// packer and its template conversion); a build from that base requires it.
package enum BaseCompletion: Sendable, Encodable, Equatable {
    /// This (base) build writes `marker` when it has completed.
    case writes(marker: String)
    /// This build needs `marker`, written by `baseTarget`.
    case requires(marker: String, baseTarget: String)

    /// `<base output dir>/image-builder-base.json`.
    package static func marker(baseOutputDirectory: String) -> String { baseOutputDirectory + "/image-builder-base.json" }
}

/// The values the orchestrator sets or removes in packer's environment; secrets are in
/// `PlanSecrets`, the user's own environment is passed through.
package struct PackerEnvironment: Sendable, Equatable {
    /// Non-secret values: work paths, TMPDIR, SSL_CERT_FILE, OVF_CUSTOM_PROPERTIES …
    package let values: [String: String]
    /// Variables of the user's environment packer never sees (the originals of the IB_* copies).
    package let removed: [String]
}

/// Where the SSH password a build uses comes from.
package enum SSHPassword: Sendable {
    /// A user's var file (`ssh_password`) or SSH_PASSWORD.
    case given(Secret)
    /// The base's stored secret when there is one (a clone, a rebuilt base), else a new one;
    /// `storesNew`: a base build keeps a new one for its clones.
    case storedOrNew(file: String?, storesNew: Bool)
}

/// The secrets of a build, resolved at planning; never encoded, never in argv.
package struct PlanSecrets: Sendable {
    package let ssh: SSHPassword
    /// packer's IB_VSPHERE_PASSWORD (VSPHERE_PASSWORD, or validate's placeholder).
    package let vspherePassword: Secret?
    /// Secrets a var file set, by the environment variable the template's default reads
    /// (`remote_password` → IB_REMOTE_PASSWORD): string-only var-file copies leave them out.
    package let environment: [String: Secret]
    /// Other values to redact from packer's output (a var file's `password`, RHSM_USER/RHSM_PASS).
    package let others: [Secret]
}
