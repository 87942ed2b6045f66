import Braid

/// Captioning by retrieval, the nearest-neighbour baseline of a captioning run: each query image
/// takes the caption of the training image whose features are most similar by cosine.
///
/// Rows are L2-normalised (x / max(‖x‖, 10⁻¹²), as `F.normalize`), so similarity is one matmul
/// `[Q, D] × [D, N]`; a tie goes to the earlier training row.
public struct NearestNeighbourCaptions: Sendable {
    /// The training features `[N, D]`, each row normalised.
    public let features: Tensor
    /// The caption each training row stands for.
    public let captions: [[String]]

    /// Retrieval over training `features` `[N, D]` and their `captions` (one per row).
    public init(features: Tensor, captions: [[String]]) {
        check(features.rank == 2 && features.shape[0] == captions.count && !captions.isEmpty,
              "NearestNeighbourCaptions: features \(features.shape) must be [N, D] with N = \(captions.count) captions, N > 0")
        self.features = Self.normalised(features)
        self.captions = captions
    }

    /// The index of the most similar training row for each query of `queries` `[Q, D]`.
    public func neighbours(of queries: Tensor) -> [Int] {
        check(queries.rank == 2 && queries.shape[1] == features.shape[1],
              "NearestNeighbourCaptions: queries \(queries.shape) must be [Q, \(features.shape[1])]")
        let similarity = Tensor.matmul(Self.normalised(queries), features, transposeB: true)  // [Q, N]
        return similarity.argmax(alongAxis: 1).scalars
    }

    /// The caption of each query's nearest training row.
    public func captions(for queries: Tensor) -> [[String]] { neighbours(of: queries).map { captions[$0] } }

    /// Each row of `x` `[R, D]` divided by its L2 norm (at least 10⁻¹²).
    static func normalised(_ x: Tensor) -> Tensor {
        x / Tensor.maximum((x * x).sum(alongAxes: [1], keepDims: true).sqrt(), Tensor.full([x.shape[0], 1], 1e-12))
    }
}
