import Braid

/// The fixed small model of the state-dict and checkpoint targets: Linear(4 → 3), ReLU,
/// Linear(3 → 2), initialised from seed 7, so its state dict is `0.weight` [3, 4], `0.bias` [3],
/// `2.weight` [2, 3] and `2.bias` [2].
public func makeTinyMLP() -> Sequential {
    var generator = RandomGenerator(seed: 7)
    return Sequential(
        Linear(inputFeatures: 4, outputFeatures: 3, generator: &generator),
        ReLU(),
        Linear(inputFeatures: 3, outputFeatures: 2, generator: &generator))
}
