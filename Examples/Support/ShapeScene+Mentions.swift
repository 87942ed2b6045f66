import Braid

extension ShapeScene {
    /// Where a caption names one of the scene's objects: a colour word, then a shape word, of a
    /// colour–shape pairing the scene has (pairings are unique within a scene).
    public struct Mention: Sendable, Equatable {
        /// The index of the colour word in the caption's words.
        public var colourWord: Int
        /// The index of the shape word, `colourWord + 1`.
        public var shapeWord: Int
        /// The object named, an index into ``ShapeScene/objects``.
        public var object: Int

        /// The mention of `objects[object]` by the words at `colourWord` and `shapeWord`.
        public init(colourWord: Int, shapeWord: Int, object: Int) {
            (self.colourWord, self.shapeWord, self.object) = (colourWord, shapeWord, object)
        }
    }

    /// The mentions of the scene's objects in `words` (a caption of ``ShapeSceneGrammar``), in
    /// caption order; a shape word without a colour word before it, or naming a pairing the scene
    /// lacks, is none.
    public func mentions(in words: [String]) -> [Mention] {
        words.indices.dropFirst().compactMap { w in
            guard let shape = ParsedSceneCaption.shapes[words[w]], let colour = SceneColour(rawValue: words[w - 1]),
                  let object = index(of: ColouredShape(colour, shape))
            else { return nil }
            return Mention(colourWord: w - 1, shapeWord: w, object: object)
        }
    }

    /// The centre of `objects[object]` scaled to [−1, 1] across the image (x to the right, y
    /// downwards), as a ``CaptionObjectMention`` takes it.
    public func normalisedCentre(of object: Int) -> (x: Float, y: Float) {
        let half = Float(Self.side) / 2
        return (objects[object].x / half - 1, objects[object].y / half - 1)
    }
}
