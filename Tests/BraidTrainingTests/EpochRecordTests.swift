import BraidTraining
import Foundation
import Testing

@Suite struct EpochRecordTests {
    @Test func roundTripsThroughJSON() throws {
        let record = EpochRecord(epoch: 3, trainingLoss: 0.25, validationLoss: nil, validationAccuracy: 0.9, seconds: 1.5)
        let decoded = try JSONDecoder().decode(EpochRecord.self, from: JSONEncoder().encode(record))
        #expect(decoded == record)
    }
}
