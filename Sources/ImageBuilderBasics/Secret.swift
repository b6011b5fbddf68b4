/// A credential. Interpolating one into a message or log line prints `<redacted>`.
package struct Secret: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible {
    /// The clear value; read it only where it is handed to a child's environment.
    package let value: String

    package init(_ value: String) { self.value = value }

    package var description: String { Secret.redacted }
    package var debugDescription: String { Secret.redacted }

    /// The text shown wherever a secret would be.
    package static let redacted = "<redacted>"
}

/// The packer variables that hold secrets. They reach packer only through its environment
/// (`{{env ...}}` variable defaults in the template), never through argv, and print as `<redacted>`.
package enum SecretVariables {
    /// Variable name → the environment variable the template's default reads.
    package static let templateEnvironment: [String: String] = [
        "password": "IB_VSPHERE_PASSWORD",
        "ssh_password": "IB_SSH_PASSWORD",
        "remote_password": "IB_REMOTE_PASSWORD",
    ]

    /// Every variable name treated as secret.
    package static let names: Set<String> = Set(templateEnvironment.keys).union([
        "encrypted_ssh_password", "rhsm_user", "rhsm_pass", "rhsm_password", "vsphere_password",
    ])

    package static func isSecret(_ name: String) -> Bool { names.contains(name) }
}
