import BraidAttention
import BraidAutograd
import BraidNN
import BraidTensor

/// GPT-2's feed-forward block (`GPT2MLP`): `c_proj`(act(`c_fc`(x))), then dropout
/// (`resid_pdrop`) in training mode. `[B, N, E] → [B, N, E]` through a width of `n_inner`.
public final class GPT2MLP: Module, Layer {
    /// `c_fc`: `[E, F]`.
    public let expansion: Conv1D
    /// `c_proj`: `[F, E]`.
    public let projection: Conv1D
    /// The activation (`activation_function`).
    public let activation: TransformerActivation
    let dropout: Dropout

    /// The block of a model shaped by `configuration`, initialised as `GPT2PreTrainedModel` does.
    public init(_ configuration: GPT2Configuration, generator: inout RandomGenerator) {
        let (e, f) = (configuration.embeddingSize, configuration.innerSize)
        expansion = Conv1D(inputFeatures: e, outputFeatures: f, generator: &generator)
        projection = Conv1D(
            inputFeatures: f, outputFeatures: e,
            standardDeviation: 0.02 / Float(2 * configuration.layerCount).squareRoot(), generator: &generator)
        activation = configuration.activation
        dropout = Dropout(probability: configuration.residualDropout, seed: generator.next())
    }

    /// Hugging Face's names.
    public override var stateDictKeys: [String: String] { ["expansion": "c_fc", "projection": "c_proj"] }

    /// The block applied to `x`.
    public func callAsFunction(_ x: Variable) -> Variable { dropout(projection(activation(expansion(x)))) }
}
