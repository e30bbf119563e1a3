// Clocks and process memory for the benchmarks: a monotonic nanosecond clock and the resident set size.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Nanoseconds on the monotonic clock.
@inline(__always)
public func monotonicNanoseconds() -> UInt64 {
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    return UInt64(now.tv_sec) &* 1_000_000_000 &+ UInt64(now.tv_nsec)
}

/// The process's resident set size in bytes (`/proc/self/statm`), or 0 where that file does not exist.
public func residentBytes() -> Int {
    #if os(Linux)
    let fd = open("/proc/self/statm", O_RDONLY)
    guard fd >= 0 else { return 0 }
    defer { close(fd) }
    var buffer = [UInt8](repeating: 0, count: 128)
    let length = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
    guard length > 0 else { return 0 }
    // "size resident shared ...": the second field, in pages.
    let fields = buffer[0..<length].split(separator: UInt8(ascii: " "))
    guard fields.count > 1, let pages = Int(String(decoding: fields[1], as: UTF8.self)) else { return 0 }
    return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    #else
    return 0
    #endif
}

/// Percentile `p` (0...100) of `values` (sorted in place).
public func percentile(_ p: Double, of values: inout [UInt64]) -> UInt64 {
    guard !values.isEmpty else { return 0 }
    values.sort()
    let rank = Int((p / 100 * Double(values.count - 1)).rounded())
    return values[min(values.count - 1, max(0, rank))]
}

/// The CPU-time clock of the calling thread; read it from any thread with ``cpuNanoseconds(_:)``.
public func currentThreadCPUClock() -> clockid_t {
    var clock = clockid_t()
    pthread_getcpuclockid(pthread_self(), &clock)
    return clock
}

/// CPU time consumed so far by the thread whose clock is `clock`, in nanoseconds.
public func cpuNanoseconds(_ clock: clockid_t) -> UInt64 {
    var now = timespec()
    clock_gettime(clock, &now)
    return UInt64(now.tv_sec) &* 1_000_000_000 &+ UInt64(now.tv_nsec)
}
