import BraidAutograd
import BraidFusion
import BraidNN
import BraidTensor
import BraidTestSupport
import Testing

@Suite struct FusionErrorTests {
    @Test func missingModalityIsNamed() {
        let modalities = testModalities(3)
        var features = testFeatures(modalities)
        features["text"] = nil
        for (head, _) in allHeads(modalities) {
            #expect(throws: FusionError.self) { try head(features) }
            do {
                _ = try head(features)
            } catch {
                #expect(error.missing == ["text"])
                #expect(error.unexpected.isEmpty)
                #expect(error.description.contains("missing modality \"text\""), "\(error)")
                #expect(error.description.contains(String(describing: type(of: head))), "\(error)")
            }
        }
    }

    @Test func unexpectedModalityIsNamed() {
        let modalities = testModalities(2)
        let features = testFeatures(testModalities(3))
        for (head, _) in allHeads(modalities) {
            do {
                _ = try head(features)
                Issue.record("\(type(of: head)) accepted an unexpected modality")
            } catch {
                #expect(error == FusionError(
                    head: String(describing: type(of: head)), expected: ["audio", "text"], missing: [],
                    unexpected: ["video"]))
                #expect(error.description.contains("unexpected modality \"video\""), "\(error)")
            }
        }
    }

    @Test func missingAndUnexpectedTogether() {
        var g = RandomGenerator(seed: 1)
        let head = GatedFusion(modalities: ["audio": 3, "text": 4], dimension: 2, generator: &g)
        var features = testFeatures(testModalities(3))
        features["audio"] = nil
        features["depth"] = features["video"]
        do {
            _ = try head(features)
            Issue.record("accepted mismatched modalities")
        } catch {
            #expect(error.missing == ["audio"])
            #expect(error.unexpected == ["depth", "video"])
            #expect(error.description == #"GatedFusion: missing modality "audio"; unexpected modalities "depth", "video" (expected "audio", "text")"#)
        }
    }
}
