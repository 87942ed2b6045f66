/// Stops the program with `message` when `condition` is false, in debug and release builds alike.
///
/// `precondition` drops its message under `-O`, so a user of a release build would see only
/// "precondition failure". Every check whose message is meant for a user (shapes, options,
/// configuration values) goes through this function instead; it prints
/// `Fatal error: <message>` with the caller's file and line, as `fatalError` does in any build.
@inlinable @inline(__always)
package func check(
    _ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String,
    file: StaticString = #fileID, line: UInt = #line
) {
    if _slowPath(!condition()) { checkFailed(message(), file: file, line: line) }
}

/// The failure path of ``check(_:_:file:line:)``, kept out of line so checks stay cheap.
@usableFromInline @inline(never)
package func checkFailed(_ message: String, file: StaticString = #fileID, line: UInt = #line) -> Never {
    fatalError(message, file: file, line: line)
}
