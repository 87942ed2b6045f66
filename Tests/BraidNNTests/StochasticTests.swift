import BraidAutograd
import BraidNN
import BraidTensor
import Testing

@Suite struct StochasticTests {
    @Test func generatorsAreFoundByPathAndRestored() {
        let model = Sequential(Dropout(probability: 0.5, seed: 1), ReLU(), Dropout(probability: 0.5, seed: 2))
        let saved = model.namedRandomGenerators()
        #expect(Set(saved.keys) == ["0", "2"])
        let x = Variable(Tensor.ones([64]))
        let first = model(x).value
        model.restoreRandomGenerators(saved)
        #expect(model(x).value == first)
    }
}
