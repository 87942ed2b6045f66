import Braid
import ExampleSupport
import Testing

@Suite struct SimilarityHeatMapTests {
    /// Two images against three texts: the lowest value is white, the highest dark blue, each
    /// value printed to two decimals, the two matching cells outlined, the texts listed escaped.
    @Test func cellsAreShadedLabelledAndTheDiagonalOutlined() {
        let similarities = Tensor(shape: [2, 3], scalars: [0.9, -0.2, 0.35, 0.1, 0.5, 0.6])
        let svg = SimilarityHeatMap.svg(
            title: "t", images: Tensor.zeros([2, 3, 4, 4]), texts: ["a red circle", "a <blue> square", "x & y"],
            similarities: similarities)
        let cells = svg.components(separatedBy: "<rect x=").count - 1
        let outlined = svg.components(separatedBy: "stroke=\"#d62728\"").count - 1
        #expect(cells == 6 && outlined == 2)
        #expect(svg.contains("fill=\"#08306b\" stroke") && svg.contains("fill=\"#ffffff\"/>"), "0.9 on the diagonal, −0.2 off it")
        #expect(svg.contains(">0.90</text>") && svg.contains(">-0.20</text>") && svg.contains(">0.35</text>"))
        #expect(svg.contains(">2. a &lt;blue&gt; square</text>") && svg.contains(">3. x &amp; y</text>"))
        #expect(svg.components(separatedBy: "<image ").count - 1 == 2)
    }
}
