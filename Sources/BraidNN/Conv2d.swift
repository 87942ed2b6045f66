import BraidAutograd
import BraidTensor

/// A 2-D convolution layer (`nn.Conv2d`): `[N, C, H, W]` → `[N, O, Ho, Wo]`.
///
/// PyTorch's default initialisation: weight Kaiming-uniform with a = √5 (bound 1/√fanIn) and
/// bias U(−1/√fanIn, 1/√fanIn), fanIn = C/groups·kH·kW.
public final class Conv2d: Module, Layer {
    /// The kernel, `[O, C/groups, kH, kW]`.
    public let weight: Variable
    /// The bias, `[O]`, or `nil`.
    public let bias: Variable?
    /// Stride, padding, dilation and groups.
    public let geometry: Convolution2DGeometry

    /// A layer from `inputChannels` to `outputChannels` with a `kernelSize` kernel.
    public init(
        inputChannels: Int, outputChannels: Int, kernelSize: (Int, Int), stride: (Int, Int) = (1, 1),
        padding: (Int, Int) = (0, 0), dilation: (Int, Int) = (1, 1), groups: Int = 1, bias: Bool = true,
        generator: inout RandomGenerator
    ) {
        check(
            inputChannels % groups == 0 && outputChannels % groups == 0,
            "Conv2d: \(inputChannels) input and \(outputChannels) output channels are not divisible by \(groups) groups")
        let shape = [outputChannels, inputChannels / groups, kernelSize.0, kernelSize.1]
        weight = Variable(Initialization.kaimingUniform(shape, a: Float(5).squareRoot(), generator: &generator), requiresGrad: true)
        let bound = 1 / Float(Initialization.fans(shape).fanIn).squareRoot()
        self.bias = bias
            ? Variable(Tensor.randomUniform([outputChannels], lowerBound: -bound, upperBound: bound, generator: &generator), requiresGrad: true)
            : nil
        geometry = Convolution2DGeometry(stride: stride, padding: padding, dilation: dilation, groups: groups)
    }

    /// The convolution of `input`.
    public func callAsFunction(_ input: Variable) -> Variable {
        Variable.conv2d(input, weight: weight, bias: bias, geometry: geometry)
    }
}
