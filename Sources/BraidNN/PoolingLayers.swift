import BraidAutograd

/// Max pooling over `[N, C, H, W]` (`nn.MaxPool2d`); the stride defaults to the kernel size.
public final class MaxPool2d: Module, Layer {
    /// Window, stride and padding, (height, width).
    public let kernelSize: (Int, Int), stride: (Int, Int), padding: (Int, Int)

    /// Creates the layer.
    public init(kernelSize: (Int, Int), stride: (Int, Int)? = nil, padding: (Int, Int) = (0, 0)) {
        (self.kernelSize, self.stride, self.padding) = (kernelSize, stride ?? kernelSize, padding)
    }

    /// The window maxima.
    public func callAsFunction(_ input: Variable) -> Variable {
        input.maxPool2d(kernelSize: kernelSize, stride: stride, padding: padding)
    }
}

/// Average pooling over `[N, C, H, W]` (`nn.AvgPool2d`); the stride defaults to the kernel size.
public final class AvgPool2d: Module, Layer {
    /// Window, stride and padding, (height, width).
    public let kernelSize: (Int, Int), stride: (Int, Int), padding: (Int, Int)
    /// Whether padding counts in the divisor (PyTorch's default).
    public let countIncludePadding: Bool

    /// Creates the layer.
    public init(kernelSize: (Int, Int), stride: (Int, Int)? = nil, padding: (Int, Int) = (0, 0), countIncludePadding: Bool = true) {
        (self.kernelSize, self.stride, self.padding) = (kernelSize, stride ?? kernelSize, padding)
        self.countIncludePadding = countIncludePadding
    }

    /// The window averages.
    public func callAsFunction(_ input: Variable) -> Variable {
        input.averagePool2d(kernelSize: kernelSize, stride: stride, padding: padding, countIncludePadding: countIncludePadding)
    }
}

/// Average pooling to a fixed output size (`nn.AdaptiveAvgPool2d`); (1, 1) is global average pooling.
public final class AdaptiveAvgPool2d: Module, Layer {
    /// The output (height, width).
    public let outputSize: (Int, Int)

    /// Creates the layer.
    public init(outputSize: (Int, Int)) { self.outputSize = outputSize }

    /// The adaptive averages.
    public func callAsFunction(_ input: Variable) -> Variable { input.adaptiveAveragePool2d(outputSize: outputSize) }
}
