/// `byte` as two upper-case hexadecimal digits, as file errors show bytes found.
package func hexDigits(_ byte: UInt8) -> String {
    (byte < 0x10 ? "0" : "") + String(byte, radix: 16, uppercase: true)
}
