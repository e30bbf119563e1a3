import DHTMessages
import Foundation
import IPEncoding
import NIOCore
import NIODatagramTransport
import NIOPosix
import Testing
import UDPRequest

/// The same request/response exchange as over the simulated network, over real UDP sockets.
@Suite(.timeLimit(.minutes(5))) struct RealUDPRequestTests {
    /// Result of one exchange, made Sendable for the trip back from the event loop.
    struct Outcome: Sendable {
        var observed: PeerAddress?
        var source: PeerAddress?
        var error: RequestSocketError?
    }

    static func exchange(host: IPAddress, answer: Bool) async throws -> (outcome: Outcome, client: PeerAddress, server: PeerAddress) {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let loop = group.next()
        let server = try await UDPDatagramTransport.bind(host: host, port: 0, on: loop)
        let client = try await UDPDatagramTransport.bind(host: host, port: 0, on: loop)
        let promise = loop.makePromise(of: Outcome.self)
        try await client.withTransport { clientTransport in
            let scheduler = EventLoopScheduler(eventLoop: clientTransport.eventLoop)
            let serverSocket = RequestSocket(transport: server.transport, scheduler: scheduler, tids: TransactionIDGenerator(start: 7))
            if answer {
                serverSocket.onRequest = { request in
                    var response = DhtRpc_Response()
                    response.value = Data(try! PeerListCodec(family: request.source.host.isIPv4 ? .ipv4 : .ipv6).encode([request.source]))
                    serverSocket.respond(response, tid: request.tid, to: request.source)
                }
            }
            let clientSocket = RequestSocket(transport: clientTransport, scheduler: scheduler, tids: TransactionIDGenerator(start: 1))
            var ping = DhtRpc_Request()
            ping.command = "_ping"
            clientSocket.request(ping, to: server.localAddress) { result in
                switch result {
                case .success(let response):
                    let codec = PeerListCodec(family: response.source.host.isIPv4 ? .ipv4 : .ipv6)
                    let observed = try? codec.decodeSingle(response.message.value)
                    promise.succeed(Outcome(observed: observed, source: response.source))
                case .failure(let error):
                    promise.succeed(Outcome(error: error))
                }
                clientSocket.close()
                serverSocket.close()
            }
        }
        let outcome = try await promise.futureResult.get()
        try await group.shutdownGracefully()
        return (outcome, client.localAddress, server.localAddress)
    }

    @Test(arguments: [IPAddress.loopbackV4, IPAddress.loopbackV6])
    func requestIsAnsweredWithTheObservedAddress(host: IPAddress) async throws {
        let (outcome, client, server) = try await Self.exchange(host: host, answer: true)
        #expect(outcome.error == nil)
        #expect(outcome.observed == client)
        #expect(outcome.source == server)
    }

    @Test func unansweredRequestTimesOutOverRealUDP() async throws {
        let started = ContinuousClock.now
        let (outcome, _, _) = try await Self.exchange(host: .loopbackV4, answer: false)
        #expect(outcome.error == .timedOut)
        #expect(ContinuousClock.now - started >= .milliseconds(1250))
    }
}
