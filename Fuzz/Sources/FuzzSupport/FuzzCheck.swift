/// Stops the fuzzer with `message` when `condition` does not hold: the trap is a crash to libFuzzer, which then
/// writes the input that caused it. Only the fuzz harnesses call this; library code never traps on input.
@inline(__always)
public func fuzzCheck(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String,
                      file: StaticString = #fileID, line: UInt = #line) {
    if !condition() {
        fatalError("fuzz invariant violated: \(message())", file: file, line: line)
    }
}
