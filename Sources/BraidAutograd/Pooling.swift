import BraidTensor

extension Variable {
    /// Max pooling over `[N, C, H, W]` (`F.max_pool2d`). ∂ = g routed to each window's maximum.
    public func maxPool2d(kernelSize: (Int, Int), stride: (Int, Int)? = nil, padding: (Int, Int) = (0, 0)) -> Variable {
        if !GradientMode.isEnabled || !requiresGrad {
            return Variable(value.maxPool2dValues(kernelSize: kernelSize, stride: stride, padding: padding))
        }
        let result = value.maxPool2d(kernelSize: kernelSize, stride: stride, padding: padding)
        return Variable(result.output, inputs: [self]) { [shape] g in
            [Tensor.maxPool2dBackward(g, indices: result.indices, inputShape: shape)]
        }
    }

    /// Average pooling over `[N, C, H, W]` (`F.avg_pool2d`). ∂ = g spread evenly over each window.
    public func averagePool2d(
        kernelSize: (Int, Int), stride: (Int, Int)? = nil, padding: (Int, Int) = (0, 0), countIncludePadding: Bool = true
    ) -> Variable {
        let y = value.averagePool2d(
            kernelSize: kernelSize, stride: stride, padding: padding, countIncludePadding: countIncludePadding)
        return Variable(y, inputs: [self]) { [shape] g in
            [Tensor.averagePool2dBackward(
                g, inputShape: shape, kernelSize: kernelSize, stride: stride, padding: padding,
                countIncludePadding: countIncludePadding)]
        }
    }

    /// Adaptive average pooling to `outputSize` (`F.adaptive_avg_pool2d`).
    public func adaptiveAveragePool2d(outputSize: (Int, Int)) -> Variable {
        Variable(value.adaptiveAveragePool2d(outputSize: outputSize), inputs: [self]) { [shape] g in
            [Tensor.adaptiveAveragePool2dBackward(g, inputShape: shape)]
        }
    }
}
