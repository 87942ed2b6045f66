import BraidAutograd
import BraidTensor

/// What reflection finds in a module and its descendants, under state-dict names; built once per
/// module (see `Module`).
struct ModuleRegistry {
    /// The subtree's parameters: the module's own in declaration order, then each child's (as
    /// PyTorch orders `named_parameters()`).
    private(set) var parameters: [(name: String, variable: Variable)] = []
    /// The same parameters without names, for `parameters()`.
    private(set) var parameterVariables: [Variable] = []
    /// The subtree's buffers, in the same order.
    private(set) var buffers: [(name: String, variable: Variable)] = []
    /// Every descendant (not the module itself), each child before its own descendants.
    private(set) var modules: [(name: String, module: Module)] = []

    /// Reflects `module`'s stored properties (its superclasses' first), applies its
    /// `stateDictKeys`, and stops with a message naming the module when two entries share a name
    /// or a renaming or buffer name matches no property.
    init(reflecting module: Module) {
        let typeName = String(describing: type(of: module))
        let properties = Self.storedProperties(of: module).map { (name: snakeCased($0.0), value: $0.1) }
        let propertyNames = Set(properties.map(\.name))
        let renaming = KeyRenaming(module.stateDictKeys, propertyNames: propertyNames, typeName: typeName)
        let bufferNames = module.bufferNames
        let unknownBuffers = bufferNames.subtracting(propertyNames).sorted()
        check(unknownBuffers.isEmpty, "\(typeName): bufferNames lists \(unknownBuffers), which are no stored properties")
        var subtree = ModuleRegistry()
        for (name, value) in properties {
            var variables: [(String, Variable)] = []
            if let variable = value as? Variable {
                variables = [(name, variable)]
            } else if let child = value as? Module {
                subtree.add(child, named: name, renaming: renaming)
            } else if let array = value as? [Variable] {
                variables = array.enumerated().map { ("\(name).\($0.offset)", $0.element) }
            } else if let children = value as? [Module] {
                for (index, child) in children.enumerated() { subtree.add(child, named: "\(name).\(index)", renaming: renaming) }
            } else if let dictionary = value as? [String: Variable] {
                variables = dictionary.keys.sorted().map { ("\(name).\($0)", dictionary[$0]!) }
            } else if let children = value as? [String: Module] {
                for key in children.keys.sorted() { subtree.add(children[key]!, named: "\(name).\(key)", renaming: renaming) }
            }
            let entries = variables.map { (name: renaming.apply($0.0), variable: $0.1) }
            if bufferNames.contains(name) { buffers += entries } else { parameters += entries }
        }
        // A part reachable through two properties (tied weights, a shortcut to a child's layer) is
        // registered once, under its first name, as PyTorch's `named_parameters()` does.
        var seen = Set<ObjectIdentifier>()
        parameters = (parameters + subtree.parameters).filter { seen.insert(ObjectIdentifier($0.variable)).inserted }
        buffers = (buffers + subtree.buffers).filter { seen.insert(ObjectIdentifier($0.variable)).inserted }
        modules = subtree.modules.filter { seen.insert(ObjectIdentifier($0.module)).inserted && $0.module !== module }
        Self.checkUnique((parameters + buffers).map(\.name), of: typeName, kind: "state-dict entries")
        Self.checkUnique(modules.map(\.name), of: typeName, kind: "modules")
        parameterVariables = parameters.map(\.variable)
    }

    /// An empty registration, to collect children into.
    private init() {}

    /// Adds `child` and its subtree under `name`.
    private mutating func add(_ child: Module, named name: String, renaming: KeyRenaming) {
        let childRegistry = child.registry
        modules.append((renaming.apply(name), child))
        modules += childRegistry.modules.map { (renaming.apply("\(name).\($0.name)"), $0.module) }
        parameters += childRegistry.parameters.map { (renaming.apply("\(name).\($0.name)"), $0.variable) }
        buffers += childRegistry.buffers.map { (renaming.apply("\(name).\($0.name)"), $0.variable) }
    }

    /// The labelled stored properties of `module`'s class and its superclasses below `Module`,
    /// superclass first; lazy storage (`$__lazy_storage_$_name`) is skipped.
    private static func storedProperties(of module: Module) -> [(String, Any)] {
        var levels: [[(String, Any)]] = []
        var mirror: Mirror? = Mirror(reflecting: module)
        while let current = mirror, current.subjectType != Module.self {
            levels.append(current.children.compactMap { child in
                guard let label = child.label, !label.hasPrefix("$") else { return nil }
                return (label, child.value)
            })
            mirror = current.superclassMirror
        }
        return levels.reversed().flatMap { $0 }
    }

    private static func checkUnique(_ names: [String], of typeName: String, kind: String) {
        var seen = Set<String>()
        for name in names {
            check(seen.insert(name).inserted, "\(typeName): two \(kind) are named '\(name)'; rename one with stateDictKeys")
        }
    }
}

/// A module's `stateDictKeys`, applied to reflected names by longest dotted prefix.
private struct KeyRenaming {
    private let renames: [String: String]

    /// Checks that every renamed prefix starts at one of `propertyNames` (reflected names), so a
    /// misspelt property stops with a message instead of silently keeping its old name.
    init(_ renames: [String: String], propertyNames: Set<String>, typeName: String) {
        let unknown = renames.keys.filter { !propertyNames.contains(String($0.prefix { $0 != "." })) }.sorted()
        check(unknown.isEmpty, "\(typeName): stateDictKeys renames \(unknown), which start at no stored property")
        self.renames = renames
    }

    /// `name` with its longest renamed prefix replaced; an empty replacement drops the prefix.
    func apply(_ name: String) -> String {
        guard !renames.isEmpty else { return name }
        let parts = name.split(separator: ".", omittingEmptySubsequences: false)
        for length in stride(from: parts.count, to: 0, by: -1) {
            if let target = renames[parts[..<length].joined(separator: ".")] {
                return ([target] + parts[length...].map(String.init)).filter { !$0.isEmpty }.joined(separator: ".")
            }
        }
        return name
    }
}

/// `runningMean` → `running_mean`, `cAttn` → `c_attn`, `linear1` → `linear1`, `URLPath` → `url_path`:
/// an underscore before each capital that starts a word, then lower case (as `JSONEncoder`'s
/// `convertToSnakeCase`).
package func snakeCased(_ name: String) -> String {
    let characters = Array(name)
    var result = ""
    for (index, character) in characters.enumerated() {
        if character.isUppercase && index > 0 {
            let previous = characters[index - 1]
            let nextIsLower = index + 1 < characters.count && characters[index + 1].isLowercase
            if previous.isLowercase || previous.isNumber || (previous.isUppercase && nextIsLower) { result.append("_") }
        }
        result += character.lowercased()
    }
    return result
}
