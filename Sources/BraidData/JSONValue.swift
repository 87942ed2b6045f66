import Foundation

/// Any JSON value, as `JSONDecoder` reads it: for a file whose keys are not known in advance (a
/// safetensors header is keyed by tensor name) and for error messages that show the value found.
///
/// A number is `.integer` when it is integral and fits `Int` (`2`, `2.0` and `1e2` all are) and
/// `.number` otherwise. Booleans are never numbers: `JSONDecoder` reads neither as the other.
package enum JSONValue: Codable, Equatable, Sendable, CustomStringConvertible {
    /// `null`.
    case null
    /// `true` or `false`.
    case bool(Bool)
    /// An integral number that fits `Int`.
    case integer(Int)
    /// Any other number.
    case number(Double)
    /// A string.
    case string(String)
    /// An array.
    case array([JSONValue])
    /// An object; of keys given twice, `JSONDecoder` keeps the first.
    case object([String: JSONValue])

    /// Reads whichever kind of value the decoder holds.
    package init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let bool = try? container.decode(Bool.self) {
            self = .bool(bool)
        } else if let integer = try? container.decode(Int.self) {
            self = .integer(integer)
        } else if let number = try? container.decode(Double.self) {
            self = .number(number)
        } else if let string = try? container.decode(String.self) {
            self = .string(string)
        } else if let array = try? container.decode([JSONValue].self) {
            self = .array(array)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    /// Writes the value back as JSON: what a nested configuration section is re-read from.
    package func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let bool): try container.encode(bool)
        case .integer(let integer): try container.encode(integer)
        case .number(let number): try container.encode(number)
        case .string(let text): try container.encode(text)
        case .array(let array): try container.encode(array)
        case .object(let object): try container.encode(object)
        }
    }

    /// `number` as `JSONDecoder` would classify it: `.integer` when it is integral and fits `Int`.
    package init(_ number: Double) {
        self = Int(exactly: number).map(JSONValue.integer) ?? .number(number)
    }

    /// The value of `key` in `json`, `nil` when `json` is not a JSON object holding `key`: what an
    /// error message shows as found after a typed decoding of `json` failed at `key`.
    package static func member(_ key: String, of json: Data) -> JSONValue? {
        (try? JSONDecoder().decode([String: JSONValue].self, from: json))?[key]
    }

    /// The value as an error message shows it: integers in decimal (`1e9` as 1000000000), other
    /// numbers as Swift prints a `Double` (`1e+300`), booleans and null as written, strings quoted
    /// and cut to 40 characters, arrays and objects by their kind.
    package var description: String {
        switch self {
        case .null: "null"
        case .bool(let bool): "\(bool)"
        case .integer(let integer): "\(integer)"
        case .number(let number): "\(number)"
        case .string(let text): text.count > 40 ? "\"\(text.prefix(40))…\"" : "\"\(text)\""
        case .array: "an array"
        case .object: "an object"
        }
    }
}
