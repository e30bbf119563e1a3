import IPEncoding
import UDPRequest

/// Addresses that recently stayed silent to a walk – no answer to the direct request, nor after a hole
/// punch (or none was tried) – so that later walks do not punch toward them again: a node that is
/// simply gone would otherwise cost every walk a punch through a referrer. Bounded (the oldest entry
/// goes first) and forgetful (entries expire); an answer from the address clears it at once.
struct SilentPeerMemory {
    /// The most addresses remembered.
    static let capacity = 1024
    /// How long an address is remembered.
    static let lifetime: Duration = .seconds(120)

    private var silentSince: [PeerAddress: Timestamp] = [:]

    /// How many addresses are remembered (expired ones included until they are pruned).
    var count: Int { silentSince.count }

    /// Remembers that `address` stayed silent at `now`.
    mutating func recordSilent(_ address: PeerAddress, at now: Timestamp) {
        if silentSince[address] == nil, silentSince.count >= Self.capacity {
            silentSince = silentSince.filter { now - $0.value < Self.lifetime }
            if silentSince.count >= Self.capacity, let oldest = silentSince.min(by: { $0.value < $1.value }) {
                silentSince[oldest.key] = nil
            }
        }
        silentSince[address] = now
    }

    /// Forgets `address` (it answered).
    mutating func recordAnswer(from address: PeerAddress) {
        if !silentSince.isEmpty { silentSince[address] = nil }
    }

    /// Whether `address` stayed silent within the last ``lifetime``.
    func isSilent(_ address: PeerAddress, at now: Timestamp) -> Bool {
        guard let since = silentSince[address] else { return false }
        return now - since < Self.lifetime
    }
}
