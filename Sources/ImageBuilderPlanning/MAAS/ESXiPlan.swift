public import ImageBuilderBasics
public import ImageBuilderConfig
public import ImageBuilderPacker

/// Everything one MAAS ESXi image build does, final when planning ends (`plan maas-esxi` prints
/// it). Its work directory is its own (`output/.work/maas-esxi-<run-id>`), so builds run at once.
package struct ESXiPlan: Sendable, Encodable {
    /// The full name with its verb: `build-maas-esxi`.
    package let target: String
    package let verb: Verb
    /// `8.0`: MAAS's name is `esxi/<release>`, the output `output/esxi-<release>/`.
    package let release: String
    /// Where the release came from (ESXI_RELEASE, or the ISO's file name).
    package let releaseSource: String
    package let iso: String
    package let isoChecksum: String
    package let accelerator: Accelerator
    package let packer: PackerInvocation
    /// What packer's environment gets (its cache, log and TMPDIR) and what it never sees.
    package let environment: PackerEnvironment
    package let workDirectory: String
    /// `<work>/packer-out/esxi`: the raw disk packer leaves.
    package let rawDisk: String
    /// `<work>/ks.img`: the USB stick holding KS.CFG.
    package let kickstartImage: String
    /// The kickstart template in the repository (`@ROOT_PASSWORD_CRYPT@` filled per build).
    package let kickstartTemplate: String
    /// `packer/maas/curtin`: copied onto partition 1 as `curtin/`.
    package let curtinDirectory: String
    /// `packer/maas/first-boot`: packed into `curtin/scripts.tar.xz` as `maas/`.
    package let firstBootDirectory: String
    package let outputDirectory: String
    /// `<output>/esxi-<release>.dd.gz` and its `.sha256`.
    package let image: String
    package let checksumFile: String
    package let logFile: String
    /// The user's var files (PACKER_VAR_FILES), passed to packer as they are.
    package let varFiles: [String]
    package let warnings: [String]
    /// ESXI_ROOT_PASSWORD (nil for validate without one); never encoded.
    package let rootPassword: Secret?

    /// The installer's serial console, kept beside the log (`maas-esxi-<release>.serial.log`).
    package var serialLog: String { String(logFile.dropLast(4)) + ".serial.log" }

    /// The name MAAS knows the image by.
    package var maasName: String { "esxi/\(release)" }

    enum CodingKeys: String, CodingKey {
        case target, verb, release, releaseSource, iso, isoChecksum, accelerator, packer, workDirectory, rawDisk, kickstartImage,
            kickstartTemplate, curtinDirectory, firstBootDirectory, outputDirectory, image, checksumFile, logFile, varFiles, warnings
    }
}
