import ImageBuilderKit

/// The build matrix for a distributed runner (goal M17): one entry per build, each running
/// `image-builder build TARGET` on its own.
enum ScaleOutText {
    /// A GitHub Actions matrix: `{"include": [{"target", "os", "family"}, …]}`, for
    /// `strategy.matrix: ${{ fromJSON(…) }}`.
    static func githubMatrix(_ plans: [BuildPlan]) throws -> String {
        struct Entry: Encodable {
            let target, os, family: String
        }
        struct Matrix: Encodable {
            let include: [Entry]
        }
        return try JSONText.encode(Matrix(include: plans.map { Entry(target: $0.target, os: $0.os, family: $0.family.rawValue) }))
    }

    /// Kubernetes Jobs, one per build: the container runs `image-builder build TARGET`, with the
    /// var files (connection and password) mounted read-only from a Secret.
    static func kubernetesJobs(_ plans: [BuildPlan], image: String, secret: String) -> String {
        plans.map { plan in
            let name = String(plan.target.lowercased().map { $0.isLetter || $0.isNumber ? $0 : "-" }.prefix(63))
            return """
                apiVersion: batch/v1
                kind: Job
                metadata:
                  name: "\(name)"
                  labels:
                    app.kubernetes.io/name: image-builder
                    image-builder/os: "\(plan.os)"
                    image-builder/family: "\(plan.family.rawValue)"
                spec:
                  backoffLimit: 0
                  template:
                    spec:
                      restartPolicy: Never
                      containers:
                        - name: build
                          image: "\(image)"
                          command: ["image-builder", "build", "\(plan.target)"]
                          env:
                            - name: PACKER_VAR_FILES
                              value: /var-files/vsphere.json
                          volumeMounts:
                            - name: var-files
                              mountPath: /var-files
                              readOnly: true
                      volumes:
                        - name: var-files
                          secret:
                            secretName: "\(secret)"
                            defaultMode: 0400

                """
        }.joined(separator: "---\n")
    }
}
