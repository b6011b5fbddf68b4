import ArgumentParser
import ImageBuilderKit

struct SecretCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "secret", abstract: "Secrets kept for base builds.", subcommands: [Show.self])

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show",
            abstract: "Print the SSH password a base build stored (the only way it is ever printed).",
            discussion: "Takes a base target or one built from it (vsphere-clone, local-vmx).")

        @Argument(help: "The target.") var target: String

        func run() throws {
            let context = CommandContext.current
            let planner = try Planner(environment: context.environment)
            let (plan, _) = try planner.single(target)
            guard let file = plan.sshSecretFile else {
                throw SecretError.notABaseTarget(target: plan.target)
            }
            guard let secret = SSHSecretStore.read(file) else {
                throw SecretError.notStored(
                    file: planner.layout.display(file), base: "node-ova-\(plan.family.baseFamily?.rawValue ?? plan.family.rawValue)-\(plan.os)")
            }
            context.output.line(secret.value)
        }
    }
}

/// `secret show` asked for something that is not there: exit 2.
enum SecretError: UserFacingError {
    case notABaseTarget(target: String)
    case notStored(file: String, base: String)

    var exitStatus: ExitStatus { .badInput }
    var description: String {
        switch self {
        case .notABaseTarget(let target): "\(target) has no stored secret: only base targets and their clones do"
        case .notStored(let file, _): "\(file): no stored secret"
        }
    }
    var hint: String? {
        if case .notStored(_, let base) = self { "build \(base) first (its generated SSH password is kept there)" } else { nil }
    }
}
