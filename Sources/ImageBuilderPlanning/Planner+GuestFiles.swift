import ImageBuilderBasics
import ImageBuilderConfig

extension Planner {
    /// Where the guest of a qemu build finds what the build serves it: qemu's guestfwd relays
    /// this address to the build's loopback server (the guest has no other network).
    static let guestFilesURL = "http://10.0.2.100"

    /// `qemu_guest_files`: a folder on this host the build serves its guest on loopback. What it
    /// holds decides what the roles fetch from it instead of the Internet, each recorded with its
    /// reason: `debian/Packages` (a flat apt repository: `apt_build_repo`),
    /// `containerd/containerd-<containerd_version>-linux-amd64.tar.gz`, `runc/runc.amd64`, and
    /// `kubernetes/<kubernetes_semver>/bin/linux/amd64/` (kubeadm, kubelet, kubectl). A folder
    /// that is missing, or holds none of these, is refused by name (exit 2).
    /// Returns the folder (absolute) and the variables to set, each with its reason.
    func guestFiles(_ vars: ResolvedVariables) throws -> (folder: String, settings: [(String, String, String)])? {
        let given = vars.value("qemu_guest_files")
        guard !given.isEmpty else { return nil }
        let source = vars.effective("qemu_guest_files")?.source.describe(layout) ?? "qemu_guest_files"
        let folder = Paths.absolute(given, relativeTo: layout.root)
        func refuse(_ allowed: String) -> ConfigError {
            ConfigError.invalidValue(source: source, key: "qemu_guest_files", value: given, allowed: allowed)
        }
        guard FileReader.isDirectory(folder) else { throw refuse("a folder on this host (it is served to the guest)") }
        let url = Self.guestFilesURL
        var ansible: [String] = []
        let why = "qemu_guest_files (\(source))"
        if FileReader.exists(folder + "/debian/Packages") { ansible.append("apt_build_repo=\(url)/debian/") }
        let containerd = "containerd/containerd-\(vars.value("containerd_version"))-linux-amd64.tar.gz"
        if FileReader.exists(folder + "/" + containerd) { ansible.append("containerd_url=\(url)/\(containerd)") }
        if FileReader.exists(folder + "/runc/runc.amd64") { ansible.append("containerd_runc_url=\(url)/runc/runc.amd64") }
        let kubernetes = "kubernetes/\(vars.value("kubernetes_semver"))/bin/linux/amd64"
        let servesKubernetes = ["kubeadm", "kubelet", "kubectl"].allSatisfy { FileReader.exists(folder + "/\(kubernetes)/\($0)") }
        guard !ansible.isEmpty || servesKubernetes else {
            throw refuse(
                "a folder holding debian/Packages, \(containerd), runc/runc.amd64 or \(kubernetes)/ (hack/qemu-build-artifacts.sh makes one)")
        }
        var settings = [("ansible_build_vars", ansible.joined(separator: " "), "what \(why) serves the guest at \(url)/")]
        if servesKubernetes {
            settings.append(("kubernetes_source_type", "http", "\(why) serves \(kubernetes)/"))
            settings.append(("kubernetes_http_source", url + "/kubernetes", "\(why) serves \(kubernetes)/"))
        }
        return (folder, settings)
    }
}
