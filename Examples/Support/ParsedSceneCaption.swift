import Braid

/// What a caption says about a scene, read with the vocabulary of ``ShapeSceneGrammar``: the
/// objects it mentions and the relations it states between them.
///
/// Reading goes word by word, ignoring every word that is not a size, colour, shape or
/// relation word (articles, "there is", "and", "of", "to the", unknown words):
/// - a shape word ends a mention, which takes the last size and colour word seen since the
///   previous mention or relation word (either may be missing);
/// - a relation word ("left", "right", "above", "over", "below", "under", "beneath") states
///   that the mention before it lies in that relation to the mention after it, so in
///   "A left of B which is above C", A is left of B and B above C; a relation word with no
///   mention before or after it is still stated, and never holds.
public struct ParsedSceneCaption: Sendable, Equatable {
    /// One object as a caption names it.
    public struct Mention: Sendable, Equatable {
        /// The shape.
        public var shape: SceneShape
        /// The colour, if the caption gave one.
        public var colour: SceneColour?
        /// The size, if the caption gave one.
        public var size: SceneSize?

        /// A mention of a `size` `colour` `shape`.
        public init(shape: SceneShape, colour: SceneColour?, size: SceneSize?) {
            (self.shape, self.colour, self.size) = (shape, colour, size)
        }
    }

    /// A relation the caption states, between `mentions[subject]` and `mentions[object]`; either
    /// is `nil` when the caption has no mention on that side.
    public struct Statement: Sendable, Equatable {
        /// The mention the relation is about.
        public var subject: Int?
        /// The relation.
        public var relation: SpatialRelation
        /// The mention it is relative to.
        public var object: Int?

        /// The statement that `mentions[subject]` lies in `relation` to `mentions[object]`.
        public init(subject: Int?, relation: SpatialRelation, object: Int?) {
            (self.subject, self.relation, self.object) = (subject, relation, object)
        }
    }

    /// The mentions, in caption order.
    public var mentions: [Mention]
    /// The stated relations, in caption order.
    public var statements: [Statement]

    /// Reads `words` by the rules above.
    public init(_ words: [String]) {
        (mentions, statements) = ([], [])
        var (size, colour): (SceneSize?, SceneColour?) = (nil, nil)
        var open: Int?  // the statement waiting for its object
        for word in words {
            if let shape = Self.shapes[word] {
                mentions.append(Mention(shape: shape, colour: colour, size: size))
                (size, colour) = (nil, nil)
                if let waiting = open { statements[waiting].object = mentions.count - 1 }
                open = nil
            } else if let relation = Self.relations[word] {
                statements.append(Statement(subject: mentions.indices.last, relation: relation, object: nil))
                open = statements.count - 1
                (size, colour) = (nil, nil)
            } else if let found = Self.sizes[word] {
                size = found
            } else if let found = SceneColour(rawValue: word) {
                colour = found
            }
        }
    }

    /// Word → shape, size and relation, inverted from the grammar's lists.
    static let shapes = Dictionary(uniqueKeysWithValues: ShapeSceneGrammar.shapeWords.flatMap { shape, words in words.map { ($0, shape) } })
    static let sizes = Dictionary(uniqueKeysWithValues: ShapeSceneGrammar.sizeWords.flatMap { size, words in words.map { ($0, size) } })
    static let relations: [String: SpatialRelation] = [
        "left": .leftOf, "right": .rightOf, "above": .above, "over": .above, "below": .below, "under": .below, "beneath": .below,
    ]
}
