import Braid

/// How ``ShapeSceneDataset`` generates its splits. The defaults generate in well under a second
/// in release builds (images are drawn only when asked for).
public struct ShapeSceneConfiguration: Sendable, Equatable {
    /// The default standard deviation of the pixel noise, 0.05.
    public static let defaultNoise: Float = 0.05
    /// The default held-out pairings: green triangle, red square, blue star.
    public static let defaultHeldOut = [
        ColouredShape(.green, .triangle), ColouredShape(.red, .square), ColouredShape(.blue, .star),
    ]

    /// Scenes in the training split.
    public var trainCount: Int
    /// Scenes in the validation split.
    public var validationCount: Int
    /// Scenes in the test split.
    public var testCount: Int
    /// The colour–shape pairings that appear in the test split only.
    public var heldOut: [ColouredShape]
    /// The fraction of test scenes that hold at least one held-out pairing; the others use only
    /// pairings seen in training.
    public var heldOutTestFraction: Double
    /// The standard deviation of the pixel noise (``ShapeScene/render(noise:)``).
    public var noise: Float
    /// The seed every split's stream derives from.
    public var seed: UInt64

    /// A configuration; the defaults are 6000 / 500 / 1000 scenes, ``defaultHeldOut``, half the
    /// test scenes with a held-out pairing, noise 0.05 and seed 0.
    public init(trainCount: Int = 6000, validationCount: Int = 500, testCount: Int = 1000,
                heldOut: [ColouredShape] = defaultHeldOut, heldOutTestFraction: Double = 0.5,
                noise: Float = defaultNoise, seed: UInt64 = 0) {
        (self.trainCount, self.validationCount, self.testCount) = (trainCount, validationCount, testCount)
        (self.heldOut, self.heldOutTestFraction, self.noise, self.seed) = (heldOut, heldOutTestFraction, noise, seed)
    }

    /// The pairings the training and validation splits draw from: all 35 but the held-out ones.
    public var seenPairings: [ColouredShape] { ColouredShape.all.filter { !heldOut.contains($0) } }
}

/// The three splits of compositional shape scenes.
public enum ShapeSceneSplit: Int, CaseIterable, Sendable {
    /// The training split: no held-out pairing.
    case train
    /// The validation split: no held-out pairing.
    case validation
    /// The test split: held-out pairings in ``ShapeSceneConfiguration/heldOutTestFraction`` of it.
    case test
}

/// One split of compositional shape scenes: 64×64 RGB images of one to three coloured shapes,
/// each with three to five reference captions (``ShapeSceneGrammar``) and its ground truth
/// (``ShapeScene``), for captioning and image–text retrieval.
///
/// Scenes hold 1, 2 or 3 objects (equally likely) of distinct colour–shape pairings, each pairing
/// uniform over those the split allows, each size equally likely, placed uniformly where the
/// object lies wholly inside the image, at least 2 pixels from every other object, and
/// ``relationMargin`` pixels from a tie between horizontal and vertical distance to each. The
/// training and validation splits never use ``ShapeSceneConfiguration/heldOut``; in the test
/// split, the scenes at ``heldOutRows`` (spread evenly, ``ShapeSceneConfiguration/heldOutTestFraction``
/// of them) have one held-out pairing as their first object and the others drawn from all 35,
/// and the remaining test scenes use seen pairings only. Each split draws from its own stream,
/// seeded by the configuration's seed and the split, so changing one split's size leaves the
/// others as they were. Images are drawn on demand from each scene's noise seed.
public struct ShapeSceneDataset: Sendable {
    /// How far apart (in pixels) the horizontal and vertical distances between two objects' centres
    /// are at least, so that ``ShapeScene/relation(of:to:)`` is never a near tie.
    public static let relationMargin: Float = 6
    /// The gap in pixels kept between objects' outlines.
    public static let gap: Float = 2

    /// Which split this is.
    public let split: ShapeSceneSplit
    /// The scenes.
    public let scenes: [ShapeScene]
    /// Each scene's reference captions (3 to 5, all different).
    public let references: [[[String]]]
    /// The rows whose scene holds a held-out pairing (test split only; empty otherwise).
    public let heldOutRows: [Int]
    /// The standard deviation of the images' pixel noise.
    public let noise: Float

    /// The number of scenes.
    public var count: Int { scenes.count }

    /// Generates `split` of `configuration`.
    public init(split: ShapeSceneSplit, configuration: ShapeSceneConfiguration = ShapeSceneConfiguration()) {
        let count = [configuration.trainCount, configuration.validationCount, configuration.testCount][split.rawValue]
        check(count >= 0, "ShapeSceneDataset: the \(split) split needs a count of zero or more, got \(count)")
        check(configuration.noise >= 0 && configuration.noise.isFinite,
              "ShapeSceneDataset: noise must be a finite number of zero or more, got \(configuration.noise)")
        check(configuration.heldOutTestFraction >= 0 && configuration.heldOutTestFraction <= 1,
              "ShapeSceneDataset: heldOutTestFraction must lie in 0...1, got \(configuration.heldOutTestFraction)")
        let seen = configuration.seenPairings
        check(seen.count >= 3, "ShapeSceneDataset: only \(seen.count) pairings are left after holding out \(configuration.heldOut)")
        var generator = RandomGenerator(seed: configuration.seed &* 0x9E37_79B9_7F4A_7C15 &+ UInt64(split.rawValue + 1))
        var scenes: [ShapeScene] = [], references: [[[String]]] = [], heldOutRows: [Int] = []
        scenes.reserveCapacity(count)
        references.reserveCapacity(count)
        let fraction = split == .test && !configuration.heldOut.isEmpty ? configuration.heldOutTestFraction : 0
        for row in 0..<count {
            // Row r holds out when ⌊(r + 1)·f⌋ > ⌊r·f⌋: spread evenly, f·count rows in all.
            let holdsOut = (Double(row + 1) * fraction).rounded(.down) > (Double(row) * fraction).rounded(.down)
            let scene = Self.sampleScene(
                first: holdsOut ? configuration.heldOut : seen, rest: holdsOut ? ColouredShape.all : seen, generator: &generator)
            if holdsOut { heldOutRows.append(row) }
            scenes.append(scene)
            references.append(ShapeSceneGrammar.captions(for: scene, count: 3 + Int(generator.next() % 3), generator: &generator))
        }
        (self.split, self.scenes, self.references, self.heldOutRows, noise) = (split, scenes, references, heldOutRows, configuration.noise)
    }

    /// A scene of 1–3 objects, the first of a pairing from `first`, the others from `rest`, all
    /// pairings distinct, placed by the rules above.
    static func sampleScene(first: [ColouredShape], rest: [ColouredShape], generator: inout RandomGenerator) -> ShapeScene {
        let count = 1 + Int(generator.next() % 3)
        var pairings = [ShapeSceneGrammar.pick(first, &generator)]
        while pairings.count < count {
            let pairing = ShapeSceneGrammar.pick(rest, &generator)
            if !pairings.contains(pairing) { pairings.append(pairing) }
        }
        let sizes = pairings.map { _ in ShapeSceneGrammar.pick(SceneSize.allCases, &generator) }
        let side = Float(ShapeScene.side)
        while true {
            var objects: [SceneObject] = []
            placing: for (pairing, size) in zip(pairings, sizes) {
                let r = size.radius
                for _ in 0..<100 {
                    let x = r + 1 + generator.nextUniform() * (side - 2 * r - 2)
                    let y = r + 1 + generator.nextUniform() * (side - 2 * r - 2)
                    let candidate = SceneObject(shape: pairing.shape, colour: pairing.colour, size: size, x: x, y: y)
                    if objects.allSatisfy({ fits(candidate, beside: $0) }) {
                        objects.append(candidate)
                        continue placing
                    }
                }
                break placing
            }
            if objects.count == pairings.count { return ShapeScene(objects: objects, noiseSeed: generator.next()) }
        }
    }

    /// Whether `a` and `b` keep the gap between their outlines and a plain relation.
    static func fits(_ a: SceneObject, beside b: SceneObject) -> Bool {
        let (dx, dy) = (abs(a.x - b.x), abs(a.y - b.y))
        let reach = a.extent + b.extent + gap
        return dx * dx + dy * dy >= reach * reach && abs(dx - dy) >= relationMargin
    }

    /// The images of the scenes at `rows`, `[rows.count, 3, 64, 64]` in 0…1, drawn in parallel
    /// (``ShapeScene/render(noise:)`` of each).
    public func images(_ rows: [Int]) -> Tensor {
        let scenes = rows.map { self.scenes[$0] }
        let (plane, noise) = (3 * ShapeScene.side * ShapeScene.side, noise)
        return Tensor(shape: [rows.count, 3, ShapeScene.side, ShapeScene.side]) { buffer in
            let base = SharedPointer(buffer.baseAddress!)
            Parallel.distribute(scenes.count) { _, tasks in
                for task in tasks { scenes[task].draw(into: base.address + task * plane, noise: noise) }
            }
        }
    }

    /// The image of the scene at `row`, `[3, 64, 64]`.
    public func image(_ row: Int) -> Tensor { scenes[row].render(noise: noise) }

    /// The colour–shape pairings that occur in the split's scenes.
    public var pairings: Set<ColouredShape> { Set(scenes.flatMap { $0.objects.map(\.colouredShape) }) }
}

/// The three splits of a ``ShapeSceneConfiguration``.
public struct ShapeSceneSplits: Sendable {
    /// The training, validation and test splits.
    public let train: ShapeSceneDataset, validation: ShapeSceneDataset, test: ShapeSceneDataset

    /// Generates every split of `configuration`.
    public init(configuration: ShapeSceneConfiguration = ShapeSceneConfiguration()) {
        train = ShapeSceneDataset(split: .train, configuration: configuration)
        validation = ShapeSceneDataset(split: .validation, configuration: configuration)
        test = ShapeSceneDataset(split: .test, configuration: configuration)
        self.configuration = configuration
    }

    /// The configuration the splits were generated from.
    public let configuration: ShapeSceneConfiguration

    /// The test rows whose scenes use only pairings seen in training, in order.
    public var seenTestRows: [Int] { Array(Set(0..<test.count).subtracting(test.heldOutRows)).sorted() }

    /// The split sizes and the held-out pairings, as report configuration entries.
    public var reportEntries: [String: String] {
        ["trainScenes": "\(train.count)", "validationScenes": "\(validation.count)", "testScenes": "\(test.count)",
         "heldOut": configuration.heldOut.map(\.description).joined(separator: ", ")]
    }

    /// One line naming the splits' sizes, the held-out pairings and the `tokens` of a vocabulary,
    /// as the shape-scene examples print it first.
    public func summary(tokens: Int) -> String {
        "shape scenes: \(train.count) training, \(validation.count) validation and \(test.count) test scenes "
            + "(\(seenTestRows.count) with seen pairings only, \(test.heldOutRows.count) with one of "
            + "\(configuration.heldOut.map(\.description).joined(separator: ", ")), held out of training); \(tokens) tokens"
    }
}

extension SceneObject {
    /// The radius of a circle about the centre that holds the whole shape: the radius, or the
    /// square's half-diagonal (0.85·√2 ≈ 1.21 radii).
    var extent: Float { shape == .square ? 1.21 * size.radius : size.radius }
}
