import BraidAutograd
import BraidEncoders
import BraidNN
import BraidTensor

/// A module that fuses per-modality `EncodedFeatures` into one `[B, outputDimension]` variable.
///
/// Every head is built from `modalities: [String: Int]` (name → feature width D_m), visits the
/// modalities in sorted name order, and throws `FusionError` when the input's modality names
/// differ from those it was built with.
public protocol FusionHead: Module {
    /// The modality names the head was built with, sorted.
    var modalityNames: [String] { get }
    /// The width of the fused output.
    var outputDimension: Int { get }
    /// Fuses `features` (keyed by modality name) into `[B, outputDimension]`.
    func callAsFunction(_ features: [String: EncodedFeatures]) throws(FusionError) -> Variable
}

/// Checks the modality names, then returns each modality's pooled features `[B, D_m]` in sorted
/// order, with a precondition (naming both shapes) on D_m and on a common batch size.
func pooledInputs(
    _ features: [String: EncodedFeatures], head: String, widths: [String: Int]
) throws(FusionError) -> [Variable] {
    let names = widths.keys.sorted()
    try FusionError.check(head: head, expected: names, given: features.keys)
    var batchReference: (name: String, shape: [Int])? = nil
    return names.map { name in
        let pooled = features[name]!.pooled
        let width = widths[name]!
        check(
            pooled.rank == 2 && pooled.shape[1] == width,
            "\(head): modality \"\(name)\" pooled features \(pooled.shape) do not match the expected shape [B, \(width)]")
        if let reference = batchReference {
            check(
                pooled.shape[0] == reference.shape[0],
                "\(head): modality \"\(name)\" pooled features \(pooled.shape) and modality \"\(reference.name)\" \(reference.shape) have different batch sizes")
        } else {
            batchReference = (name, pooled.shape)
        }
        return pooled
    }
}

/// Sorted-name per-modality layers grouped under their names (`projections.audio.weight`).
func namedGroup(_ names: [String], _ layers: [any Module]) -> NamedModules {
    NamedModules(Array(zip(names, layers)).map { (name: $0.0, module: $0.1) })
}

/// Prepends a column of ones: `[B, D]` → `[B, 1 + D]` (the `[1; h]` of tensor fusion).
func withLeadingOne(_ x: Variable) -> Variable {
    Variable.concat([Variable(Tensor.ones([x.shape[0], 1])), x], axis: 1)
}

/// Validates a list of modality widths given to a head's initialiser.
func checkedWidths(_ modalities: [String: Int], head: String, minimum: Int = 1) -> [String] {
    check(modalities.count >= minimum, "\(head): needs at least \(minimum) modalities, got \(modalities.count)")
    for (name, width) in modalities {
        check(width > 0, "\(head): modality \"\(name)\" has non-positive width \(width)")
    }
    return modalities.keys.sorted()
}

/// One `Linear(D_m → width)` per modality, in the order of `names`.
func perModalityLinears(
    _ names: [String], widths: [String: Int], outputWidth: Int, generator: inout RandomGenerator
) -> [Linear] {
    var layers: [Linear] = []
    for name in names {
        layers.append(Linear(inputFeatures: widths[name]!, outputFeatures: outputWidth, generator: &generator))
    }
    return layers
}
