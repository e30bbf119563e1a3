import HyperDHT
import KBucket
import Testing

/// The one rule that turns a topic name into a key (used by the command line, the monitor and the
/// demo swarm alike): SHA-256 of its UTF-8 bytes.
@Suite struct TopicKeyTests {
    @Test func aTopicsKeyIsTheSHA256OfItsUTF8Bytes() throws {
        #expect(NodeID(topic: "hyperdht-demo") == (try NodeID(hex: "b828584702ce31bda098a876382a892df32410718ddf77654dd39eae8acfa21d")))
        #expect(NodeID(topic: "café ☕") == (try NodeID(hex: "a7e46d54289812af2aa5b08c2fbab5d24bccfc6586df55b187272c8a2a31c85f")))
        #expect(NodeID(topic: "a") != NodeID(topic: "A"))
    }
}
