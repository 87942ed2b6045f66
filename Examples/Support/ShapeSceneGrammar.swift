import Braid

/// The small grammar of the shape scenes' captions, with synonyms and varied word order, and
/// its word lists.
///
/// An object phrase is an article, an optional size word (half the time), the colour and a
/// shape word: "a small red circle", "an orange box". Relations come from the scene
/// (``ShapeScene/relation(of:to:)``). A caption is one of these templates, A, B, C being the
/// scene's objects in a random order:
/// - one object: "A", "there is A", "an image of A", "a picture of A";
/// - two: "A rel B", "A is rel B", "there is A rel B", "there is A and B", "A and B";
/// - three: "A rel B and C", "A rel B which is rel C", "there is A and B and C".
///
/// "rel" is a phrase for where the object before it lies relative to the one after it: left of
/// ("left of", "to the left of", "on the left of"), right of (likewise), above ("above",
/// "over") or below ("below", "under", "beneath"). Every object is named exactly once, by its
/// colour and shape, so ``ShapeScene/checkCaption(_:)`` can read a caption back.
public enum ShapeSceneGrammar {
    /// The words for each size.
    public static let sizeWords: [SceneSize: [String]] = [.small: ["small", "little"], .large: ["large", "big"]]
    /// The words for each shape.
    public static let shapeWords: [SceneShape: [String]] = [
        .circle: ["circle", "disc"], .square: ["square", "box"], .triangle: ["triangle"], .star: ["star"],
        .diamond: ["diamond", "rhombus"],
    ]
    /// The phrases for each relation.
    public static let relationPhrases: [SpatialRelation: [[String]]] = [
        .leftOf: [["left", "of"], ["to", "the", "left", "of"], ["on", "the", "left", "of"]],
        .rightOf: [["right", "of"], ["to", "the", "right", "of"], ["on", "the", "right", "of"]],
        .above: [["above"], ["over"]],
        .below: [["below"], ["under"], ["beneath"]],
    ]
    /// The words of the templates themselves.
    static let templateWords = ["a", "an", "and", "image", "is", "of", "picture", "there", "which"]

    /// Every word a caption can hold, sorted.
    public static let words: [String] = Set(
        templateWords + sizeWords.values.joined() + shapeWords.values.joined() + SceneColour.allCases.map(\.rawValue)
            + relationPhrases.values.joined().joined()
    ).sorted()

    /// The most words a caption can have, 22: "A rel B which is rel C" with three four-word object
    /// phrases and two four-word relation phrases.
    public static let maximumLength = 22

    /// `count` different captions of `scene` (fewer only if the grammar cannot make that many:
    /// it always can for 1...5).
    public static func captions(for scene: ShapeScene, count: Int, generator: inout RandomGenerator) -> [[String]] {
        var captions: [[String]] = []
        var attempts = 0
        while captions.count < count && attempts < 50 * count {
            let caption = self.caption(for: scene, generator: &generator)
            if !captions.contains(caption) { captions.append(caption) }
            attempts += 1
        }
        return captions
    }

    /// One random caption of `scene`, from the templates above.
    public static func caption(for scene: ShapeScene, generator: inout RandomGenerator) -> [String] {
        check(!scene.objects.isEmpty, "ShapeSceneGrammar: a scene needs at least one object")
        var order = Array(scene.objects.indices)
        order.shuffle(using: &generator)
        func object(_ k: Int) -> [String] { phrase(for: scene.objects[order[k]], generator: &generator) }
        func relation(_ a: Int, _ b: Int) -> [String] {
            pick(relationPhrases[scene.relation(of: order[a], to: order[b])]!, &generator)
        }
        switch (order.count, Int(generator.next() % 5)) {
        case (1, 0): return object(0)
        case (1, 1): return ["there", "is"] + object(0)
        case (1, 2): return ["an", "image", "of"] + object(0)
        case (1, _): return ["a", "picture", "of"] + object(0)
        case (2, 0): return object(0) + relation(0, 1) + object(1)
        case (2, 1): return object(0) + ["is"] + relation(0, 1) + object(1)
        case (2, 2): return ["there", "is"] + object(0) + relation(0, 1) + object(1)
        case (2, 3): return ["there", "is"] + object(0) + ["and"] + object(1)
        case (2, _): return object(0) + ["and"] + object(1)
        case (_, 0), (_, 1): return object(0) + relation(0, 1) + object(1) + ["and"] + object(2)
        case (_, 2), (_, 3): return object(0) + relation(0, 1) + object(1) + ["which", "is"] + relation(1, 2) + object(2)
        case (_, _): return ["there", "is"] + object(0) + ["and"] + object(1) + ["and"] + object(2)
        }
    }

    /// "a [size] colour shape", with "an" before a vowel.
    static func phrase(for object: SceneObject, generator: inout RandomGenerator) -> [String] {
        var words: [String] = []
        if generator.next() % 2 == 0 { words.append(pick(sizeWords[object.size]!, &generator)) }
        words.append(object.colour.rawValue)
        words.append(pick(shapeWords[object.shape]!, &generator))
        return withArticle(words)
    }

    /// "a colour shape" with the first word for the shape and no size: "an orange circle".
    public static func plainPhrase(for object: SceneObject) -> [String] {
        withArticle([object.colour.rawValue, shapeWords[object.shape]![0]])
    }

    /// "a shape" with the first word for the shape and no colour or size: "a circle".
    public static func shapePhrase(for shape: SceneShape) -> [String] { withArticle([shapeWords[shape]![0]]) }

    /// `caption` without its colour words, each article made to agree with the word now after
    /// it: "an orange box left of a small red disc" → "a box left of a small disc".
    public static func withoutColours(_ caption: [String]) -> [String] {
        var words = caption.filter { SceneColour(rawValue: $0) == nil }
        for i in words.indices.dropLast() where words[i] == "a" || words[i] == "an" {
            words[i] = withArticle([words[i + 1]])[0]
        }
        return words
    }

    /// `words` after "a", or "an" when the first begins with a vowel.
    static func withArticle(_ words: [String]) -> [String] {
        [words[0].first.map { "aeiou".contains($0) } == true ? "an" : "a"] + words
    }

    /// A uniformly chosen element of `choices`.
    static func pick<Element>(_ choices: [Element], _ generator: inout RandomGenerator) -> Element {
        choices[Int(generator.next() % UInt64(choices.count))]
    }
}
