public import ImageBuilderBasics

/// Bad input for the MAAS ESXi image, found before anything starts (exit 2), naming the variable.
package enum ESXiInputError: UserFacingError, Equatable {
    case unset(variable: String, meaning: String)
    case invalid(variable: String, value: String, reason: String)
    /// A secret's value is not shown.
    case weakPassword(variable: String, reason: String)
    case isoUnusable(variable: String, path: String, reason: String)
    case unknownTarget(name: String)

    package var exitStatus: ExitStatus { .badInput }

    package var description: String {
        switch self {
        case .unset(let variable, let meaning): "\(variable) is not set: \(meaning)"
        case .invalid(let variable, let value, let reason): "\(variable)=\(value): \(reason)"
        case .weakPassword(let variable, let reason): "\(variable): \(reason) (the value is not shown)"
        case .isoUnusable(let variable, let path, let reason): "\(variable)=\(path): \(reason)"
        case .unknownTarget(let name): "\(name): not a MAAS image target (maas-esxi is)"
        }
    }

    package var hint: String? {
        switch self {
        case .unset(let variable, _) where variable == "ESXI_ROOT_PASSWORD":
            "export it (read -s ESXI_ROOT_PASSWORD; export ESXI_ROOT_PASSWORD): it is never written to the tree, argv or logs"
        case .unset(let variable, _) where variable == "ESXI_ISO_CHECKSUM":
            "the checksum VMware publishes for the ISO, as sha256:<hex> (sha256sum prints the hex)"
        case .weakPassword:
            "ESXi refuses passwords under 7 characters or with fewer than 3 of: lower case, upper case, digits, other"
        default: nil
        }
    }
}
