/// Whether operations record gradient rules (`torch.is_grad_enabled`).
public enum GradientMode {
    /// `true` unless inside `withoutGradients`. Scoped to the current task or thread.
    @TaskLocal public static var isEnabled = true
}

/// Runs `body` without recording operations, for inference and parameter updates (`torch.no_grad()`).
public func withoutGradients<R>(_ body: () throws -> R) rethrows -> R {
    try GradientMode.$isEnabled.withValue(false) { try body() }
}
