/// hyperdht 1.3: the `peers` command (announce, unannounce, lookup) on top of ``DHTRPC``.
public enum HyperDHTProtocol {
    /// The dht-rpc command name hyperdht registers.
    public static let peersCommand = "peers"
}
