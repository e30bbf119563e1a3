import Foundation
import IPEncoding
import KBucket
import UDPRequest

extension DHTNode {
    /// Sends one `_find_node` for `target` to `address` – no walk – and hands back the contacts it
    /// lists (IPv4 entries with 32-byte ids, in the order sent). For tools that must know exactly
    /// which nodes have heard from us (netcheck keeps the listed nodes untouched for its filtering
    /// probe); the listed contacts are not added to the routing table.
    public func findNode(_ target: NodeID, at address: PeerAddress, options: RequestOptions = .once,
                         completion: @escaping (Result<[NodeReference], DHTError>) -> Void) {
        guard target.count == Self.idLength else {
            scheduler.schedule(after: .zero) { completion(.failure(.invalidTarget(length: target.count))) }
            return
        }
        var message = baseRequest(command: "_find_node")
        message.target = Data(target.wireBytes)
        request(message, to: address, options: options) { result in
            completion(result.map { response in
                guard response.message.hasNodes,
                      let nodes = try? NodeListCodec.dhtRPC.decode(response.message.nodes, trailingBytes: .ignore) else { return [] }
                return nodes.map { NodeReference(id: NodeID($0.id), address: $0.address) }
            })
        }
    }
}
