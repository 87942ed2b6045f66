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
