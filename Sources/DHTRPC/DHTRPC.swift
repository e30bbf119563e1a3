/// The Kademlia RPC node (dht-rpc 2.3): routing-table upkeep, `_ping` / `_find_node`, iterative
/// queries and updates with round-trip tokens, hole-punch forwarding. Built on ``UDPRequest``.
public enum DHTRPCProtocol {
    /// Length in bytes of node ids, targets and round-trip tokens in dht-rpc.
    public static let idLength = 32
}
