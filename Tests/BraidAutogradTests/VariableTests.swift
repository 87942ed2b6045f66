import BraidAutograd
import BraidTensor
import BraidTestSupport
import Testing

@Suite struct VariableTests {
    @Test func gradientsAccumulateOverRepeatedUseAndCalls() {
        let x = Variable(Tensor([1, 2, 3]), requiresGrad: true)
        (x * x + x).sum().backward()
        #expect(x.grad?.scalars == [3, 5, 7])
        (x * 2).sum().backward()
        #expect(x.grad?.scalars == [5, 7, 9])
        x.zeroGrad()
        #expect(x.grad == nil)
    }

    /// The hook sees each reached leaf once per pass, its gradient already whole; a leaf the pass
    /// does not reach is not called.
    @Test func gradientAccumulatedHookFiresOncePerLeafWithItsFinalGradient() {
        let first = Variable(Tensor([1, 2]), requiresGrad: true)
        let second = Variable(Tensor([3, 4]), requiresGrad: true)
        let unused = Variable(Tensor([5]), requiresGrad: true)
        var calls: [(name: String, grad: [Float])] = []
        let leaves: [(String, Variable)] = [("first", first), ("second", second), ("unused", unused)]
        for (name, leaf) in leaves {
            leaf.gradientAccumulated = { calls.append((name, $0.grad!.scalars)) }
        }
        // first is used three times, through second's product and on its own, so its gradient
        // is complete only after the whole graph above it.
        let hidden = first * second
        ((hidden * first).sum() + first.sum()).backward()
        #expect(calls.map(\.name).sorted() == ["first", "second"])
        let grads = Dictionary(uniqueKeysWithValues: calls.map { ($0.name, $0.grad) })
        #expect(grads["second"] == [1, 4])
        #expect(grads["first"] == [7, 17], "2·first·second + 1")
        calls.removeAll()
        (second * 2).sum().backward()
        #expect(calls.map(\.name) == ["second"] && calls[0].grad == [3, 6], "accumulated over calls")
    }

    @Test func backwardWithAnExplicitSeed() {
        let x = Variable(Tensor([1, 2]), requiresGrad: true)
        (x * 3).backward(seed: Tensor([1, 10]))
        #expect(x.grad?.scalars == [3, 30])
    }

    @Test func detachAndNoGradientScopeStopTheFlow() {
        let x = Variable(Tensor([2]), requiresGrad: true)
        let y = x * x.detached()
        y.sum().backward()
        #expect(x.grad?.scalars == [2])
        let z = withoutGradients { x * x }
        #expect(!z.requiresGrad && z.isLeaf)
        #expect(GradientMode.isEnabled)
    }

    @Test func constantsGetNoGradient() {
        let w = Variable(Tensor([1, 2]), requiresGrad: true)
        let c = Variable(Tensor([5, 5]))
        (w * c).sum().backward()
        #expect(w.grad?.scalars == [5, 5])
        #expect(c.grad == nil)
    }

    @Test func deepChainsDoNotOverflowTheStack() {
        let x = Variable(Tensor([1]), requiresGrad: true)
        var y = x
        for _ in 0..<20_000 { y = y + 0 }
        y.sum().backward()
        #expect(x.grad?.scalars == [1])
    }
}
