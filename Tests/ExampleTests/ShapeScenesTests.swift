import Braid
import ExampleSupport
import Testing

/// The compositional shape scenes: generation, splits, captions, rendering and the caption check.
@Suite struct ShapeScenesTests {
    /// Small splits of the default configuration otherwise.
    static let configuration = ShapeSceneConfiguration(trainCount: 300, validationCount: 60, testCount: 200, seed: 11)
    static let splits = ShapeSceneSplits(configuration: configuration)
    static var all: [ShapeSceneDataset] { [splits.train, splits.validation, splits.test] }

    @Test func sameSeedSameScenesCaptionsAndPixels() {
        let again = ShapeSceneSplits(configuration: Self.configuration)
        for (a, b) in zip(Self.all, [again.train, again.validation, again.test]) {
            #expect(a.scenes == b.scenes && a.references == b.references && a.heldOutRows == b.heldOutRows)
        }
        let rows = [0, 7, 42]
        #expect(Self.splits.test.images(rows).scalars == again.test.images(rows).scalars)
        var other = Self.configuration
        other.seed = 12
        #expect(ShapeSceneDataset(split: .train, configuration: other).scenes != Self.splits.train.scenes)
    }

    @Test func eachSplitHasItsOwnStream() {
        var bigger = Self.configuration
        bigger.trainCount = 500
        #expect(ShapeSceneDataset(split: .test, configuration: bigger).scenes == Self.splits.test.scenes)
        #expect(ShapeSceneDataset(split: .train, configuration: bigger).scenes.prefix(300) == Self.splits.train.scenes[...])
        #expect(Self.splits.train.scenes[0] != Self.splits.validation.scenes[0])
        #expect(Self.splits.train.count == 300 && Self.splits.validation.count == 60 && Self.splits.test.count == 200)
    }

    @Test func heldOutPairingsAppearInTheTestSplitOnly() {
        let heldOut = Set(ShapeSceneConfiguration.defaultHeldOut)
        #expect(Self.splits.train.pairings.isDisjoint(with: heldOut))
        #expect(Self.splits.validation.pairings.isDisjoint(with: heldOut))
        #expect(Self.splits.train.pairings == Set(Self.configuration.seenPairings), "300 scenes use every seen pairing")
        #expect(heldOut.isSubset(of: Self.splits.test.pairings))
        let test = Self.splits.test
        #expect(test.heldOutRows.count == 100 && Self.splits.train.heldOutRows.isEmpty)
        for row in 0..<test.count {
            let holdsOut = !Set(test.scenes[row].objects.map(\.colouredShape)).isDisjoint(with: heldOut)
            #expect(holdsOut == test.heldOutRows.contains(row), "test row \(row)")
        }
        #expect(test.heldOutRows.prefix(3) == [1, 3, 5], "spread evenly")
    }

    @Test func scenesFollowTheSamplingRules() {
        var counts = [0, 0, 0]
        for dataset in Self.all {
            for scene in dataset.scenes {
                counts[scene.objects.count - 1] += 1
                #expect(Set(scene.objects.map(\.colouredShape)).count == scene.objects.count)
                for object in scene.objects {
                    let r = object.size.radius
                    #expect(object.x - r >= 1 && object.x + r <= 63 && object.y - r >= 1 && object.y + r <= 63)
                }
            }
        }
        #expect(counts.allSatisfy { $0 > 150 }, "1, 2 and 3 objects about equally often: \(counts)")
    }

    /// Relations follow the centres, are each other's inverse, never come near a tie, and the
    /// shapes' outlines (a square's reaches 1.21 radii) keep apart.
    @Test func relationsAreConsistentWithPositions() {
        for dataset in Self.all {
            for scene in dataset.scenes {
                for i in scene.objects.indices {
                    for j in scene.objects.indices where i != j {
                        let (a, b) = (scene.objects[i], scene.objects[j])
                        let relation = scene.relation(of: i, to: j)
                        #expect(scene.relation(of: j, to: i) == relation.inverse)
                        let (dx, dy) = (abs(a.x - b.x), abs(a.y - b.y))
                        #expect(abs(dx - dy) >= ShapeSceneDataset.relationMargin)
                        switch relation {
                        case .leftOf: #expect(a.x < b.x && dx > dy)
                        case .rightOf: #expect(a.x > b.x && dx > dy)
                        case .above: #expect(a.y < b.y && dy > dx)
                        case .below: #expect(a.y > b.y && dy > dx)
                        }
                        let reach = { (o: SceneObject) in o.size.radius * (o.shape == .square ? 1.21 : 1) }
                        #expect((dx * dx + dy * dy).squareRoot() >= reach(a) + reach(b) + ShapeSceneDataset.gap)
                    }
                }
            }
        }
    }

    /// Every reference caption reads back to its scene with every attribute right.
    @Test func referenceCaptionsParseBackToTheirScene() {
        let vocabulary = Set(ShapeSceneGrammar.words)
        var relationCaptions = 0
        for dataset in Self.all {
            for (scene, references) in zip(dataset.scenes, dataset.references) {
                #expect((3...5).contains(references.count) && Set(references).count == references.count)
                for caption in references {
                    let check = scene.checkCaption(caption)
                    #expect(check.isCorrect && check.shapes && check.colours, "\(caption.joined(separator: " ")): \(check)")
                    #expect(caption.count <= ShapeSceneGrammar.maximumLength && Set(caption).isSubset(of: vocabulary))
                    if check.statedRelations > 0 { relationCaptions += 1 }
                }
            }
            let accuracy = SceneCaptionAccuracy(captions: dataset.references.map { $0[0] }, scenes: dataset.scenes)
            #expect(accuracy.allCorrect == 1 && accuracy.pairings == 1 && accuracy.count == dataset.count)
            #expect(accuracy.captionsWithRelations == 0 || accuracy.relations == 1)
        }
        #expect(relationCaptions > 300, "many references state relations")
    }

    /// A red circle left of a blue square, as the check sees wrong captions of it.
    @Test func wrongCaptionsFailTheRightChecks() {
        let scene = ShapeScene(objects: [
            SceneObject(shape: .circle, colour: .red, size: .small, x: 15, y: 30),
            SceneObject(shape: .square, colour: .blue, size: .large, x: 45, y: 32),
        ], noiseSeed: 0)
        func check(_ text: String) -> SceneCaptionCheck { scene.checkCaption(text.split(separator: " ").map(String.init)) }
        #expect(check("a small red circle to the left of a big blue box").isCorrect)
        #expect(check("a blue square on the right of a red disc").isCorrect)
        #expect(check("there is a red circle and a blue square").statedRelations == 0)
        let swapped = check("a blue circle left of a red square")
        #expect(swapped.shapes && swapped.colours && !swapped.pairings && !swapped.relations)
        let reversed = check("a red circle right of a blue square")
        #expect(reversed.pairings && !reversed.relations && reversed.statedRelations == 1)
        let missing = check("a red circle")
        #expect(!missing.shapes && !missing.colours && !missing.pairings && missing.relations)
        let extra = check("a red circle left of a blue square and a green star")
        #expect(!extra.shapes && !extra.pairings && extra.relations)
        let twice = check("a red circle left of a red circle")
        #expect(!twice.pairings && !twice.relations)
        let noColour = check("a circle left of a blue square")
        #expect(noColour.shapes && !noColour.colours && !noColour.relations)
        #expect(!check("a large red circle left of a blue square").sizes)
        #expect(!check("left of a red circle and a blue square").relations)
        #expect(check("a red <unk> circle left of <unk> blue square").isCorrect, "unknown words are skipped")
    }

    /// The grounding targets' word positions: a colour word then a shape word of a pairing the
    /// scene has, in caption order; and the centres scaled to [−1, 1].
    @Test func mentionsAreTheScenesPairingsInCaptionOrder() {
        let scene = ShapeScene(objects: [
            SceneObject(shape: .circle, colour: .red, size: .small, x: 16, y: 48),
            SceneObject(shape: .square, colour: .blue, size: .large, x: 45, y: 32),
        ], noiseSeed: 0)
        let words = "a big blue box on the right of a red disc and a green circle and a square".split(separator: " ").map(String.init)
        #expect(scene.mentions(in: words) == [
            .init(colourWord: 2, shapeWord: 3, object: 1), .init(colourWord: 9, shapeWord: 10, object: 0),
        ])
        #expect(scene.normalisedCentre(of: 0) == (x: -0.5, y: 0.5))
    }

    @Test func parsedCaptionsChainRelations() {
        let parsed = ParsedSceneCaption("a red circle left of a big blue square which is above an orange star".split(separator: " ").map(String.init))
        #expect(parsed.mentions.map(\.shape) == [.circle, .square, .star])
        #expect(parsed.mentions[1].size == .large && parsed.mentions[0].size == nil && parsed.mentions[2].colour == .orange)
        #expect(parsed.statements == [
            .init(subject: 0, relation: .leftOf, object: 1), .init(subject: 1, relation: .above, object: 2),
        ])
    }

    @Test func imagesShowTheObjectsOnTheBackground() {
        let scene = ShapeScene(objects: [
            SceneObject(shape: .star, colour: .yellow, size: .large, x: 20, y: 20),
            SceneObject(shape: .triangle, colour: .purple, size: .small, x: 48, y: 46),
        ], noiseSeed: 3)
        let clean = scene.render(noise: 0)
        #expect(clean.shape == [3, 64, 64])
        func pixel(_ image: Tensor, _ row: Int, _ column: Int) -> [Float] { (0..<3).map { image[flat: $0 * 4096 + row * 64 + column] } }
        let (yellow, purple) = (SceneColour.yellow.rgb, SceneColour.purple.rgb)
        #expect(pixel(clean, 20, 20) == [yellow.red, yellow.green, yellow.blue])
        #expect(pixel(clean, 47, 48) == [purple.red, purple.green, purple.blue])
        #expect(pixel(clean, 2, 60) == [0.1, 0.1, 0.1])
        #expect(pixel(clean, 20, 40) == [0.1, 0.1, 0.1], "the star's tip is left of column 31")
        let noisy = scene.render(noise: 0.05)
        #expect(noisy.scalars.allSatisfy { (0...1).contains($0) })
        // The top-right 16×16 corner is background: its noise has mean 0 and deviation 0.05.
        let corner = (0..<3).flatMap { c in (0..<16).flatMap { r in (48..<64).map { noisy[flat: c * 4096 + r * 64 + $0] - 0.1 } } }
        let mean = corner.reduce(0, +) / Float(corner.count)
        let deviation = (corner.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Float(corner.count)).squareRoot()
        #expect(abs(mean) < 0.005 && abs(deviation - 0.05) < 0.004, "mean \(mean), deviation \(deviation)")
        #expect(noisy.scalars == scene.render(noise: 0.05).scalars)
    }

    @Test func aBatchOfImagesIsEachSceneRendered() {
        let test = Self.splits.test
        let rows = [5, 0, 199, 5]
        let batch = test.images(rows)
        #expect(batch.shape == [4, 3, 64, 64])
        for (k, row) in rows.enumerated() {
            #expect(Array(batch.scalars[(k * 12288)..<((k + 1) * 12288)]) == test.image(row).scalars)
        }
    }

    @Test func colourFreeCaptionsKeepEverythingElseWithAgreeingArticles() {
        #expect(ShapeSceneGrammar.withoutColours(["an", "orange", "box", "left", "of", "a", "small", "red", "disc"])
                == ["a", "box", "left", "of", "a", "small", "disc"])
        #expect(ShapeSceneGrammar.withoutColours(["there", "is", "a", "white", "triangle", "and", "a", "purple", "star"])
                == ["there", "is", "a", "triangle", "and", "a", "star"])
        #expect(ShapeSceneGrammar.shapePhrase(for: .star) == ["a", "star"])
        for captions in Self.splits.train.references.prefix(50) {
            for caption in captions {
                let free = ShapeSceneGrammar.withoutColours(caption)
                #expect(free.count == caption.count - caption.filter { SceneColour(rawValue: $0) != nil }.count)
                #expect(free.allSatisfy { SceneColour(rawValue: $0) == nil && ShapeSceneGrammar.words.contains($0) })
            }
        }
    }

    @Test func greyImagesHoldEachPixelsLumaInEveryChannel() {
        let images = Self.splits.train.images([0, 1, 2])
        let grey = Greyscale.apply(to: images, at: [1])
        let plane = 64 * 64
        let (a, b) = (Array(images.scalars), Array(grey.scalars))
        #expect(a[0..<3 * plane] == b[0..<3 * plane] && a[(6 * plane)...] == b[(6 * plane)...], "the other images unchanged")
        for p in stride(from: 3 * plane, to: 4 * plane, by: 97) {
            let luma = 0.299 * a[p] + 0.587 * a[p + plane] + 0.114 * a[p + 2 * plane]
            #expect(b[p] == luma && b[p + plane] == luma && b[p + 2 * plane] == luma)
        }
        #expect(Set(a[3 * plane..<6 * plane]) != Set(b[3 * plane..<6 * plane]), "the scene had colour")
    }

    @Test func vocabularyEncodesAndDecodesEveryCaption() {
        let vocabulary = ShapeSceneVocabulary()
        #expect(Array(vocabulary.words.prefix(4)) == ["<pad>", "<bos>", "<eos>", "<unk>"])
        #expect(vocabulary.count == 4 + ShapeSceneGrammar.words.count && Set(vocabulary.words).count == vocabulary.count)
        for caption in Self.splits.validation.references.joined() {
            let ids = vocabulary.encode(caption)
            #expect(ids.first == 1 && ids.last == 2 && !ids.contains(3) && vocabulary.decode(ids) == caption)
        }
        #expect(vocabulary.encode(["a", "zebra"]) == [1, vocabulary.id("a"), 3, 2])
        let batch = vocabulary.encode([["a", "red", "circle"], ["a", "star"]])
        #expect(batch.shape == [2, 5])
        #expect(Array(batch.scalars[5...]) == [1, vocabulary.id("a"), vocabulary.id("star"), 2, 0])
        #expect(vocabulary.encode([["a", "red", "circle"]], length: 4).scalars == [1, vocabulary.id("a"), vocabulary.id("red"), 2])
        #expect(vocabulary.decode([1, vocabulary.id("big"), 0, 2, vocabulary.id("star")]) == ["big"])
        #expect(vocabulary.decode([999]) == ["<unk>"])
        #expect(ShapeSceneGrammar.words.count == 38, "\(ShapeSceneGrammar.words)")
    }
}
