import Crypto
import KBucket

extension NodeID {
    /// The 32-byte key of a topic name: the SHA-256 hash of its UTF-8 bytes – the one rule by which a
    /// name people type (`hyperdht lookup my-topic`, the monitor's `l`/`a`/`u`, the demo swarm's
    /// topics) becomes the key announced and looked up under, so every tool finds the others' peers.
    /// (hyperdht itself takes 32-byte keys; hashing a name with SHA-256 is the usual way to get one.)
    public init(topic: String) {
        self.init(Array(SHA256.hash(data: Array(topic.utf8))))
    }
}
