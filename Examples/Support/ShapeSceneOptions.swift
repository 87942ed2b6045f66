import ArgumentParser

/// The sizes of the shape-scene splits, the options every example that trains on the scenes
/// shares (`@OptionGroup var scenes: ShapeSceneOptions`).
public struct ShapeSceneOptions: ParsableArguments {
    /// Training scenes.
    @Option(help: "Training scenes (each with 3 to 5 reference captions).")
    public var trainScenes = 6000

    /// Validation scenes.
    @Option(help: "Validation scenes, for the loss after every epoch.")
    public var validationScenes = 500

    /// Test scenes.
    @Option(help: "Test scenes; half of them hold a colour–shape pairing never seen in training.")
    public var testScenes = 1000

    /// The defaults: 6,000, 500 and 1,000 scenes.
    public init() {}

    public func validate() throws {
        try OptionChecks.positive(trainScenes, "--train-scenes")
        try OptionChecks.positive(validationScenes, "--validation-scenes")
        // Both halves of the test split (seen and held-out pairings) need a scene.
        guard testScenes >= 2 else { throw ValidationError("--test-scenes must be at least 2, got \(testScenes)") }
    }

    /// The splits of these sizes, sampled from `seed`.
    public func splits(seed: UInt64) -> ShapeSceneSplits {
        ShapeSceneSplits(configuration: ShapeSceneConfiguration(
            trainCount: trainScenes, validationCount: validationScenes, testCount: testScenes, seed: seed))
    }

}
