public import ImageBuilderBasics
public import ImageBuilderConfig

/// What the orchestrator reads from the legacy JSON template: variable defaults, builder names,
/// post-processors with their `only`/`except`, and the sensitive variables.
package struct PackerTemplate: Sendable {
    package struct Variable: Sendable, Equatable {
        package let name: String
        /// nil: declared `null`, which packer treats as required.
        package let defaultValue: String?
    }

    package struct Builder: Sendable, Equatable {
        package let name: String
        package let type: String
    }

    package struct PostProcessor: Sendable, Equatable {
        package let name: String
        package let type: String
        package let only: [String]?
        package let except: [String]

        /// Whether it runs for a build of `builder` (packer's only/except semantics).
        package func runs(for builder: String) -> Bool {
            if let only, !only.contains(builder) { return false }
            return !except.contains(builder)
        }
    }

    package let path: String
    package let variables: [Variable]
    package let builders: [Builder]
    package let postProcessors: [PostProcessor]
    package let sensitiveVariables: [String]
    /// The variables' defaults as the first layer of a build's variables, in template order
    /// (made once here: a plan of every family layers 120 builds on it).
    package let defaults: ResolvedVariables

    /// The error for a template that is not what the orchestrator needs.
    package init(path: String, json: JSONValue, displayPath: String) throws(PackerError) {
        func fail(_ reason: String) -> PackerError { .invalidTemplate(path: displayPath, reason: reason) }
        guard case .object = json else { throw fail("expected a JSON object") }
        var variables: [Variable] = []
        if let block = json["variables"] {
            guard case .object(let members) = block else { throw fail("'variables' must be an object") }
            for member in members {
                switch member.value {
                case .string(let s): variables.append(Variable(name: member.key, defaultValue: s))
                case .null: variables.append(Variable(name: member.key, defaultValue: nil))
                default: throw fail("variable '\(member.key)' must default to a string or null")
                }
            }
        }
        guard let builderList = json["builders"]?.arrayValue, !builderList.isEmpty else {
            throw fail("'builders' must be a non-empty array")
        }
        var builders: [Builder] = []
        for item in builderList {
            guard let type = item["type"]?.stringValue else { throw fail("every builder needs a 'type'") }
            builders.append(Builder(name: item["name"]?.stringValue ?? type, type: type))
        }
        var postProcessors: [PostProcessor] = []
        for item in json["post-processors"]?.arrayValue ?? [] {
            // A post-processor is a name, an object, or an array (a chain) of those.
            for element in item.arrayValue ?? [item] {
                if let type = element.stringValue {
                    postProcessors.append(PostProcessor(name: type, type: type, only: nil, except: []))
                } else if let type = element["type"]?.stringValue {
                    postProcessors.append(
                        PostProcessor(
                            name: element["name"]?.stringValue ?? type, type: type,
                            only: element["only"]?.arrayValue?.compactMap(\.stringValue),
                            except: element["except"]?.arrayValue?.compactMap(\.stringValue) ?? []))
                } else {
                    throw fail("every post-processor needs a 'type'")
                }
            }
        }
        self.path = path
        self.variables = variables
        self.builders = builders
        self.postProcessors = postProcessors
        sensitiveVariables = json["sensitive-variables"]?.arrayValue?.compactMap(\.stringValue) ?? []
        var defaults = ResolvedVariables()
        for variable in variables {
            if let value = variable.defaultValue {
                defaults.apply(variable.name, Assignment(value: .string(value), source: .templateDefault(template: path)))
            }
        }
        self.defaults = defaults
    }

    package func builder(named name: String) -> Builder? { builders.first { $0.name == name } }

    /// Names of the post-processors that run after `builder`, in template order.
    package func postProcessors(for builder: String) -> [String] {
        postProcessors.filter { $0.runs(for: builder) }.map(\.name)
    }
}
