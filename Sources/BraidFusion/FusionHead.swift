import BraidAutograd
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
    /// Feature width D_m per modality.
    var modalityWidths: [String: Int] { get }
    /// The width of the fused output.
    var outputDimension: Int { get }
    /// Whether the output is already class logits (late fusion), so a classifier on top would be
    /// redundant; `false` for heads that produce fused features.
    var producesLogits: Bool { get }
    /// Fuses `features` (keyed by modality name) into `[B, outputDimension]`.
    func callAsFunction(_ features: [String: EncodedFeatures]) throws(FusionError) -> Variable
}

extension FusionHead {
    /// Fused features, not logits, unless a head says otherwise.
    public var producesLogits: Bool { false }

    /// The head's type name, for messages.
    var headName: String { String(describing: Self.self) }

    /// Checks the modality names, then returns each modality's pooled features `[B, D_m]` in
    /// sorted order, stopping with a message (naming both shapes) on a wrong D_m or batch size.
    func pooledInputs(_ features: [String: EncodedFeatures]) throws(FusionError) -> [Variable] {
        let (head, widths) = (headName, modalityWidths)
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

    /// `stateDictKeys` that name the elements of the array property `property` by `names` instead of
    /// by position (`projections.0` → `projections.audio`).
    func keysNaming(_ property: String, by names: [String]) -> [String: String] {
        Dictionary(uniqueKeysWithValues: names.enumerated().map { ("\(property).\($0.offset)", "\(property).\($0.element)") })
    }
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
